package io.deepad4j.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.mlflow.api.proto.Service;

/**
 * Sends one journal entry to the server. The live tracker and {@link Sync} use the same code, so a
 * replayed run is built exactly as a live one, with the journaled timestamps.
 *
 * <p>Each op is safe to send again after a send whose answer was lost: the run is found by its
 * {@link #RUN_KEY_TAG} before one is created, metrics are identical points (the server keeps one),
 * params repeat their value, artifacts overwrite, and models and registry versions are looked up
 * before they are created.
 */
final class EntrySender {
  static final String START = "start";
  static final String PARAMS = "params";
  static final String METRICS = "metrics";
  static final String TAG = "tag";
  static final String ARTIFACTS = "artifacts";
  static final String MODEL = "model";
  static final String REGISTER = "register";
  static final String INPUTS = "inputs";
  static final String END = "end";

  /** A unique id per run, so that a replay finds the run instead of creating a second one. */
  static final String RUN_KEY_TAG = "deepad4j.run_key";
  /** Where the error message of a failed run goes. */
  static final String ERROR_TAG = "deepad4j.error";
  static final String LOG_MODEL_HISTORY_TAG = "mlflow.log-model.history";

  private final MlflowServer server;
  private final Path runDir;

  EntrySender(MlflowServer server, Path runDir) {
    this.server = server;
    this.runDir = runDir;
  }

  /**
   * Sends the entry and returns what to record in its ack.
   *
   * @throws TrackingException the server rejected it (or a file it needs is gone)
   * @throws Retry.ServerUnavailableException the server could not be reached
   */
  ObjectNode send(Journal.JournalEntry entry, RemoteRun run) {
    ObjectNode data = entry.data();
    ObjectNode result = Journal.JSON.createObjectNode();
    if (!entry.op().equals(START) && !run.created()) {
      throw new IllegalStateException("entry " + entry.seq() + " (" + entry.op() + ") before the run exists");
    }
    switch (entry.op()) {
      case START -> start(data, run, result);
      case PARAMS -> server.logParams(run.runId, strings(data.path("params")));
      case METRICS -> server.logMetrics(run.runId, doubles(data.path("metrics")),
          data.path("timestamp").asLong(entry.time()), data.path("step").asLong());
      case TAG -> server.setTag(run.runId, data.path("key").asText(), data.path("value").asText());
      case ARTIFACTS -> result.put("uploaded", uploadFiles(data, run.artifactUri, ""));
      case MODEL -> model(data, run, result);
      case REGISTER -> result.put("version", register(data, run));
      case INPUTS -> server.logInputs(run.runId, data.path("datasets"));
      case END -> {
        if (data.hasNonNull("error")) {
          server.setTag(run.runId, ERROR_TAG, data.get("error").asText());
        }
        server.terminate(run.runId, RunStatus.valueOf(data.path("status").asText()),
            data.path("end_time").asLong(entry.time()));
      }
      default -> throw new TrackingException(entry.op() + " (journal entry " + entry.seq()
          + ") is not an operation this version knows; was the journal written by a newer deepad4j?");
    }
    return result;
  }

  private void start(ObjectNode data, RemoteRun run, ObjectNode result) {
    String experimentId = server.experimentId(data.path("experiment").asText());
    String runKey = data.path("run_key").asText();
    Service.RunInfo info = server.findRunByTag(experimentId, RUN_KEY_TAG, runKey).orElseGet(() -> {
      Map<String, String> tags = strings(data.path("tags"));
      tags.put(RUN_KEY_TAG, runKey);
      return server.createRun(experimentId, data.path("run_name").asText(), data.path("start_time").asLong(),
          data.path("user").asText(""), tags);
    });
    run.experimentId = experimentId;
    run.runId = info.getRunId();
    run.artifactUri = info.getArtifactUri();
    result.put("uri", server.uri());
    result.put("experiment_id", experimentId);
    result.put("run_id", run.runId);
    result.put("artifact_uri", run.artifactUri);
  }

