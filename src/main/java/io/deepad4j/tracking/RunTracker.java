package io.deepad4j.tracking;

import java.nio.file.Path;
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

  /** Logs final metrics at step 0. */
  void logMetrics(Map<String, Double> metrics);

  /** Sets (or overwrites) a run tag. */
  void setTag(String key, String value);

  /**
   * Uploads every file under {@code runDir} except the {@code tracking/} folder, with paths
   * relative to {@code runDir}, then logs {@code runDir/model} (when it holds an {@code MLmodel}
   * file) as an MLflow model: {@code runs/log-model} on the run and, on MLflow 3 servers, a logged
   * model linked to the run as its output, so the UI lists it on the run and in the Models tab.
   */
  default void logArtifactsAndModel(Path runDir) {
    logArtifactsAndModel(runDir, java.util.List.of());
  }

  /**
   * As {@link #logArtifactsAndModel(Path)}, leaving out the files under the folders {@code skip} (a suite's
   * trial run folders under its own folder: each child run uploads its own).
   */
  void logArtifactsAndModel(Path runDir, java.util.List<Path> skip);

  /**
   * Registers the run's model under {@code name} in the model registry (creating the registered
   * model if missing). The version's source is the MLflow 3 logged model when there is one, else
   * {@code runs:/<run id>/model}.
   */
  void registerModel(String name);

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
