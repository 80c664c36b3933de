package io.deepad4j.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tracking against one real MLflow server shared by the class. */
@Tag("mlflow")
class MlflowTrackingTest {
  @TempDir
  static Path serverDir;
  static MlflowTestServer server;
  static MlflowRest rest;

  @TempDir
  Path outputs;

  @BeforeAll
  static void startServer() {
    server = MlflowTestServer.started(serverDir);
    rest = new MlflowRest(server.uri());
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void trackedRunIsCompleteOnTheServer() {
    ExampleRun run = ExampleRun.create(outputs, "tracked", "ae");
    String runId;
    try (RunTracker tracker = Tracking.open(server.uri(), run.runDir)) {
      assertTrue(tracker.isRemote());
      run.track(tracker, epoch -> { });
      runId = tracker.runId().orElseThrow();
      String experimentId = rest.experimentByName("tracked").path("experiment_id").asText();
      assertEquals(server.uri() + "/#/experiments/" + experimentId + "/runs/" + runId, tracker.runUrl().orElseThrow());
    }
    run.assertOnServer(rest, runId);

    // everything was acknowledged live: a sync has nothing left to send
    SyncReport report = Sync.sync(outputs, null);
    assertEquals(0, report.sent(), report.summary());
    assertEquals(SyncReport.Outcome.UP_TO_DATE, report.runs().get(0).outcome());
  }

  @Test
  void endFromAnotherThreadKillsTheRunWithItsHistorySoFar() throws Exception {
    ExampleRun run = ExampleRun.create(outputs, "killed", "ctrl-c");
    RunTracker tracker = Tracking.open(server.uri(), run.runDir);
    tracker.start(run.experiment, run.runName, run.params, run.tags);
    for (int epoch = 1; epoch <= 3; epoch++) {
      tracker.logEpoch(epoch, Map.of("loss", ExampleRun.loss(epoch)));
    }
    // a shutdown hook ends the run while the training thread keeps logging epochs
    CountDownLatch ended = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      tracker.end(RunStatus.KILLED, "interrupted by the user (Ctrl-C)");
      ended.countDown();
    });
    hook.start();
    int epoch = 4;
    while (!ended.await(0, TimeUnit.MILLISECONDS) && epoch < 1000) {
      tracker.logEpoch(epoch, Map.of("loss", ExampleRun.loss(epoch)));
      epoch++;
    }
    hook.join();
    tracker.logEpoch(epoch, Map.of("loss", 0.0)); // after end: ignored
    tracker.end(RunStatus.FINISHED, null); // the first end wins
    tracker.close();

    String runId = tracker.runId().orElseThrow();
    JsonNode info = rest.run(runId).path("info");
    assertEquals("KILLED", info.path("status").asText());
    Map<String, String> tags = MlflowRest.keyValues(rest.run(runId).path("data").path("tags"));
    assertEquals("interrupted by the user (Ctrl-C)", tags.get(EntrySender.ERROR_TAG));

