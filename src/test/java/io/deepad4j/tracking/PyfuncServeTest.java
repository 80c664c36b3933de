package io.deepad4j.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deepad4j.cli.Main;
import io.deepad4j.models.ModelFolder;
import io.deepad4j.models.ModelRegistry;
import io.deepad4j.models.Scorer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21: every detector type's logged model loads in Python and answers as a server. One run per type of the
 * registry (so a new type is covered without a line here; TensorFlow models train 1 epoch) on a small CSV data set,
 * logged to a real MLflow server; then, in one Python process, {@code mlflow.pyfunc.load_model("runs:/<id>/model")}
 * of every run scores the same rows, and {@code mlflow models serve -m runs:/<id>/model --env-manager local} of
 * every run answers a POST to /invocations with those rows and with the model's own serving input example; every
 * score must equal the Java scorer's (the run's model folder, reloaded) to float32 precision. The Python side also
 * checks what MLflow reads from each MLmodel: the tensor signature, the input example, the threshold, the logged
 * model's name (the spec's run name).
 */
@Tag("mlflow")
class PyfuncServeTest {
  private static final int FEATURES = 4;
  /** Servers started at once (each a Python process importing TensorFlow: about 0.4 GB). */
  private static final int SERVERS_AT_ONCE = 4;
  private static final Duration SERVER_START = Duration.ofSeconds(240);

  @TempDir
  static Path dir;
  static MlflowTestServer server;
  static float[][] rows;
  /** Per model type: its run id, its model folder and the Java scorer's scores of {@link #rows}. */
  static final Map<String, Logged> logged = new LinkedHashMap<>();
  /** Every server started, stopped after the test whatever happens. */
  static final List<Serve> started = new ArrayList<>();

  record Logged(String runId, Path model, double[] scores) {}

  @BeforeAll
  static void logOneRunPerType() throws Exception {
    SplittableRandom random = new SplittableRandom(5);
    StringBuilder train = new StringBuilder("a,b,c,d,label\n");
    for (int i = 0; i < 300; i++) {
      train.append(row(random, 0.5, 0.1)).append(",normal\n");
    }
    StringBuilder test = new StringBuilder("a,b,c,d,label\n");
    for (int i = 0; i < 80; i++) {
      test.append(row(random, 0.5, 0.1)).append(",normal\n");
    }
    for (int i = 0; i < 20; i++) {
      test.append(row(random, 0.5, 0.6)).append(",attack\n");
    }
    Files.writeString(dir.resolve("train.csv"), train);
    Files.writeString(dir.resolve("test.csv"), test);
    Files.writeString(dir.resolve("spec.yaml"), """
        experiment: pyfunc-serve
        seed: 3
        dataset:
          name: csv
          train_file: %s
          test_file: %s
        device: cpu
        """.formatted(dir.resolve("train.csv"), dir.resolve("test.csv")));
    // the rows Python scores: test rows, and rows outside the training range
    rows = new float[30][FEATURES];
    for (float[] r : rows) {
      for (int j = 0; j < FEATURES; j++) {
        r[j] = (float) (0.5 + 0.8 * (random.nextDouble() - 0.5));
      }
    }
    server = MlflowTestServer.started(dir.resolve("mlflow"));
    Path outputs = dir.resolve("outputs");
    for (String type : new TreeSet<>(ModelRegistry.get().types())) {
      List<String> args = new ArrayList<>(List.of(dir.resolve("spec.yaml").toString(), "model.type=" + type,
          "run_name=pyfunc-" + type, "tracking.uri=" + server.uri(), "--outputs", outputs.resolve(type).toString()));
      if (ModelRegistry.get().fields(type).stream().anyMatch(f -> f.key().equals("model.epochs")
          || f.key().equals("epochs"))) {
        args.add("model.epochs=1");
      }
      assertEquals(0, Main.execute(args.toArray(String[]::new)), type + ": the run failed");
      Path runDir;
      try (Stream<Path> s = Files.list(outputs.resolve(type).resolve("pyfunc-serve"))) {
        runDir = s.toList().get(0);
      }
      String runId = RemoteRun.fromJournal(Journal.read(runDir)).runId;
      // a server too busy to answer within the client's deadline leaves the run in its journal: `runner sync`
      // sends it (what a user does then), a few times if the server is still slow
      for (int attempt = 0; attempt < 3 && (runId == null || runId.isBlank()); attempt++) {
        Main.execute("sync", runDir.toString(), "--uri", server.uri());
        runId = RemoteRun.fromJournal(Journal.read(runDir)).runId;
      }
      assertTrue(runId != null && !runId.isBlank(), type + ": no MLflow run id in the journal, even after sync");
      Path model = runDir.resolve("model");
      try (Scorer java = ModelFolder.load(model)) {
        logged.put(type, new Logged(runId, model, java.score(rows)));
      }
    }
  }

