package io.deepad4j.tracking;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.IntConsumer;
import java.util.stream.Stream;

/**
 * A small but complete run: a run folder with the files the runner writes (text, binary images, a
 * model folder with MLmodel and a binary "SavedModel"), tracked through a {@link RunTracker} with
 * params, per-epoch and final metrics and tags, plus the checks that the server holds all of it.
 * Time windows around each call let the checks prove that a replay kept the original timestamps.
 */
final class ExampleRun {
  static final int EPOCHS = 5;
  static final String LONG_VALUE = "x".repeat(7000);

  final Path runDir;
  final String experiment;
  final String runName;
  final Map<String, String> params = new LinkedHashMap<>();
  final Map<String, String> tags = new LinkedHashMap<>();
  final Map<String, Double> finalMetrics = new LinkedHashMap<>();
  long startBefore;
  long startAfter;
  long endBefore;
  long endAfter;
  final long[] epochBefore = new long[EPOCHS + 1];
  final long[] epochAfter = new long[EPOCHS + 1];

  private ExampleRun(Path runDir, String experiment, String runName) {
    this.runDir = runDir;
    this.experiment = experiment;
    this.runName = runName;
    params.put("model.type", "ae");
    params.put("model.learning_rate", "0.001");
    params.put("model.layers[0]", "64"); // not a valid MLflow key: sent as model.layers_0_
    params.put("dataset.note", LONG_VALUE); // over MLflow's 6000-character limit
    tags.put("mlflow.source.name", "experiments/kdd_ae.yaml");
    tags.put("mlflow.user", "tester");
    tags.put("mlflow.note.content", "experiment: " + experiment + "\nmodel:\n  type: ae\n");
    finalMetrics.put("roc_auc", 0.93);
    finalMetrics.put("f1_score", 0.81);
    finalMetrics.put("threshold", 0.05);
  }

  /** Writes the run folder under {@code outputs/<experiment>/<runName>-20260101-120000/}. */
  static ExampleRun create(Path outputs, String experiment, String runName) {
    Path dir = outputs.resolve(experiment).resolve(runName + "-20260101-120000");
    ExampleRun run = new ExampleRun(dir, experiment, runName);
    Random random = new Random(runName.hashCode());
    write(dir.resolve("config.yaml"), "experiment: " + experiment + "\nrun_name: " + runName + "\n");
    write(dir.resolve("metrics.json"), "{\"roc_auc\": 0.93}\n");
    write(dir.resolve("history.csv"), "epoch,loss\n1,1.0\n2,0.5\n");
    write(dir.resolve("scores.csv"), "score,label\n0.1,0\n0.9,1\n");
    write(dir.resolve("roc_curve_plot.png"), bytes(random, 3000));
    write(dir.resolve("extra/notes with space.txt"), "file names with spaces are URL-encoded\n");
    write(dir.resolve("model/MLmodel"), """
        flavors:
          tensorflow:
            saved_model_dir: tfmodel
            meta_graph_tags: [serve]
            signature_def_key: serving_default
            model_type: tf1-estimator
          python_function:
            loader_module: mlflow.tensorflow
            python_version: "3.11"
        """);
    write(dir.resolve("model/tfmodel/saved_model.pb"), bytes(random, 5000));
    write(dir.resolve("model/tfmodel/variables/variables.data-00000-of-00001"), bytes(random, 20000));
    write(dir.resolve("model/preprocessing.json"), "{\"scaler\": \"minmax\"}\n");
    return run;
  }

  static double loss(int epoch) {
    return 1.0 / epoch;
  }

  /** Tracks the whole run; {@code afterEpoch} runs after each epoch is logged. */
  void track(RunTracker tracker, IntConsumer afterEpoch) {
    startBefore = System.currentTimeMillis();
    tracker.start(experiment, runName, params, tags);
    startAfter = System.currentTimeMillis();
    for (int epoch = 1; epoch <= EPOCHS; epoch++) {
      epochBefore[epoch] = System.currentTimeMillis();
      tracker.logEpoch(epoch, Map.of("loss", loss(epoch), "val_loss", 1.5 * loss(epoch)));
      epochAfter[epoch] = System.currentTimeMillis();
      afterEpoch.accept(epoch);
    }
    tracker.logMetrics(finalMetrics);
    tracker.setTag("device", "cpu");
    tracker.logArtifactsAndModel(runDir);
    endBefore = System.currentTimeMillis();
    tracker.end(RunStatus.FINISHED, null);
    endAfter = System.currentTimeMillis();
  }

