package io.deepad4j.tracking;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deepad4j.TestData;
import io.deepad4j.cli.Main;
import io.deepad4j.models.ModelRegistry;
import io.deepad4j.spec.ResolvedSpec;
import io.deepad4j.spec.SpecLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `./runner` against a real MLflow server: what a user sees in MLflow after a run, a sync and a Ctrl-C. */
@Tag("mlflow")
class RunnerTrackingTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Path onlyRun(Path outputs) throws Exception {
    try (Stream<Path> s = Files.list(outputs.resolve("kdd99-ff12"))) {
      List<Path> runs = s.toList();
      assertEquals(1, runs.size(), runs.toString());
      return runs.get(0);
    }
  }

  private static int runner(Path outputs, String uri, String... more) {
    List<String> args = new java.util.ArrayList<>(List.of("experiments/kdd_ae.yaml", "tracking.uri=" + uri,
        "dataset.data_dir=" + TestData.kdd99Dir(), "--outputs", outputs.toString()));
    args.addAll(List.of(more));
    return Main.execute(args.toArray(String[]::new));
  }

  /** Everything DESIGN.md promises in MLflow for one finished run of kdd_ae.yaml with 3 epochs. */
  private static void assertRunInMlflow(MlflowRest rest, Path runDir) throws Exception {
    JsonNode experiment = rest.experimentByName("kdd99-ff12");
    List<JsonNode> runs = rest.runsOf(experiment.path("experiment_id").asText());
    assertEquals(1, runs.size(), "exactly one run");
    String runId = runs.get(0).path("info").path("run_id").asText();
    JsonNode run = rest.run(runId);
    assertEquals("FINISHED", run.path("info").path("status").asText());

    Map<String, String> params = MlflowRest.keyValues(run.path("data").path("params"));
    ResolvedSpec spec = new SpecLoader(ModelRegistry.get()).load(runDir.resolve("config.yaml"), List.of());
    for (var e : spec.flatParams().entrySet()) {
      assertEquals(e.getValue(), params.get(e.getKey()), "param " + e.getKey());
    }
    Map<String, String> tags = MlflowRest.keyValues(run.path("data").path("tags"));
    assertEquals("kdd_ae", tags.get("mlflow.runName"));
    assertTrue(tags.get("mlflow.note.content").contains("type: ae"), "the spec is the run description");
    assertEquals("cpu", tags.get("device"));

    List<JsonNode> loss = rest.metricHistory(runId, "loss");
    assertEquals(List.of(1L, 2L, 3L), loss.stream().map(m -> m.path("step").asLong()).sorted().toList());

    JsonNode local = JSON.readTree(runDir.resolve("metrics.json").toFile());
    Map<String, Double> remote = new java.util.HashMap<>();
    run.path("data").path("metrics").forEach(m -> remote.put(m.path("key").asText(), m.path("value").asDouble()));
    local.fields().forEachRemaining(e -> assertEquals(e.getValue().asDouble(), remote.get(e.getKey()), 1e-9, e.getKey()));

    Map<String, Long> artifacts = rest.artifacts(runId);
    try (Stream<Path> files = Files.walk(runDir)) {
      for (Path f : files.filter(Files::isRegularFile).filter(p -> !runDir.relativize(p).startsWith("tracking")).toList()) {
        String rel = runDir.relativize(f).toString().replace('\\', '/');
        if (rel.equals("run.json")) {
          continue; // rewritten with the final status after the upload
        }
        assertTrue(artifacts.containsKey(rel), "artifact " + rel + " listed; have " + artifacts.keySet());
        assertArrayEquals(Files.readAllBytes(f), rest.download(runId, rel), "bytes of " + rel);
      }
    }
    assertTrue(tags.containsKey("mlflow.log-model.history"), "model logged for the run page");
    assertFalse(rest.loggedModelsOfRun(experiment.path("experiment_id").asText(), runId).isEmpty(), "MLflow 3 logged model");
  }

  @Test
  void trackedRunHasParamsHistoryMetricsArtifactsAndModel(@TempDir Path tmp) throws Exception {
    try (MlflowTestServer server = MlflowTestServer.started(tmp.resolve("mlflow"))) {
      Path outputs = tmp.resolve("outputs");
      assertEquals(0, runner(outputs, server.uri(), "model.epochs=3", "device=cpu"));
      assertRunInMlflow(new MlflowRest(server.uri()), onlyRun(outputs));
    }
  }

  @Test
  void runWithTheServerDownIsUploadedBySyncOnce(@TempDir Path tmp) throws Exception {
    try (MlflowTestServer server = new MlflowTestServer(tmp.resolve("mlflow"))) {
      Path outputs = tmp.resolve("outputs");
      assertEquals(0, runner(outputs, server.uri(), "model.epochs=3", "device=cpu"), "the run completes without MLflow");
      Path runDir = onlyRun(outputs);
      assertEquals("FINISHED", JSON.readTree(runDir.resolve("run.json").toFile()).path("status").asText());
      server.start();
      assertEquals(0, Main.execute("sync", outputs.toString()));
      MlflowRest rest = new MlflowRest(server.uri());
      assertRunInMlflow(rest, runDir);
      assertEquals(0, Main.execute("sync", outputs.toString()));
      assertRunInMlflow(rest, runDir); // still one run, three loss points
    }
  }

  @Test
  void ctrlCMidTrainingEndsTheRunKilledWithItsHistory(@TempDir Path tmp) throws Exception {
    try (MlflowTestServer server = MlflowTestServer.started(tmp.resolve("mlflow"))) {
      Path outputs = tmp.resolve("outputs");
      Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), "io.deepad4j.cli.Main", "experiments/kdd_ae.yaml",
          "model.epochs=100000", "device=cpu", "tracking.uri=" + server.uri(), "dataset.data_dir=" + TestData.kdd99Dir(),
          "--outputs", outputs.toString())
          .redirectErrorStream(true).redirectOutput(tmp.resolve("run.log").toFile()).start();
      MlflowRest rest = new MlflowRest(server.uri());
      String runId = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
      while (System.nanoTime() < deadline) {
        Thread.sleep(500);
        JsonNode exp;
        try {
          exp = rest.experimentByName("kdd99-ff12");
        } catch (AssertionError notYet) {
          continue; // the run has not created its experiment yet
        }
        if (exp != null && !exp.isMissingNode() && exp.has("experiment_id")) {
          List<JsonNode> runs = rest.runsOf(exp.path("experiment_id").asText());
          if (!runs.isEmpty()) {
            runId = runs.get(0).path("info").path("run_id").asText();
            if (rest.metricHistory(runId, "loss").size() >= 3) {
              break;
            }
          }
        }
        assertTrue(p.isAlive(), () -> "the run ended early: " + read(tmp.resolve("run.log")));
      }
      assertTrue(runId != null, "the run appeared in MLflow");
      p.destroy(); // SIGTERM, as Ctrl-C's SIGINT: the JVM runs its shutdown hooks
      assertTrue(p.waitFor(60, TimeUnit.SECONDS));
      JsonNode run = rest.run(runId);
      assertEquals("KILLED", run.path("info").path("status").asText(), read(tmp.resolve("run.log")));
      assertTrue(rest.metricHistory(runId, "loss").size() >= 3, "history so far is kept");
      assertEquals("KILLED", JSON.readTree(onlyRun(outputs).resolve("run.json").toFile()).path("status").asText());
    }
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (Exception e) {
      return "";
    }
  }
}
