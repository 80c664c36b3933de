package io.deepad4j.tracking;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Records one run: parameters, per-epoch and final metrics, tags, the run's output files and its
 * model. Every call is first appended to {@code <runDir>/tracking/journal.jsonl}, then sent to the
 * MLflow server when there is one ({@link #isRemote()}).
 *
 * <p>A server that cannot be reached (at start or later) costs one warning and one bounded wait
 * (~15 s of retries); the tracker then stops sending for the rest of the run and only journals, and
 * {@link Sync#sync} uploads the rest later. A call the server rejects (HTTP 4xx) throws
 * {@link TrackingException}.
 *
 * <p>Calls are expected from one thread, except {@link #end} which may also come from another
 * thread (a JVM shutdown hook on Ctrl-C) and is idempotent: the first call wins, later ones and any
 * other call after it are ignored.
 */
public interface RunTracker extends AutoCloseable {

  /**
   * Starts the run: creates the experiment if missing, creates the run with the tags (run name as
   * {@code mlflow.runName}), and logs the params in batches of 100. Param keys are made valid for
   * MLflow (characters outside {@code [/\w.\- :]} become {@code _}) and values are cut to 6000
   * characters. Tag keys are made valid the same way and tag values cut to 8000 characters. Metric
   * names are sent as they are: they come from code, and an invalid one is a bug the server reports.
   *
   * @throws IllegalStateException if the run was already started
   * @throws TrackingException if the server rejects the experiment, the run or a param
   */
  void start(String experimentName, String runName, Map<String, String> params, Map<String, String> tags);

  /**
   * Logs per-epoch metrics with step = epoch. Journaled at once and sent in the background, so
   * training never waits on the network; a rejection is logged, not thrown.
   */
  void logEpoch(int epoch, Map<String, Double> metrics);

  /** Logs final metrics at step 0. The last ones logged are linked to the MLflow 3 logged model. */
  void logMetrics(Map<String, Double> metrics);

  /**
   * Logs system metrics ({@code system/...}) with this step, as {@link #logEpoch}: journaled at once, sent
   * in the background. Safe from another thread (the sampler's); ignored after {@link #end}.
   */
  void logSystemMetrics(int step, Map<String, Double> metrics);

  /**
   * Logs the data sets the run read (MLflow's runs/log-inputs: the runs table's Dataset column), each
   * with its split as the input tag {@code mlflow.data.context}. The one with context {@code test} is
   * the data set the final metrics are linked to on the logged model.
   */
  void logInputs(List<DatasetInput> inputs);

  /** Sets (or overwrites) a run tag. */
  void setTag(String key, String value);

  /**
   * Uploads every file under {@code runDir} except the {@code tracking/} folder, with paths
   * relative to {@code runDir}, then logs {@code runDir/model} (when it holds an {@code MLmodel}
   * file) as an MLflow model named {@code modelName} (made valid for MLflow: {@code / : . % " '} become
   * {@code _}; the artifact path stays {@code model}, so {@code runs:/<id>/model} finds it): {@code runs/log-model} on the run and, on MLflow 3 servers, a logged
   * model linked to the run as its output, so the UI lists it on the run and in the Models tab.
   */
  void logArtifactsAndModel(Path runDir, String modelName, java.util.List<Path> skip);

  /** {@link #logArtifactsAndModel(Path, String, java.util.List)} leaving out nothing. */
  default void logArtifactsAndModel(Path runDir, String modelName) {
    logArtifactsAndModel(runDir, modelName, java.util.List.of());
  }

  /** {@link #logArtifactsAndModel(Path, String)} with the logged model named {@code model}. */
  default void logArtifactsAndModel(Path runDir) {
    logArtifactsAndModel(runDir, "model");
  }

  /**
   * Registers the run's model under {@code name} in the model registry (creating the registered
   * model if missing). The version's source is the MLflow 3 logged model when there is one, else
   * {@code runs:/<run id>/model}. The new version gets the description (markdown, may be null) and tags.
   */
  void registerModel(String name, String description, Map<String, String> tags);

  /** {@link #registerModel(String, String, Map)} without description or tags. */
  default void registerModel(String name) {
    registerModel(name, null, Map.of());
  }

  /**
   * Ends the run with the status (and, when not null, the error message as the tag
   * {@code deepad4j.error}). Safe from any thread; only the first call counts.
   */
  void end(RunStatus status, String errorMessage);

  /** The MLflow run id, once the server created the run. */
  Optional<String> runId();

  /** The run's page in the MLflow UI, once the server created the run. */
  Optional<String> runUrl();

  /** True when this tracker sends to an MLflow server (false: outputs and journal only). */
  boolean isRemote();

  /**
   * Ends the run as {@link RunStatus#FAILED} if {@link #end} was never called (nothing claims
   * success that was not reported), and releases the journal.
   */
  @Override
  void close();
}