    // the server holds exactly the epochs journaled before the end entry, each once
    Journal.Contents journal = Journal.read(run.runDir);
    long endSeq = journal.first(EntrySender.END).orElseThrow().seq();
    long epochsBeforeEnd = journal.entries().stream()
        .filter(e -> e.op().equals(EntrySender.METRICS) && e.seq() < endSeq).count();
    assertTrue(epochsBeforeEnd >= 3);
    assertEquals(1, journal.entries().stream().filter(e -> e.op().equals(EntrySender.END)).count());
    assertFalse(journal.entries().stream().anyMatch(e -> e.seq() > endSeq), "nothing journaled after end");
    List<JsonNode> history = rest.metricHistory(runId, "loss");
    assertEquals(epochsBeforeEnd, history.size());
    assertTrue(journal.pending().isEmpty(), "every entry acknowledged");
  }

  @Test
  void rejectedCallThrowsWithTheServersMessageAndIsNotReplayed() {
    ExampleRun run = ExampleRun.create(outputs, "rejected", "bad-metric");
    RunTracker tracker = Tracking.open(server.uri(), run.runDir);
    tracker.start(run.experiment, run.runName, run.params, run.tags);
    tracker.logEpoch(1, Map.of("loss", 1.0));
    // final metrics are sent at once (epoch metrics go in the background, their errors are logged)
    TrackingException e = assertThrows(TrackingException.class,
        () -> tracker.logMetrics(Map.of("bad key!", 2.0)));
    assertEquals(400, e.httpStatus());
    assertEquals("INVALID_PARAMETER_VALUE", e.errorCode());
    assertTrue(e.getMessage().contains("bad key!") && e.getMessage().contains("Names may only contain"),
        e.getMessage());
    // the tracker goes on
    tracker.logEpoch(2, Map.of("loss", 0.5));
    tracker.end(RunStatus.FINISHED, null);
    tracker.close();

    Journal.Contents journal = Journal.read(run.runDir);
    List<Journal.Ack> failed = journal.acks().values().stream().filter(a -> !a.ok()).toList();
    assertEquals(1, failed.size());
    assertTrue(failed.get(0).error().contains("Names may only contain"), failed.get(0).error());
    String runId = tracker.runId().orElseThrow();
    assertEquals(2, rest.metricHistory(runId, "loss").size());
    assertEquals("FINISHED", rest.run(runId).path("info").path("status").asText());
    assertEquals(0, Sync.sync(outputs, null).sent(), "a rejected call is not replayed");
  }

  @Test
  void registerModelCreatesAVersionOnceEvenWhenReplayed() throws Exception {
    ExampleRun run = ExampleRun.create(outputs, "registry", "ae-registered");
    String runId;
    try (RunTracker tracker = Tracking.open(server.uri(), run.runDir)) {
      tracker.start(run.experiment, run.runName, run.params, run.tags);
      tracker.logArtifactsAndModel(run.runDir);
      tracker.registerModel("kdd-ae");
      tracker.end(RunStatus.FINISHED, null);
      runId = tracker.runId().orElseThrow();
    }
    List<JsonNode> versions = rest.modelVersions("kdd-ae");
    assertEquals(1, versions.size(), versions.toString());
    JsonNode version = versions.get(0);
    assertEquals(runId, version.path("run_id").asText());
    String modelId = rest.loggedModelsOfRun(rest.run(runId).path("info").path("experiment_id").asText(), runId)
        .get(0).path("model_id").asText();
    assertEquals("models:/" + modelId, version.path("source").asText());
    assertEquals("READY", version.path("status").asText());

    // the version's files are the model's: MLmodel downloads through the registry's source
    JsonNode registered = rest.get("/api/2.0/mlflow/registered-models/get", Map.of("name", "kdd-ae"));
    assertEquals("kdd-ae", registered.path("registered_model").path("name").asText());
    assertEquals(Files.readString(run.runDir.resolve("model/MLmodel")), new String(rest.getBytes(
        "/model-versions/get-artifact", Map.of("name", "kdd-ae", "version", "1", "path", "MLmodel")),
        StandardCharsets.UTF_8));

    // a replay of the register entry (its ack lost) finds the version instead of adding one
    Journal.Contents journal = Journal.read(run.runDir);
    Journal.JournalEntry register = journal.first(EntrySender.REGISTER).orElseThrow();
    try (MlflowServer mlflow = new MlflowServer(ServerConfig.of(server.uri(), Map.of()))) {
      var result = new EntrySender(mlflow, run.runDir).send(register, RemoteRun.fromJournal(journal));
      assertEquals("1", result.path("version").asText());
    }
    assertEquals(1, rest.modelVersions("kdd-ae").size());
  }

  @Test
  void runOfAProcessKilledHardIsEndedAsFailedBySync() throws Exception {
    Path runDir = outputs.resolve("killed-hard").resolve("oom-20260101-120000");
    String java = ProcessHandle.current().info().command().orElse("java");
    Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        KilledRunMain.class.getName(), server.uri(), runDir.toString())
        .redirectErrorStream(true)
        .redirectOutput(outputs.resolve("child.log").toFile())
        .start();
    assertTrue(child.waitFor(120, TimeUnit.SECONDS), "child JVM did not exit");
    assertEquals(137, child.exitValue(), () -> readString(outputs.resolve("child.log")));

    Journal.Contents journal = Journal.read(runDir);
    assertTrue(journal.first(EntrySender.END).isEmpty());
    // epoch metrics go out in the background: the halt may have cut some of them off
    int pendingBefore = journal.pending().size();
    assertTrue(pendingBefore <= 2, "at most the two epochs are pending: " + pendingBefore);
    String runId = RemoteRun.fromJournal(journal).runId;
    assertEquals("RUNNING", rest.run(runId).path("info").path("status").asText());

    SyncReport report = Sync.sync(outputs, null);
    assertEquals(SyncReport.Outcome.SYNCED, report.runs().get(0).outcome(), report.summary());
    assertEquals(pendingBefore + 1, report.sent(), "the pending epochs and the end are sent");
    JsonNode run = rest.run(runId);
    assertEquals("FAILED", run.path("info").path("status").asText());
    long lastEntry = journal.entries().get(journal.entries().size() - 1).time();
    assertEquals(lastEntry, run.path("info").path("end_time").asLong(), "ended at its last sign of life");
    assertEquals(Sync.DIED_MESSAGE, MlflowRest.keyValues(run.path("data").path("tags")).get(EntrySender.ERROR_TAG));
    assertEquals(2, rest.metricHistory(runId, "loss").size());
    assertEquals(0, Sync.sync(outputs, null).sent());
  }

  /** Issue 18.10d: a torn end line turned a locally FINISHED run into FAILED in MLflow. */
  @Test
  void tornEndLineOfAFinishedRunEndsItFinishedAsRunJsonSays() throws Exception {
    Path outputs = this.outputs.resolve("torn");
    String javaBin = ProcessHandle.current().info().command().orElse("java");
    Process child = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"),
        TornEndRunMain.class.getName(), server.uri(), outputs.toString())
        .redirectErrorStream(true)
        .redirectOutput(this.outputs.resolve("torn.log").toFile())
        .start();
    assertTrue(child.waitFor(120, TimeUnit.SECONDS), "child JVM did not exit");
    assertEquals(137, child.exitValue(), () -> readString(this.outputs.resolve("torn.log")));
    Path runDir;
    try (var dirs = Files.list(outputs.resolve("torn-end"))) {
      runDir = dirs.findFirst().orElseThrow();
    }
    Journal.Contents journal = Journal.read(runDir);
    assertTrue(journal.first(EntrySender.END).isEmpty(), "the end line is torn");
    String runId = RemoteRun.fromJournal(journal).runId;
    assertEquals("RUNNING", rest.run(runId).path("info").path("status").asText());

    SyncReport report = Sync.sync(outputs, null);
    assertEquals(SyncReport.Outcome.SYNCED, report.runs().get(0).outcome(), report.summary());
    JsonNode run = rest.run(runId);
    assertEquals("FINISHED", run.path("info").path("status").asText(), "run.json's final status wins");
    assertFalse(MlflowRest.keyValues(run.path("data").path("tags")).containsKey(EntrySender.ERROR_TAG));
    long ended = java.time.Instant.parse(new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(runDir.resolve("run.json").toFile()).path("ended").asText()).toEpochMilli();
    assertEquals(ended, run.path("info").path("end_time").asLong(), "ended when run.json says");
    assertEquals(java.util.Optional.of(RunStatus.FINISHED), io.deepad4j.run.RunFolder.readState(runDir));
    assertEquals(0, Sync.sync(outputs, null).sent());
  }

  @Test
  void runStillInProgressIsLeftAloneBySync() {
    ExampleRun run = ExampleRun.create(outputs, "in-progress", "ae");
    try (RunTracker tracker = Tracking.open(server.uri(), run.runDir)) {
      tracker.start(run.experiment, run.runName, run.params, run.tags);
      tracker.logEpoch(1, Map.of("loss", 1.0));
      SyncReport report = Sync.sync(outputs, null);
      assertEquals(SyncReport.Outcome.IN_PROGRESS, report.runs().get(0).outcome(), report.summary());
      assertTrue(Journal.read(run.runDir).first(EntrySender.END).isEmpty(), "sync did not end a live run");
      tracker.end(RunStatus.FINISHED, null);
      assertEquals("FINISHED", rest.run(tracker.runId().orElseThrow()).path("info").path("status").asText());
    }
    assertEquals(SyncReport.Outcome.UP_TO_DATE, Sync.sync(outputs, null).runs().get(0).outcome());
  }

  @Test
  void localOnlyRunIsJournaledAndUploadedWhenSyncIsGivenAServer() {
    ExampleRun run = ExampleRun.create(outputs, "local-first", "ae");
    try (RunTracker tracker = Tracking.open(null, run.runDir)) {
      assertFalse(tracker.isRemote());
      run.track(tracker, epoch -> { });
      assertTrue(tracker.runId().isEmpty() && tracker.runUrl().isEmpty());
    }
    assertEquals(SyncReport.Outcome.NO_TRACKING_URI, Sync.sync(outputs, "  ").runs().get(0).outcome());
    SyncReport report = Sync.sync(outputs, server.uri());
    assertEquals(SyncReport.Outcome.SYNCED, report.runs().get(0).outcome(), report.summary());
    run.assertOnServer(rest, report.runs().get(0).runId());
  }

  @Test
  void largeBatchesAreSplitWithinMlflowsLimitsAndCredentialsAreNeverWritten() throws Exception {
    ExampleRun run = ExampleRun.create(outputs, "batches", "wide");
    Map<String, String> params = new java.util.LinkedHashMap<>();
    for (int i = 0; i < 250; i++) {
      params.put("p" + i, Integer.toString(i));
    }
    Map<String, Double> metrics = new java.util.LinkedHashMap<>();
    for (int i = 0; i < 1500; i++) {
      metrics.put("m" + i, i / 10.0);
    }
    metrics.put("diverged", Double.NaN);
    // credentials in the URI are sent (this server has no auth and ignores them) but never stored
    String uriWithSecret = server.uri().replace("http://", "http://alice:s3cret@");
    String runId;
    try (RunTracker tracker = Tracking.open(uriWithSecret, run.runDir)) {
      tracker.start(run.experiment, run.runName, params, Map.of());
      tracker.logMetrics(metrics);
      tracker.end(RunStatus.FINISHED, null);
      runId = tracker.runId().orElseThrow();
      assertFalse(tracker.runUrl().orElseThrow().contains("s3cret"));
    }
    JsonNode data = rest.run(runId).path("data");
    assertEquals(250, data.path("params").size());
    assertEquals(1501, data.path("metrics").size());
    assertEquals("NaN", rest.metricHistory(runId, "diverged").get(0).path("value").asText());
    assertEquals("249", MlflowRest.keyValues(data.path("params")).get("p249"));
    assertEquals(149.9, rest.metricHistory(runId, "m1499").get(0).path("value").asDouble(), 1e-12);
    String journal = Files.readString(Journal.file(run.runDir));
    assertFalse(journal.contains("s3cret") || journal.contains("alice"), "credentials in the journal");
    assertFalse(MlflowRest.keyValues(data.path("tags")).toString().contains("s3cret"));
  }

  private static String readString(Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      return e.toString();
    }
  }
}
