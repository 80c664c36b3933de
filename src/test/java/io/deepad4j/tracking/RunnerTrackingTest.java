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
    // issue 21: the device that ran (auto resolved), and what the spec asked for
    String requested = tags.get("device.requested");
    assertEquals(io.deepad4j.engine.Device.parse(requested).resolved().name().toLowerCase(), tags.get("device"), tags.toString());
    assertIssue21(rest, experiment, run, runId);
    assertTrue(tags.getOrDefault("deepad4j.data.sha256.corrected.gz", "").matches("[0-9a-f]{64}"), "data provenance: " + tags);
    assertTrue(tags.containsKey("deepad4j.data.split_seed"), "split seed: " + tags);

    List<JsonNode> loss = rest.metricHistory(runId, "loss");
    assertEquals(List.of(1L, 2L, 3L), loss.stream().map(m -> m.path("step").asLong()).sorted().toList());
    // issue 21: the learning rate of each epoch (kdd_ae.yaml: constant 0.001), as in history.csv
    List<JsonNode> lr = rest.metricHistory(runId, "lr");
    assertEquals(List.of(1L, 2L, 3L), lr.stream().map(m -> m.path("step").asLong()).sorted().toList());
    lr.forEach(m -> assertEquals(0.001, m.path("value").asDouble(), 1e-12, "lr: " + m));
    assertTrue(Files.exists(runDir.resolve("loss_curve_plot.png")), "the loss curve, uploaded with the folder's files");

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

  /**
   * Issue 21, what an MLflow user expects of a run: the experiment opens in model-training mode; the data
   * sets are inputs with their split as context (the runs table's Dataset column); system metrics under
   * MLflow's names; the logged model named after the run, with the final metrics linked to it on the
   * test data set, and its MLmodel with a signature and an input example.
   */
  private static void assertIssue21(MlflowRest rest, JsonNode experiment, JsonNode run, String runId) throws Exception {
    assertEquals("custom_model_development",
        MlflowRest.keyValues(rest.experimentByName("kdd99-ff12").path("tags")).get("mlflow.experimentKind"), experiment.toString());

    JsonNode inputs = run.path("inputs").path("dataset_inputs");
    Map<String, JsonNode> byContext = new java.util.TreeMap<>();
    for (JsonNode input : inputs) {
      Map<String, String> inputTags = MlflowRest.keyValues(input.path("tags"));
      byContext.put(inputTags.get("mlflow.data.context"), input.path("dataset"));
    }
    assertEquals(List.of("test", "train", "validation"), List.copyOf(byContext.keySet()), inputs.toString());
    java.util.Set<String> digests = new java.util.HashSet<>();
    for (JsonNode dataset : byContext.values()) {
      assertEquals("kdd99-ff12", dataset.path("name").asText());
      assertTrue(dataset.path("digest").asText().matches("[0-9a-f]{10}"), dataset.toString());
      digests.add(dataset.path("digest").asText());
      assertEquals("http", dataset.path("source_type").asText());
      assertEquals(18, JSON.readTree(dataset.path("schema").asText()).path("mlflow_colspec").size(), dataset.toString());
    }
    assertEquals(3, digests.size(), "one data set per split: " + inputs);
    assertEquals("http://kdd.ics.uci.edu/databases/kddcup99/corrected.gz",
        JSON.readTree(byContext.get("test").path("source").asText()).path("url").asText());
    assertEquals(97278, JSON.readTree(byContext.get("train").path("profile").asText()).path("num_rows").asInt());

    for (String name : List.of("cpu_utilization_percentage", "system_memory_usage_megabytes",
        "system_memory_usage_percentage", "disk_usage_percentage")) {
      List<JsonNode> points = rest.metricHistory(runId, "system/" + name);
      assertTrue(points.size() >= 2, "a sample at start and one at the end of system/" + name + ": " + points);
      assertEquals(0L, points.stream().mapToLong(p -> p.path("step").asLong()).min().orElse(-1), "steps from 0");
    }

    JsonNode search = rest.post("/api/2.0/mlflow/logged-models/search", "{\"experiment_ids\":[\""
        + experiment.path("experiment_id").asText() + "\"],\"filter\":\"source_run_id = '" + runId + "'\"}");
    assertEquals(1, search.path("models").size(), search.toString());
    JsonNode model = search.path("models").get(0);
    assertEquals("kdd_ae", model.path("info").path("name").asText(), "the logged model is named after the run");
    Map<String, JsonNode> linked = new java.util.HashMap<>();
    model.path("data").path("metrics").forEach(m -> linked.put(m.path("key").asText(), m));
    JsonNode rocAuc = linked.get("roc_auc");
    assertTrue(rocAuc != null, "final metrics linked to the logged model: " + model);
    assertEquals(byContext.get("test").path("digest").asText(), rocAuc.path("dataset_digest").asText(), rocAuc.toString());
    assertEquals("kdd99-ff12", rocAuc.path("dataset_name").asText());

    String mlmodel = new String(rest.download(runId, "model/MLmodel"));
    assertTrue(mlmodel.contains("signature:") && mlmodel.contains("tensor-spec") && mlmodel.contains("saved_input_example_info"),
        mlmodel);
    JsonNode example = JSON.readTree(rest.download(runId, "model/input_example.json"));
    assertEquals(5, example.path("x").size(), "five raw training rows: " + example);
    assertEquals(18, example.path("x").get(0).size());
  }

  @Test
  void trackedRunHasParamsHistoryMetricsArtifactsAndModel(@TempDir Path tmp) throws Exception {
    try (MlflowTestServer server = MlflowTestServer.started(tmp.resolve("mlflow"))) {
      Path outputs = tmp.resolve("outputs");
      // device auto: the tag says what it resolved to
      assertEquals(0, runner(outputs, server.uri(), "model.epochs=3", "tracking.register_model=kdd-ae"));
      MlflowRest rest = new MlflowRest(server.uri());
      assertRunInMlflow(rest, onlyRun(outputs));
      assertEquals("auto", MlflowRest.keyValues(rest.run(rest.runsOf(rest.experimentByName("kdd99-ff12")
          .path("experiment_id").asText()).get(0).path("info").path("run_id").asText()).path("data").path("tags"))
          .get("device.requested"));

      // issue 21: the registered version says what made it
      List<JsonNode> versions = rest.modelVersions("kdd-ae");
      assertEquals(1, versions.size(), versions.toString());
      JsonNode version = versions.get(0);
      assertTrue(version.path("description").asText().contains("```yaml") && version.path("description").asText()
          .contains("type: ae"), version.toString());
      Map<String, String> versionTags = MlflowRest.keyValues(version.path("tags"));
      assertTrue(versionTags.getOrDefault("deepad4j.data.digest", "").matches("[0-9a-f]{10}"), versionTags.toString());
      assertEquals("kdd99-ff12", versionTags.get("deepad4j.data.name"));
      assertEquals("ae", versionTags.get("deepad4j.model_type"));
    }
  }

  @Test
  void runWithTheServerDownIsUploadedBySyncOnce(@TempDir Path tmp) throws Exception {
    try (MlflowTestServer server = new MlflowTestServer(tmp.resolve("mlflow"))) {
      Path outputs = tmp.resolve("outputs");
      assertEquals(0, runner(outputs, server.uri(), "model.epochs=3", "device=cpu"), "the run completes without MLflow");
      Path runDir = onlyRun(outputs);
      assertEquals("FINISHED", JSON.readTree(runDir.resolve("run.json").toFile()).path("status").asText());
      // issue 18.9: the run's recorded server is down: say which URI was tried and how to send elsewhere
      int[] code = new int[1];
      String out = outputOf(() -> code[0] = Main.execute("sync", outputs.toString()));
      assertEquals(1, code[0], "nothing could be sent: " + out);
      assertTrue(out.contains("SERVER_UNREACHABLE") && out.contains(server.uri()) && out.contains("--uri URL"), out);
      assertFalse(out.contains("SyncReport["), "a summary, not a record's toString: " + out);
      // credentials given to sync are used, never printed
      String withSecret = server.uri().replace("http://", "http://alice18:s3cret18@");
      out = outputOf(() -> code[0] = Main.execute("sync", outputs.toString(), "--uri", withSecret));
      assertEquals(1, code[0], out);
      assertTrue(out.contains(server.uri()), out);
      assertNoSecret(out, "sync's output");

      server.start();
      out = outputOf(() -> code[0] = Main.execute("sync", outputs.toString()));
      assertEquals(0, code[0], out);
      assertTrue(out.contains("SYNCED") && out.contains("1 run folder"), out);
      assertFalse(out.contains("SyncReport["), out);
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
      Process p = startEndlessRun(server, outputs, tmp.resolve("run.log"));
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

  /** Issue 18.1: user:password in tracking.uri (spec text and override) is used to connect but written nowhere. */
  @Test
  void passwordInTrackingUriIsUsedButWrittenNowhere(@TempDir Path tmp) throws Exception {
    try (MlflowTestServer server = MlflowTestServer.started(tmp.resolve("mlflow"))) {
      Path outputs = tmp.resolve("outputs");
      Path spec = tmp.resolve("secret.yaml");
      Files.writeString(spec, Files.readString(Path.of("experiments/kdd_ae.yaml"))
          + "tracking:\n  uri: " + server.uri().replace("http://", "http://alice18:s3cret18a@") + "\n");
      String override = "tracking.uri=" + server.uri().replace("http://", "http://bob18:s3cret18b@");
      int[] code = new int[1];
      String console = outputOf(() -> code[0] = Main.execute(spec.toString(), override, "model.epochs=1",
          "device=cpu", "dataset.data_dir=" + TestData.kdd99Dir(), "--outputs", outputs.toString()));
      assertEquals(0, code[0], console);
      assertNoSecret(console, "the console");
      try (Stream<Path> files = Files.walk(outputs)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          assertNoSecret(new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1), f.toString());
        }
      }
      Path runDir = onlyRun(outputs);
      assertTrue(Files.readString(runDir.resolve("config.yaml")).contains("uri: " + server.uri()), "the URI stays, without user info");

      MlflowRest rest = new MlflowRest(server.uri());
      JsonNode experiment = rest.experimentByName("kdd99-ff12");
      List<JsonNode> runs = rest.runsOf(experiment.path("experiment_id").asText());
      assertEquals(1, runs.size());
      String runId = runs.get(0).path("info").path("run_id").asText();
      JsonNode run = rest.run(runId);
      assertEquals("FINISHED", run.path("info").path("status").asText());
      assertNoSecret(run.toString(), "the MLflow run");
      Map<String, String> params = MlflowRest.keyValues(run.path("data").path("params"));
      assertEquals(server.uri(), params.get("tracking.uri"));
      String note = MlflowRest.keyValues(run.path("data").path("tags")).get("mlflow.note.content");
      assertTrue(note.contains("uri: " + server.uri()) && note.contains("tracking.uri=" + server.uri()), note);
      List<JsonNode> models = rest.loggedModelsOfRun(experiment.path("experiment_id").asText(), runId);
      assertFalse(models.isEmpty());
      assertNoSecret(models.toString(), "the logged model");
      for (String artifact : rest.artifacts(runId).keySet()) {
        assertNoSecret(new String(rest.download(runId, artifact), java.nio.charset.StandardCharsets.ISO_8859_1), artifact);
      }
    }
  }

  /** Issue 18.3: a run with tracking.uri: none stays local, whatever MLFLOW_TRACKING_URI says later or then. */
  @Test
  void deliberatelyLocalRunIsNotUploadedBySyncAndItsLogTellsWhy(@TempDir Path tmp) throws Exception {
    try (MlflowTestServer server = MlflowTestServer.started(tmp.resolve("mlflow"))) {
      Path outputs = tmp.resolve("outputs");
      Map<String, String> env = Map.of("MLFLOW_TRACKING_URI", server.uri());
      String log = javaMain(env, tmp.resolve("run.log"), 0, "experiments/kdd_ae.yaml", "tracking.uri=none",
          "tracking.system_metrics=false", "model.epochs=1", "device=cpu", "dataset.data_dir=" + TestData.kdd99Dir(), "--outputs", outputs.toString());
      assertFalse(log.contains("no MLFLOW_TRACKING_URI"), "MLFLOW_TRACKING_URI is set: " + log);
      assertTrue(log.contains("tracking disabled: tracking.uri is none"), log);
      String journal = Files.readString(onlyRun(outputs).resolve("tracking/journal.jsonl"));
      assertFalse(journal.contains("system/"), "tracking.system_metrics: false samples nothing");
      assertTrue(journal.contains("\"op\":\"inputs\""), "the data set inputs are journaled for a local run too");

      String sync = javaMain(env, tmp.resolve("sync.log"), 0, "sync", outputs.toString());
      assertTrue(sync.contains("LOCAL_ONLY") && sync.contains("not uploaded"), sync);
      JsonNode experiments = new MlflowRest(server.uri()).post("/api/2.0/mlflow/experiments/search", "{\"max_results\":100}");
      List<String> names = new java.util.ArrayList<>();
      experiments.path("experiments").forEach(e -> names.add(e.path("name").asText()));
      assertEquals(List.of("Default"), names, "nothing uploaded");
      assertEquals("FINISHED", JSON.readTree(onlyRun(outputs).resolve("run.json").toFile()).path("status").asText());
    }
  }

  /** Issue 18.8: after kill -9, sync fixes run.json (RUNNING for ever before) as it fixes MLflow. */
  @Test
  void runKilledHardIsFailedBySyncLocallyAsInMlflow(@TempDir Path tmp) throws Exception {
    try (MlflowTestServer server = MlflowTestServer.started(tmp.resolve("mlflow"))) {
      Path outputs = tmp.resolve("outputs");
      Process p = startEndlessRun(server, outputs, tmp.resolve("run.log"));
      MlflowRest rest = new MlflowRest(server.uri());
      String runId = awaitEpochs(rest, p, tmp.resolve("run.log"), 2);
      p.destroyForcibly(); // SIGKILL: no shutdown hook, no end
      assertTrue(p.waitFor(60, TimeUnit.SECONDS));
      Path runDir = onlyRun(outputs);
      assertEquals("RUNNING", JSON.readTree(runDir.resolve("run.json").toFile()).path("status").asText(),
          "the precondition: the dead run still says RUNNING");

      int[] code = new int[1];
      String out = outputOf(() -> code[0] = Main.execute("sync", outputs.toString()));
      assertEquals(0, code[0], out);
      assertEquals("FAILED", rest.run(runId).path("info").path("status").asText());
      JsonNode status = JSON.readTree(runDir.resolve("run.json").toFile());
      assertEquals("FAILED", status.path("status").asText(), status.toString());
      assertTrue(status.path("error").asText().contains(Sync.DIED_MESSAGE), status.toString());
      assertTrue(status.has("ended"), status.toString());
      try (Stream<Path> files = Files.list(runDir)) {
        assertFalse(files.anyMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no temporary file left");
      }
    }
  }

  /** Waits until the run in MLflow has {@code epochs} loss points; returns its id. */
  private static String awaitEpochs(MlflowRest rest, Process p, Path log, int epochs) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
    while (System.nanoTime() < deadline) {
      Thread.sleep(500);
      assertTrue(p.isAlive(), () -> "the run ended early: " + read(log));
      JsonNode exp;
      try {
        exp = rest.experimentByName("kdd99-ff12");
      } catch (AssertionError notYet) {
        continue;
      }
      if (exp.has("experiment_id")) {
        List<JsonNode> runs = rest.runsOf(exp.path("experiment_id").asText());
        if (!runs.isEmpty()) {
          String runId = runs.get(0).path("info").path("run_id").asText();
          if (rest.metricHistory(runId, "loss").size() >= epochs) {
            return runId;
          }
        }
      }
    }
    throw new AssertionError("the run did not log " + epochs + " epochs in 240 s: " + read(log));
  }

  /** A child JVM training the autoencoder for 100,000 epochs, tracked by {@code server}; its output goes to {@code log}. */
  static Process startEndlessRun(MlflowTestServer server, Path outputs, Path log) throws java.io.IOException {
    return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "io.deepad4j.cli.Main", "experiments/kdd_ae.yaml",
        "model.epochs=100000", "device=cpu", "tracking.uri=" + server.uri(), "dataset.data_dir=" + TestData.kdd99Dir(),
        "--outputs", outputs.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  static void assertNoSecret(String text, String where) {
    for (String secret : List.of("s3cret18", "alice18", "bob18")) {
      assertFalse(text.contains(secret), where + " holds '" + secret + "'");
    }
  }

  /** What {@code r} prints on System.out and System.err (the log goes to System.err). */
  static String outputOf(Runnable r) {
    java.io.PrintStream out = System.out;
    java.io.PrintStream err = System.err;
    java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
    java.io.PrintStream both = new java.io.PrintStream(buf, true);
    System.setOut(both);
    System.setErr(both);
    try {
      r.run();
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    return buf.toString();
  }

  /** Runs {@code Main} in a child JVM with more environment; asserts its exit code and returns its output. */
  static String javaMain(Map<String, String> env, Path log, int expectedCode, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "io.deepad4j.cli.Main"));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    assertTrue(p.waitFor(300, TimeUnit.SECONDS), "the child JVM did not end: " + read(log));
    assertEquals(expectedCode, p.exitValue(), read(log));
    return read(log);
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (Exception e) {
      return "";
    }
  }
}