  /** The run's files as the server should hold them: relative path -> bytes (tracking/ excluded). */
  Map<String, byte[]> expectedArtifacts() {
    Map<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(runDir)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        String rel = runDir.relativize(p).toString().replace('\\', '/');
        if (!rel.startsWith("tracking/")) {
          files.put(rel, Files.readAllBytes(p));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }

  /** Asserts that the server holds the complete run, with the original timestamps. */
  void assertOnServer(MlflowRest rest, String runId) {
    JsonNode experimentNode = rest.experimentByName(experiment);
    JsonNode run = rest.run(runId);
    JsonNode info = run.path("info");
    assertEquals(experimentNode.path("experiment_id").asText(), info.path("experiment_id").asText());
    assertEquals(runName, info.path("run_name").asText());
    assertEquals("FINISHED", info.path("status").asText());
    assertEquals("tester", info.path("user_id").asText());
    assertBetween(startBefore, startAfter, info.path("start_time").asLong(), "start_time");
    assertBetween(endBefore, endAfter, info.path("end_time").asLong(), "end_time");

    Map<String, String> serverParams = MlflowRest.keyValues(run.path("data").path("params"));
    assertEquals(Map.of("model.type", "ae", "model.learning_rate", "0.001", "model.layers_0_", "64",
        "dataset.note", LONG_VALUE.substring(0, 6000)), serverParams);

    Map<String, String> serverTags = MlflowRest.keyValues(run.path("data").path("tags"));
    tags.forEach((k, v) -> assertEquals(v, serverTags.get(k), "tag " + k));
    assertEquals("cpu", serverTags.get("device"));
    assertEquals(runName, serverTags.get("mlflow.runName"));

    for (String key : List.of("loss", "val_loss")) {
      List<JsonNode> history = rest.metricHistory(runId, key);
      assertEquals(EPOCHS, history.size(), key + " history: one point per epoch, got " + history);
      history.sort((a, b) -> Long.compare(a.path("step").asLong(), b.path("step").asLong()));
      for (int epoch = 1; epoch <= EPOCHS; epoch++) {
        JsonNode point = history.get(epoch - 1);
        assertEquals(epoch, point.path("step").asLong());
        double factor = key.equals("loss") ? 1.0 : 1.5;
        assertEquals(factor * loss(epoch), point.path("value").asDouble(), 1e-12);
        assertBetween(epochBefore[epoch], epochAfter[epoch], point.path("timestamp").asLong(),
            key + " timestamp at epoch " + epoch);
      }
    }
    finalMetrics.forEach((key, value) -> {
      List<JsonNode> history = rest.metricHistory(runId, key);
      assertEquals(1, history.size(), key);
      assertEquals(0, history.get(0).path("step").asLong());
      assertEquals(value, history.get(0).path("value").asDouble(), 1e-12);
    });

    Map<String, byte[]> expected = expectedArtifacts();
    Map<String, Long> listed = rest.artifacts(runId);
    assertEquals(expected.keySet(), listed.keySet(), "artifacts listed");
    expected.forEach((path, bytes) -> {
      assertEquals(bytes.length, listed.get(path), "size of " + path);
      assertArrayEquals(bytes, rest.download(runId, path), "bytes of " + path);
    });
    assertFalse(listed.keySet().stream().anyMatch(p -> p.startsWith("tracking")), "tracking/ is not uploaded");

    // the model, as MLflow 2 shows it (run tag) and as MLflow 3 does (logged model linked as output)
    String history = serverTags.getOrDefault("mlflow.log-model.history", "");
    assertTrue(history.contains("\"artifact_path\": \"model\"") || history.contains("\"artifact_path\":\"model\""),
        "mlflow.log-model.history: " + history);
    assertTrue(history.contains("tensorflow") && history.contains("python_function"), history);
    List<JsonNode> models = rest.loggedModelsOfRun(info.path("experiment_id").asText(), runId);
    assertEquals(1, models.size(), "one logged model for the run: " + models);
    JsonNode model = models.get(0);
    assertEquals("LOGGED_MODEL_READY", model.path("status").asText());
    assertEquals("model", model.path("name").asText());
    List<String> outputs = run.path("outputs").path("model_outputs").findValuesAsText("model_id");
    assertEquals(List.of(model.path("model_id").asText()), outputs, "model linked as the run's output");
    String location = model.path("artifact_uri").asText().replaceFirst("^mlflow-artifacts:/+", "");
    Map<String, Long> modelFiles = rest.proxiedFiles(location);
    Map<String, Long> expectedModelFiles = new TreeMap<>();
    expected.forEach((path, bytes) -> {
      if (path.startsWith("model/")) {
        expectedModelFiles.put(path.substring("model/".length()), (long) bytes.length);
      }
    });
    assertEquals(expectedModelFiles, modelFiles, "the logged model's own files");
  }

  static void assertBetween(long low, long high, long actual, String what) {
    assertTrue(actual >= low && actual <= high, what + " = " + actual + " not in [" + low + ", " + high + "]");
  }

  private static byte[] bytes(Random random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  private static void write(Path file, String text) {
    write(file, text.getBytes(StandardCharsets.UTF_8));
  }

  private static void write(Path file, byte[] bytes) {
    try {
      Files.createDirectories(file.getParent());
      Files.write(file, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