  private static String row(SplittableRandom random, double center, double width) {
    StringBuilder sb = new StringBuilder();
    for (int j = 0; j < FEATURES; j++) {
      sb.append(j == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.4f", center + width * (random.nextDouble() - 0.5)));
    }
    return sb.toString();
  }

  @AfterAll
  static void stopServer() {
    started.forEach(Serve::stop);
    if (server != null) {
      server.close();
    }
  }

  private static final String PYFUNC = """
      import json, sys
      import mlflow
      import numpy as np
      spec = json.load(open(sys.argv[1]))
      x = np.asarray(spec["rows"], dtype=np.float32)
      out = {}
      for model_type, run_id in spec["runs"].items():
          m = mlflow.pyfunc.load_model(f"runs:/{run_id}/model")
          pred = m.predict({"x": x})
          scores = np.asarray(pred["score"] if isinstance(pred, dict) else pred).reshape(-1)
          meta = m.metadata
          names = [lm.name for lm in mlflow.search_logged_models(
              experiment_ids=[mlflow.get_run(run_id).info.experiment_id],
              filter_string=f"source_run_id = '{run_id}'", output_format="list")]
          out[model_type] = {
              "scores": [float(v) for v in scores],
              "inputs": meta.signature.inputs.to_dict(),
              "outputs": meta.signature.outputs.to_dict(),
              "example": meta.saved_input_example_info,
              "threshold": meta.metadata.get("threshold"),
              "loader": meta.flavors["python_function"]["loader_module"],
              "names": names,
          }
      print("RESULT " + json.dumps(out))
      """;

  @Test
  void everyTypeLoadsWithPyfuncAndAnswersAsAServer() throws Exception {
    assertEquals(new TreeSet<>(ModelRegistry.get().types()), new TreeSet<>(logged.keySet()));
    // the servers start while the pyfunc process runs: both mostly wait for TensorFlow's import
    List<String> types = new ArrayList<>(logged.keySet());
    Map<String, double[]> served = new LinkedHashMap<>();
    Map<String, double[]> servedExample = new LinkedHashMap<>();
    List<Serve> first = new ArrayList<>();
    for (int i = 0; i < Math.min(SERVERS_AT_ONCE, types.size()); i++) {
      first.add(Serve.start(types.get(i)));
    }
    JsonNode py = pyfunc();
    for (String type : types) {
      JsonNode p = py.path(type);
      double[] scores = Journal.JSON.convertValue(p.path("scores"), double[].class);
      assertClose(type + " pyfunc", logged.get(type).scores(), scores);
      assertEquals("mlflow.tensorflow", p.path("loader").asText(), type);
      assertEquals("x", p.path("inputs").get(0).path("name").asText(), type + ": " + p.path("inputs"));
      assertEquals("[-1," + FEATURES + "]", p.path("inputs").get(0).path("tensor-spec").path("shape").toString(), type);
      assertEquals("score", p.path("outputs").get(0).path("name").asText(), type);
      assertEquals("serving_input_example.json", p.path("example").path("serving_input_path").asText(), type);
      JsonNode detector = Journal.JSON.readTree(logged.get(type).model().resolve(ModelFolder.DESCRIPTOR).toFile());
      assertEquals(detector.path("threshold").asDouble(), Double.parseDouble(p.path("threshold").asText()), 0.0, type);
      assertEquals("[\"pyfunc-" + type + "\"]", p.path("names").toString(), type + ": the logged model's name");
    }
    // then every server, SERVERS_AT_ONCE at a time
    List<Serve> running = new ArrayList<>(first);
    int next = first.size();
    while (!running.isEmpty()) {
      Serve s = running.remove(0);
      try {
        s.awaitReady();
        served.put(s.type, s.invoke(requestBody(rows)));
        servedExample.put(s.type, s.invoke(Files.readString(logged.get(s.type).model()
            .resolve("serving_input_example.json"))));
      } finally {
        s.stop();
      }
      if (next < types.size()) {
        running.add(Serve.start(types.get(next++)));
      }
    }
    for (String type : types) {
      assertClose(type + " mlflow models serve", logged.get(type).scores(), served.get(type));
      float[][] example = exampleRows(logged.get(type).model());
      try (Scorer java = ModelFolder.load(logged.get(type).model())) {
        assertClose(type + " mlflow models serve, the serving input example", java.score(example),
            servedExample.get(type));
      }
    }
  }

  /** The rows of a model folder's serving_input_example.json ({"inputs": {"x": rows}}). */
  private static float[][] exampleRows(Path model) throws IOException {
    JsonNode x = Journal.JSON.readTree(model.resolve("serving_input_example.json").toFile()).path("inputs").path("x");
    assertTrue(x.isArray() && x.size() > 0, model + ": serving input example " + x);
    return Journal.JSON.convertValue(x, float[][].class);
  }

  private static String requestBody(float[][] rows) {
    ObjectNode body = Journal.JSON.createObjectNode();
    ArrayNode x = body.putObject("inputs").putArray("x");
    for (float[] r : rows) {
      ArrayNode a = x.addArray();
      for (float v : r) {
        a.add(v);
      }
    }
    return body.toString();
  }

  /** np.allclose(actual, expected, rtol=1e-5, atol=1e-6): the SavedModel's float32 score against Java's. */
  private static void assertClose(String what, double[] expected, double[] actual) {
    assertEquals(expected.length, actual.length, what + ": number of scores");
    for (int i = 0; i < expected.length; i++) {
      if (!(Math.abs(actual[i] - expected[i]) <= 1e-6 + 1e-5 * Math.abs(expected[i]))) {
        fail(what + ": row " + i + " scores " + actual[i] + ", Java " + expected[i]);
      }
    }
  }

  /** The pyfunc process: every run's model loaded and scored in one Python (one TensorFlow import). */
  private static JsonNode pyfunc() throws Exception {
    ObjectNode input = Journal.JSON.createObjectNode();
    ArrayNode r = input.putArray("rows");
    for (float[] row : rows) {
      ArrayNode a = r.addArray();
      for (float v : row) {
        a.add(v);
      }
    }
    ObjectNode runs = input.putObject("runs");
    logged.forEach((type, l) -> runs.put(type, l.runId()));
    Path file = dir.resolve("pyfunc-input.json");
    Files.writeString(file, input.toString());
    ProcessBuilder pb = new ProcessBuilder(MlflowTestServer.python().toString(), "-c", PYFUNC, file.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("pyfunc.log").toFile());
    pb.environment().put("MLFLOW_TRACKING_URI", server.uri());
    pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
    Process p = pb.start();
    if (!p.waitFor(300, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("the pyfunc process did not end in 300 s; see " + dir.resolve("pyfunc.log"));
    }
    String out = Files.readString(dir.resolve("pyfunc.log"));
    assertEquals(0, p.exitValue(), out);
    String result = out.lines().filter(l -> l.startsWith("RESULT ")).reduce((a, b) -> b)
        .orElseGet(() -> fail("python printed no RESULT line: " + out));
    return Journal.JSON.readTree(result.substring(7));
  }

  /** One {@code mlflow models serve} of a run's model, on a free port. */
  private static final class Serve {
    final String type;
    final int port;
    final Process process;
    final Path log;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Serve(String type, int port, Process process, Path log) {
      this.type = type;
      this.port = port;
      this.process = process;
      this.log = log;
    }

    static Serve start(String type) throws IOException {
      int port = MlflowTestServer.freePort();
      Path log = dir.resolve("serve-" + type + ".log");
      Path mlflow = MlflowTestServer.python().resolveSibling("mlflow");
      ProcessBuilder pb = new ProcessBuilder(mlflow.toString(), "models", "serve", "-m",
          "runs:/" + logged.get(type).runId() + "/model", "--env-manager", "local", "-h", "127.0.0.1",
          "-p", Integer.toString(port))
          .redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment().put("MLFLOW_TRACKING_URI", server.uri());
      pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
      // the server runs `uvicorn` by name: the venv's bin must be on the PATH, as in an activated venv
      pb.environment().put("PATH", mlflow.getParent() + java.io.File.pathSeparator + System.getenv().getOrDefault("PATH", ""));
      Serve s = new Serve(type, port, pb.start(), log);
      started.add(s);
      return s;
    }

    void awaitReady() throws Exception {
      long deadline = System.nanoTime() + SERVER_START.toNanos();
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          fail(type + ": mlflow models serve exited with " + process.exitValue() + ": " + Files.readString(log));
        }
        try {
          HttpResponse<String> ping = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ping"))
              .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
          if (ping.statusCode() == 200) {
            return;
          }
        } catch (IOException e) {
          // not listening yet
        }
        Thread.sleep(250);
      }
      fail(type + ": mlflow models serve did not answer /ping in " + SERVER_START.toSeconds() + " s: "
          + Files.readString(log));
    }

    /** POSTs a body to /invocations and returns the scores it answers. */
    double[] invoke(String body) throws Exception {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/invocations"))
          .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), type + ": /invocations answered " + r.body());
      JsonNode predictions = Journal.JSON.readTree(r.body()).path("predictions");
      JsonNode scores = predictions.isObject() ? predictions.path("score") : predictions;
      assertTrue(scores.isArray(), type + ": /invocations answered " + r.body());
      double[] out = new double[scores.size()];
      for (int i = 0; i < out.length; i++) {
        JsonNode v = scores.get(i);
        out[i] = v.isArray() ? v.get(0).asDouble() : v.isObject() ? v.path("score").asDouble() : v.asDouble();
      }
      return out;
    }

    /** Ends the server and the processes it started (its uvicorn worker). */
    void stop() {
      if (!process.isAlive()) {
        return;
      }
      process.descendants().forEach(ProcessHandle::destroy);
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.descendants().forEach(ProcessHandle::destroyForcibly);
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
