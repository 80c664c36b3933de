package io.deepad4j.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs that cannot reach the server complete locally and are uploaded by {@link Sync} later. */
@Tag("mlflow")
class OfflineSyncTest {
  @TempDir
  Path tmp;

  @Test
  void runWithServerDownAtStartIsUploadedBySyncWithItsOriginalTimes() {
    Path outputs = tmp.resolve("outputs");
    try (MlflowTestServer server = new MlflowTestServer(tmp.resolve("server"))) { // not started yet
      ExampleRun run = ExampleRun.create(outputs, "offline", "ae");
      long t0 = System.currentTimeMillis();
      try (RunTracker tracker = Tracking.open(server.uri(), run.runDir)) {
        run.track(tracker, epoch -> { });
        assertTrue(tracker.runId().isEmpty());
      }
      long runMillis = System.currentTimeMillis() - t0;
      // one bounded wait for the server, not one per call
      assertTrue(runMillis < MlflowServer.RETRY_BUDGET.toMillis() + 10_000, "run took " + runMillis + " ms");
      Journal.Contents journal = Journal.read(run.runDir);
      assertEquals(journal.entries(), journal.pending(), "nothing acknowledged while the server was down");

      server.start();
      MlflowRest rest = new MlflowRest(server.uri());
      long syncStart = System.currentTimeMillis();
      SyncReport report = Sync.sync(outputs, null);
      assertEquals(SyncReport.Outcome.SYNCED, report.runs().get(0).outcome(), report.summary());
      assertEquals(journal.entries().size(), report.sent());
      String runId = report.runs().get(0).runId();
      run.assertOnServer(rest, runId);
      assertTrue(rest.run(runId).path("info").path("start_time").asLong() < syncStart);

      assertSecondSyncChangesNothing(outputs, rest, run, runId);
    }
  }

  @Test
  void runWhoseServerGoesAwayMidRunCompletesAndSyncFinishesIt() {
    Path outputs = tmp.resolve("outputs");
    try (MlflowTestServer server = MlflowTestServer.started(tmp.resolve("server"))) {
      MlflowRest rest = new MlflowRest(server.uri());
      ExampleRun run = ExampleRun.create(outputs, "server-lost", "ae");
      String runId;
      try (RunTracker tracker = Tracking.open(server.uri(), run.runDir)) {
        run.track(tracker, epoch -> {
          if (epoch == 2) {
            // epoch metrics go out in the background: let epoch 1's arrive before the server goes,
            // so that "before the server went away" does not depend on how busy the machine is
            awaitMetricPoints(rest, tracker.runId().orElseThrow(), 1);
            server.stop();
          }
        });
        runId = tracker.runId().orElseThrow();
      }
      server.start();
      JsonNode before = rest.run(runId).path("info");
      assertEquals("RUNNING", before.path("status").asText(), "the end never reached the server");
      // epoch metrics are sent in the background, so epoch 2's may or may not beat the shutdown
      int live = rest.metricHistory(runId, "loss").size();
      assertTrue(live >= 1 && live <= 2, "epochs before the server went away arrived live: " + live);

      SyncReport report = Sync.sync(outputs, null);
      assertEquals(SyncReport.Outcome.SYNCED, report.runs().get(0).outcome(), report.summary());
      assertEquals(runId, report.runs().get(0).runId(), "sync continues the same run");
      run.assertOnServer(rest, runId);

      assertSecondSyncChangesNothing(outputs, rest, run, runId);
    }
  }

  /** Waits up to 30 s for the run to hold {@code points} values of "loss" on the server. */
  private static void awaitMetricPoints(MlflowRest rest, String runId, int points) {
    long deadline = System.currentTimeMillis() + 30_000;
    while (rest.metricHistory(runId, "loss").size() < points) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("epoch 1's loss did not reach the server within 30 s");
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for epoch 1's loss", e);
      }
    }
  }

  private static void assertSecondSyncChangesNothing(Path outputs, MlflowRest rest, ExampleRun run, String runId) {
    SyncReport again = Sync.sync(outputs, null);
    assertEquals(0, again.sent(), again.summary());
    assertEquals(SyncReport.Outcome.UP_TO_DATE, again.runs().get(0).outcome());
    assertEquals(ExampleRun.EPOCHS, rest.metricHistory(runId, "loss").size());
    String experimentId = rest.experimentByName(run.experiment).path("experiment_id").asText();
    List<JsonNode> runs = rest.runsOf(experimentId);
    assertEquals(1, runs.size(), "no duplicate run: " + runs);
    assertEquals(1, rest.loggedModelsOfRun(experimentId, runId).size(), "no duplicate logged model");
  }
}
