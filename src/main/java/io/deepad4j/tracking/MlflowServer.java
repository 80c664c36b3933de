package io.deepad4j.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mlflow.api.proto.Service;
import org.mlflow.tracking.MlflowClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MLflow server as this package uses it. Experiments, runs, params, metrics, tags and status go
 * through the MLflow Java client; artifacts, models and the registry through {@link MlflowHttp}.
 * Every call is retried by {@link Retry}; batches are cut to MLflow's per-request limits.
 */
final class MlflowServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MlflowServer.class);
  static final Duration RETRY_BUDGET = Duration.ofSeconds(15);
  private static final String API = "/api/2.0/mlflow/";

  private final ServerConfig config;
  private final MlflowClient client;
  private final MlflowHttp http;
  private final Retry retry;

  MlflowServer(ServerConfig config) {
    this.config = config;
    this.client = new MlflowClient(config.hostCreds());
    this.http = new MlflowHttp(config);
    this.retry = new Retry(RETRY_BUDGET);
  }

  String uri() {
    return config.uri();
  }

  /**
   * The experiment tag that MLflow 3's UI reads to open an experiment as model training (runs, charts,
   * models) rather than GenAI (traces, judges); the UI's values: custom_model_development,
   * genai_development, finetuning, ... (mlflow/server/js, ExperimentKind).
   */
  static final String EXPERIMENT_KIND_TAG = "mlflow.experimentKind";
  static final String EXPERIMENT_KIND = "custom_model_development";

  /**
   * The id of the experiment with this name, created when missing. An experiment without a kind (made
   * here, or by an older deepad4j) gets {@link #EXPERIMENT_KIND}; one whose kind someone chose keeps it.
   */
  String experimentId(String name) {
    Optional<Service.Experiment> existing = findExperiment(name);
    if (existing.isPresent()) {
      Service.Experiment experiment = existing.get();
      if (experiment.getTagsList().stream().noneMatch(t -> t.getKey().equals(EXPERIMENT_KIND_TAG))) {
        setExperimentKind(experiment.getExperimentId());
      }
      return experiment.getExperimentId();
    }
    String id;
    try {
      id = retry.callClient("create experiment '" + name + "'", () -> client.createExperiment(name));
    } catch (TrackingException e) {
      if (!"RESOURCE_ALREADY_EXISTS".equals(e.errorCode())) {
        throw e;
      }
      // another run (a parallel sweep trial) created it in between, and tags it
      return findExperiment(name).orElseThrow(() -> e).getExperimentId();
    }
    setExperimentKind(id);
    return id;
  }

  private void setExperimentKind(String experimentId) {
    retry.callClient("set the kind of experiment " + experimentId, () -> {
      client.setExperimentTag(experimentId, EXPERIMENT_KIND_TAG, EXPERIMENT_KIND);
      return null;
    });
  }

  /**
   * Searches rather than calling experiments/get-by-name: the Java client retries a 404 twice and
   * logs each as a warning, which would greet every new experiment.
   */
  private Optional<Service.Experiment> findExperiment(String name) {
    if (name.contains("'")) {
      return retry.callClient("get experiment '" + name + "'", () -> client.getExperimentByName(name));
    }
    return retry.callClient("search experiment '" + name + "'",
        () -> client.searchExperiments("name = '" + name + "'").getItems().stream()
            .filter(e -> e.getName().equals(name)).findFirst());
  }

  /** The run of this experiment carrying tag {@code key=value}, if any (the idempotency key). */
  Optional<Service.RunInfo> findRunByTag(String experimentId, String key, String value) {
    String filter = "tags.`" + key + "` = '" + value + "'";
    List<Service.RunInfo> runs = retry.callClient("search runs",
        () -> client.searchRuns(List.of(experimentId), filter));
    return runs.stream().findFirst();
  }

  Service.RunInfo createRun(String experimentId, String runName, long startTime, String userId,
      Map<String, String> tags) {
    Service.CreateRun.Builder request = Service.CreateRun.newBuilder()
        .setExperimentId(experimentId)
        .setRunName(runName)
        .setStartTime(startTime)
        .setUserId(userId);
    tags.forEach((k, v) -> request.addTags(Service.RunTag.newBuilder().setKey(k).setValue(v)));
    return retry.callClient("create run '" + runName + "'", () -> client.createRun(request.build()));
  }

  void logParams(String runId, Map<String, String> params) {
    List<Service.Param> all = new ArrayList<>();
    params.forEach((k, v) -> all.add(Service.Param.newBuilder().setKey(k).setValue(v).build()));
    for (List<Service.Param> chunk : chunks(all, MlflowLimits.MAX_PARAMS_OR_TAGS_PER_BATCH)) {
      retry.callClient("log " + chunk.size() + " params", () -> {
        client.logBatch(runId, List.of(), chunk, List.of());
        return null;
      });
    }
  }

  void logMetrics(String runId, Map<String, Double> metrics, long timestamp, long step) {
    List<Service.Metric> all = new ArrayList<>();
    metrics.forEach((k, v) -> all.add(Service.Metric.newBuilder()
        .setKey(k).setValue(v).setTimestamp(timestamp).setStep(step).build()));
    for (List<Service.Metric> chunk : chunks(all, MlflowLimits.MAX_METRICS_PER_BATCH)) {
      retry.callClient("log metrics " + metrics.keySet() + " at step " + step, () -> {
        client.logBatch(runId, chunk, List.of(), List.of());
        return null;
      });
    }
  }

  void setTag(String runId, String key, String value) {
    retry.callClient("set tag '" + key + "'", () -> {
      client.setTag(runId, key, value);
      return null;
    });
  }

  void terminate(String runId, RunStatus status, long endTime) {
    retry.callClient("end run as " + status, () -> {
      client.setTerminated(runId, Service.RunStatus.valueOf(status.name()), endTime);
      return null;
    });
  }

  Service.Run getRun(String runId) {
    return retry.callClient("get run", () -> client.getRun(runId));
  }

  /** Uploads a file below an artifact root URI such as {@code mlflow-artifacts:/1/<run>/artifacts}. */
  void uploadArtifact(String artifactRootUri, String relativePath, Path file) {
    String dir = proxiedArtifactPath(artifactRootUri);
    retry.call("upload artifact " + relativePath, () -> {
      http.putArtifact(dir, relativePath, file);
      return null;
    });
  }

  /** runs/log-model: records the model in the run's {@code mlflow.log-model.history} tag. */
  void logModelToRun(String runId, ObjectNode modelJson) {
    ObjectNode body = Journal.JSON.createObjectNode();
    body.put("run_id", runId);
    body.put("model_json", modelJson.toString());
    retry.call("log model", () -> http.post(API + "runs/log-model", body));
  }

  /**
   * MLflow 3 logged models of a run; empty when the server predates them (MLflow 2.x answers the
   * route with 404 ENDPOINT_NOT_FOUND).
   */
  Optional<List<JsonNode>> loggedModelsOfRun(String experimentId, String runId) {
    ObjectNode body = Journal.JSON.createObjectNode();
    body.putArray("experiment_ids").add(experimentId);
    body.put("filter", "source_run_id = '" + runId + "'");
    try {
      JsonNode answer = retry.call("search logged models", () -> http.post(API + "logged-models/search", body));
      List<JsonNode> models = new ArrayList<>();
      answer.path("models").forEach(m -> models.add(m.path("info")));
      return Optional.of(models);
    } catch (TrackingException e) {
      if (e.httpStatus() == 404 || e.httpStatus() == 405) {
        LOG.debug("No logged-model API on {} (MLflow 2.x): {}", config.uri(), e.getMessage());
        return Optional.empty();
      }
      throw e;
    }
  }

  JsonNode createLoggedModel(String experimentId, String runId, String name, Map<String, String> params) {
    ObjectNode body = Journal.JSON.createObjectNode();
    body.put("experiment_id", experimentId);
    body.put("name", name);
    body.put("source_run_id", runId);
    ArrayNode paramArray = body.putArray("params");
    params.forEach((k, v) -> paramArray.addObject().put("key", k).put("value", v));
    return retry.call("create logged model", () -> http.post(API + "logged-models", body)).path("model").path("info");
  }

  /**
   * runs/log-inputs: the data sets of the run, each with its context tag. The server keeps one data set
   * per (name, digest) in the experiment and one input per (data set, run), so sending again adds nothing.
   */
  void logInputs(String runId, JsonNode datasets) {
    ObjectNode body = Journal.JSON.createObjectNode();
    body.put("run_id", runId);
    ArrayNode inputs = body.putArray("datasets");
    for (JsonNode d : datasets) {
      ObjectNode input = inputs.addObject();
      input.putArray("tags").addObject().put("key", DatasetInput.CONTEXT_TAG).put("value", d.path("context").asText());
      ObjectNode dataset = input.putObject("dataset");
      for (String field : List.of("name", "digest", "source_type", "source", "schema", "profile")) {
        if (d.hasNonNull(field)) {
          dataset.put(field, d.get(field).asText());
        }
      }
    }
    retry.call("log " + datasets.size() + " data set inputs", () -> http.post(API + "runs/log-inputs", body));
  }

  /**
   * Final metrics linked to an MLflow 3 logged model (log-batch with model_id, and the data set they were
   * computed on): the model page lists them.
   */
  void logModelMetrics(String runId, String modelId, Map<String, Double> metrics, long timestamp, String datasetName,
      String datasetDigest) {
    List<Map.Entry<String, Double>> all = new ArrayList<>(metrics.entrySet());
    for (List<Map.Entry<String, Double>> chunk : chunks(all, MlflowLimits.MAX_METRICS_PER_BATCH)) {
      ObjectNode body = Journal.JSON.createObjectNode();
      body.put("run_id", runId);
      ArrayNode array = body.putArray("metrics");
      for (Map.Entry<String, Double> m : chunk) {
        ObjectNode metric = array.addObject().put("key", m.getKey()).put("timestamp", timestamp).put("step", 0)
            .put("model_id", modelId);
        double v = m.getValue();
        if (Double.isFinite(v)) {
          metric.put("value", v);
        } else {
          metric.put("value", Double.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity");
        }
        if (datasetName != null && datasetDigest != null) {
          metric.put("dataset_name", datasetName).put("dataset_digest", datasetDigest);
        }
      }
      retry.call("link " + chunk.size() + " metrics to the logged model", () -> http.post(API + "runs/log-batch", body));
    }
  }

  /** Links a logged model to the run as its output (the run page's "Logged models" table). */
  void logModelOutput(String runId, String modelId, long step) {
    ObjectNode body = Journal.JSON.createObjectNode();
    body.put("run_id", runId);
    body.putArray("models").addObject().put("model_id", modelId).put("step", step);
    retry.call("link logged model to run", () -> http.post(API + "runs/outputs", body));
  }

  JsonNode runOutputs(String runId) {
    return retry.call("get run", () -> http.get(API + "runs/get", Map.of("run_id", runId)))
        .path("run").path("outputs");
  }

  void finalizeLoggedModel(String modelId) {
    ObjectNode body = Journal.JSON.createObjectNode();
    body.put("model_id", modelId);
    body.put("status", "LOGGED_MODEL_READY");
    retry.call("finalize logged model", () -> http.patch(API + "logged-models/" + modelId, body));
  }

  /** Creates the registered model; one that already exists is fine. */
  void ensureRegisteredModel(String name) {
    ObjectNode body = Journal.JSON.createObjectNode().put("name", name);
    try {
      retry.call("create registered model '" + name + "'", () -> http.post(API + "registered-models/create", body));
    } catch (TrackingException e) {
      if (!"RESOURCE_ALREADY_EXISTS".equals(e.errorCode())) {
        throw e;
      }
    }
  }

  /** The version of registered model {@code name} made from this run, if one exists. */
  Optional<String> findModelVersion(String name, String runId) {
    if (name.contains("'")) {
      return Optional.empty(); // not expressible in a filter string; at worst a replay adds a version
    }
    JsonNode answer = retry.call("search model versions", () -> http.get(API + "model-versions/search",
        Map.of("filter", "name='" + name + "' and run_id='" + runId + "'")));
    for (JsonNode version : answer.path("model_versions")) {
      return Optional.of(version.path("version").asText());
    }
    return Optional.empty();
  }

  String createModelVersion(String name, String source, String runId, String modelId, String description,
      Map<String, String> tags) {
    ObjectNode body = Journal.JSON.createObjectNode();
    body.put("name", name);
    body.put("source", source);
    body.put("run_id", runId);
    if (modelId != null) {
      body.put("model_id", modelId);
    }
    if (description != null) {
      body.put("description", description);
    }
    ArrayNode tagArray = body.putArray("tags");
    tags.forEach((k, v) -> tagArray.addObject().put("key", k).put("value", v));
    return retry.call("create model version of '" + name + "'",
        () -> http.post(API + "model-versions/create", body)).path("model_version").path("version").asText();
  }

  /** The artifact location of a registered model's version (model-versions/get-download-uri). */
  String modelVersionDownloadUri(String name, String version) {
    return retry.call("get model '" + name + "' version " + version, () -> http.get(API + "model-versions/get-download-uri",
        Map.of("name", name, "version", version))).path("artifact_uri").asText();
  }

  /** The version of registered model {@code name} that {@code alias} points to (registered-models/alias). */
  String aliasVersion(String name, String alias) {
    return retry.call("get model '" + name + "' alias @" + alias, () -> http.get(API + "registered-models/alias",
        Map.of("name", name, "alias", alias))).path("model_version").path("version").asText();
  }

  /** The artifact location of an MLflow 3 logged model (logged-models/get). */
  String loggedModelArtifactUri(String modelId) {
    return retry.call("get logged model " + modelId, () -> http.get(API + "logged-models/" + MlflowHttp.encodePath(modelId),
        Map.of())).path("model").path("info").path("artifact_uri").asText();
  }

  /** The artifact root of a run (runs/get). */
  String runArtifactUri(String runId) {
    return retry.call("get run " + runId, () -> http.get(API + "runs/get", Map.of("run_id", runId)))
        .path("run").path("info").path("artifact_uri").asText();
  }

  /** The entries of one folder below the artifact proxy: each with {@code path} (its name), {@code is_dir}, {@code file_size}. */
  List<JsonNode> listProxied(String location) {
    JsonNode answer = retry.call("list artifacts " + location, () -> http.get("/api/2.0/mlflow-artifacts/artifacts",
        Map.of("path", location)));
    List<JsonNode> files = new ArrayList<>();
    answer.path("files").forEach(files::add);
    return files;
  }

  /** Downloads one file below the artifact proxy into {@code target}. */
  void downloadProxied(String location, String relativePath, Path target) {
    retry.call("download artifact " + relativePath, () -> {
      http.getArtifact(location, relativePath, target);
      return null;
    });
  }

  /** The UI page of a run. */
  String runUrl(String experimentId, String runId) {
    return config.uri() + "/#/experiments/" + experimentId + "/runs/" + runId;
  }

  /**
   * The path below the server's artifact proxy for an artifact root. Only proxied roots
   * ({@code mlflow-artifacts:}) can be uploaded over HTTP; others (s3://, file://) would need the
   * store's own client.
   */
  String proxiedArtifactPath(String artifactRootUri) {
    URI uri = URI.create(artifactRootUri);
    if (!"mlflow-artifacts".equals(uri.getScheme())) {
      throw new TrackingException("The MLflow server at " + config.uri() + " gives artifact location '"
          + artifactRootUri + "', which is not served through the server (mlflow-artifacts:/...)."
          + " Start it with artifact serving (the default of `mlflow server`, e.g. --artifacts-destination <dir>)"
          + " so runs can upload their outputs over HTTP");
    }
    return uri.getPath().replaceAll("^/+", "").replaceAll("/+$", "");
  }

  @Override
  public void close() {
    try {
      client.close();
    } catch (RuntimeException e) {
      LOG.debug("closing the MLflow client: {}", e.getMessage());
    }
  }

  private static <T> List<List<T>> chunks(List<T> all, int size) {
    List<List<T>> out = new ArrayList<>();
    for (int i = 0; i < all.size(); i += size) {
      out.add(all.subList(i, Math.min(all.size(), i + size)));
    }
    return out;
  }
}