  /**
   * Logs the model twice over, so that both UIs show it: runs/log-model (the run's
   * {@code mlflow.log-model.history} tag, which MLflow 2 and 3 show on the run page) and, where the
   * server has them, an MLflow 3 logged model with its own copy of the files, linked to the run as
   * an output (the run's "Logged models" table and the experiment's Models tab list only those).
   */
  private void model(ObjectNode data, RemoteRun run, ObjectNode result) {
    ObjectNode modelJson = ((ObjectNode) data.path("model_json")).deepCopy();
    modelJson.put("run_id", run.runId);
    String uuid = modelJson.path("model_uuid").asText();
    String history = server.getRun(run.runId).getData().getTagsList().stream()
        .filter(t -> t.getKey().equals(LOG_MODEL_HISTORY_TAG)).map(Service.RunTag::getValue).findFirst().orElse("");
    if (!history.contains(uuid)) {
      server.logModelToRun(run.runId, modelJson);
    }

    // the spec's name; journals of older versions have none: the artifact path, "model"
    String name = data.hasNonNull("name") ? data.get("name").asText() : data.path("artifact_path").asText();
    Optional<java.util.List<JsonNode>> existing = server.loggedModelsOfRun(run.experimentId, run.runId);
    if (existing.isEmpty()) {
      result.putNull("model_id"); // MLflow 2.x server
      return;
    }
    JsonNode model = existing.get().stream().filter(m -> name.equals(m.path("name").asText())).findFirst()
        .orElse(null);
    if (model == null) {
      model = server.createLoggedModel(run.experimentId, run.runId, name, run.params);
    }
    String modelId = model.path("model_id").asText();
    if (!"LOGGED_MODEL_READY".equals(model.path("status").asText())) {
      uploadFiles(data, model.path("artifact_uri").asText(), data.path("dir").asText() + "/");
      boolean linked = false;
      for (JsonNode output : server.runOutputs(run.runId).path("model_outputs")) {
        linked |= modelId.equals(output.path("model_id").asText());
      }
      if (!linked) {
        server.logModelOutput(run.runId, modelId, 0);
      }
      JsonNode metrics = data.path("metrics");
      if (metrics.has("values")) {
        // the model page's metrics (and the test data set they were computed on); the run keeps its
        // own copy, logged before: the server stores each point once per run and model
        server.logModelMetrics(run.runId, modelId, doubles(metrics.get("values")), metrics.path("timestamp").asLong(),
            metrics.path("dataset_name").asText(null), metrics.path("dataset_digest").asText(null));
      }
      server.finalizeLoggedModel(modelId);
    }
    run.modelId = modelId;
    result.put("model_id", modelId);
  }

  private String register(ObjectNode data, RemoteRun run) {
    String name = data.path("name").asText();
    server.ensureRegisteredModel(name);
    Optional<String> existing = server.findModelVersion(name, run.runId);
    if (existing.isPresent()) {
      return existing.get();
    }
    // MLflow 3 validates the source against model_id / run_id: models:/<id> with the logged model,
    // runs:/<run>/model without one
    String source = run.modelId != null ? "models:/" + run.modelId : "runs:/" + run.runId + "/model";
    return server.createModelVersion(name, source, run.runId, run.modelId, data.path("description").asText(null),
        strings(data.path("tags")));
  }

  /**
   * Uploads the entry's files ({@code files}: paths relative to {@code root}, itself relative to the
   * run folder). {@code stripPrefix} is removed from each path for the destination, so that
   * {@code model/MLmodel} lands at the logged model's root as {@code MLmodel}.
   */
  private int uploadFiles(ObjectNode data, String artifactRootUri, String stripPrefix) {
    Path root = runDir.resolve(data.path("root").asText(""));
    int count = 0;
    for (JsonNode file : data.path("files")) {
      String relative = file.path("path").asText();
      if (!relative.startsWith(stripPrefix)) {
        continue;
      }
      server.uploadArtifact(artifactRootUri, relative.substring(stripPrefix.length()), root.resolve(relative));
      count++;
    }
    return count;
  }

  static Map<String, String> strings(JsonNode object) {
    Map<String, String> out = new LinkedHashMap<>();
    object.fields().forEachRemaining(f -> out.put(f.getKey(), f.getValue().asText()));
    return out;
  }

  /** Metric values; NaN and infinities are journaled as the strings "NaN", "Infinity", "-Infinity". */
  static Map<String, Double> doubles(JsonNode object) {
    Map<String, Double> out = new LinkedHashMap<>();
    object.fields().forEachRemaining(f -> out.put(f.getKey(),
        f.getValue().isTextual() ? Double.parseDouble(f.getValue().asText()) : f.getValue().asDouble()));
    return out;
  }
}
