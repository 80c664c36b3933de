package io.deepad4j.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads what the server holds through its REST API, independently of the code under test (plain
 * java.net.http, no MLflow client), for the tests' assertions.
 */
public final class MlflowRest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final String uri;
  private final HttpClient http = HttpClient.newHttpClient();

  public MlflowRest(String uri) {
    this.uri = uri;
  }

  JsonNode get(String path, Map<String, String> query) {
    StringBuilder q = new StringBuilder();
    query.forEach((k, v) -> q.append(q.length() == 0 ? "?" : "&").append(k).append('=')
        .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
    return parse(send(HttpRequest.newBuilder(URI.create(uri + path + q)).GET().build()));
  }

  JsonNode post(String path, String body) {
    return parse(send(HttpRequest.newBuilder(URI.create(uri + path))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build()));
  }

  byte[] getBytes(String path, Map<String, String> query) {
    StringBuilder q = new StringBuilder();
    query.forEach((k, v) -> q.append(q.length() == 0 ? "?" : "&").append(k).append('=')
        .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
    try {
      HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(uri + path + q)).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(200, response.statusCode(), () -> "GET " + path + q + ": " + new String(response.body()));
      return response.body();
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  JsonNode run(String runId) {
    return get("/api/2.0/mlflow/runs/get", Map.of("run_id", runId)).path("run");
  }

  JsonNode experimentByName(String name) {
    return get("/api/2.0/mlflow/experiments/get-by-name", Map.of("experiment_name", name)).path("experiment");
  }

  /** All runs of an experiment (active ones). */
  List<JsonNode> runsOf(String experimentId) {
    JsonNode answer = post("/api/2.0/mlflow/runs/search",
        "{\"experiment_ids\":[\"" + experimentId + "\"],\"max_results\":1000}");
    List<JsonNode> runs = new ArrayList<>();
    answer.path("runs").forEach(runs::add);
    return runs;
  }

  List<JsonNode> metricHistory(String runId, String key) {
    List<JsonNode> points = new ArrayList<>();
    get("/api/2.0/mlflow/metrics/get-history", Map.of("run_id", runId, "metric_key", key, "max_results", "25000"))
        .path("metrics").forEach(points::add);
    return points;
  }

  /** Every file of the run's artifacts (artifacts/list, walked recursively): path -> size. */
  public Map<String, Long> artifacts(String runId) {
    Map<String, Long> files = new TreeMap<>();
    listInto(runId, "", files);
    return files;
  }

  private void listInto(String runId, String path, Map<String, Long> files) {
    JsonNode answer = get("/api/2.0/mlflow/artifacts/list",
        path.isEmpty() ? Map.of("run_id", runId) : Map.of("run_id", runId, "path", path));
    for (JsonNode f : answer.path("files")) {
      if (f.path("is_dir").asBoolean()) {
        listInto(runId, f.path("path").asText(), files);
      } else {
        files.put(f.path("path").asText(), f.path("file_size").asLong());
      }
    }
  }

  public byte[] download(String runId, String path) {
    return getBytes("/get-artifact", Map.of("path", path, "run_uuid", runId));
  }

  /** Files under a proxied artifact location such as {@code 1/models/m-.../artifacts}: path -> size. */
  Map<String, Long> proxiedFiles(String location) {
    Map<String, Long> files = new TreeMap<>();
    proxiedInto(location, "", files);
    return files;
  }

  private void proxiedInto(String location, String sub, Map<String, Long> files) {
    JsonNode answer = get("/api/2.0/mlflow-artifacts/artifacts",
        Map.of("path", sub.isEmpty() ? location : location + "/" + sub));
    for (JsonNode f : answer.path("files")) {
      String rel = sub.isEmpty() ? f.path("path").asText() : sub + "/" + f.path("path").asText();
      if (f.path("is_dir").asBoolean()) {
        proxiedInto(location, rel, files);
      } else {
        files.put(rel, f.path("file_size").asLong());
      }
    }
  }

  List<JsonNode> loggedModelsOfRun(String experimentId, String runId) {
    JsonNode answer = post("/api/2.0/mlflow/logged-models/search", "{\"experiment_ids\":[\"" + experimentId
        + "\"],\"filter\":\"source_run_id = '" + runId + "'\"}");
    List<JsonNode> models = new ArrayList<>();
    answer.path("models").forEach(m -> models.add(m.path("info")));
    return models;
  }

  List<JsonNode> modelVersions(String name) {
    List<JsonNode> versions = new ArrayList<>();
    get("/api/2.0/mlflow/model-versions/search", Map.of("filter", "name='" + name + "'"))
        .path("model_versions").forEach(versions::add);
    return versions;
  }

  static Map<String, String> keyValues(JsonNode array) {
    Map<String, String> out = new TreeMap<>();
    array.forEach(kv -> out.put(kv.path("key").asText(), kv.path("value").asText()));
    return out;
  }

  private String send(HttpRequest request) {
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      assertEquals(200, response.statusCode(), () -> request.method() + " " + request.uri() + ": " + response.body());
      return response.body();
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(request.uri() + ": " + e, e);
    }
  }

  private static JsonNode parse(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new IllegalStateException("not JSON: " + body, e);
    }
  }
}
