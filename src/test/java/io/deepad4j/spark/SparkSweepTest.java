package io.deepad4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepad4j.cli.Main;
import io.deepad4j.models.ModelRegistry;
import io.deepad4j.spec.SpecLoader;
import io.deepad4j.engine.EpochListener;
import io.deepad4j.sweep.SweepFolder;
import io.deepad4j.sweep.SweepRunner;
import io.deepad4j.sweep.TrialLauncher;
import io.deepad4j.sweep.TrialRecord;
import io.deepad4j.tracking.MlflowTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.api.proto.Service;
import org.mlflow.tracking.MlflowClient;

/**
 * Sweep trials as tasks of a real Spark application on {@code local[2]} (Spark in this JVM) against a
 * real MLflow server: the same results as a local sweep, a trial whose data is missing, the checks
 * before the first task, and a resume after a driver died mid-trial.
 */
@Tag("mlflow")
@Tag("spark")
class SparkSweepTest {
  private static MlflowTestServer server;
  private static MlflowClient client;

  @BeforeAll
  static void startServer(@TempDir Path dir) {
    server = MlflowTestServer.started(dir.resolve("mlflow"));
    client = new MlflowClient(server.uri());
  }

  @AfterAll
  static void stopServer() {
    client.close();
    server.close();
  }

  static SweepRunner.Result onSpark(SparkFixture f, java.util.function.Function<SweepRunner, SweepRunner.Result> run) {
    TrialLauncher launcher = SparkSweeps.launcher("local[2]", 1);
    try {
      return run.apply(new SweepRunner(f.outputs, new SpecLoader(ModelRegistry.get()), EpochListener.NONE, 2, launcher));
    } finally {
      ((SparkTrialLauncher) launcher).close();
    }
  }

  static List<Service.Run> children(String parentId) {
    String experiment = client.getRun(parentId).getInfo().getExperimentId();
    return client.searchRuns(List.of(experiment), "tags.mlflow.parentRunId = '" + parentId + "'").stream()
        .map(i -> client.getRun(i.getRunId())).toList();
  }

  static Map<String, String> tags(Service.Run run) {
    return run.getData().getTagsList().stream().collect(Collectors.toMap(Service.RunTag::getKey, Service.RunTag::getValue));
  }

  @Test
  void trialsRunAsSparkTasksWithTheLocalSweepsResults(@TempDir Path tmp) {
    SparkFixture local = new SparkFixture(tmp.resolve("local"), server.uri(), 2, false);
    SparkFixture spark = new SparkFixture(tmp.resolve("spark"), server.uri(), 2, false);
    SweepRunner.Result l = local.runLocally();
    SweepRunner.Result s = onSpark(spark, r -> r.run("grid", spark.config(), List.of(), spark.sweep.toString()));

    assertEquals(4, s.ran());
    assertEquals(0, s.failed());
    List<TrialRecord> sparkTrials = s.folder().trials();
    assertEquals(4, sparkTrials.size(), "one record per trial in trials.jsonl");
    assertEquals(SparkFixture.modelMetrics(l.folder().trials()), SparkFixture.modelMetrics(sparkTrials),
        "each trial's metrics are those of the same trial run locally");
    assertEquals(SparkFixture.summaryRows(l.summary()), SparkFixture.summaryRows(s.summary()));

    List<Service.Run> kids = children(s.parentRunId());
    assertEquals(4, kids.size());
    for (Service.Run kid : kids) {
      assertEquals(Service.RunStatus.FINISHED, kid.getInfo().getStatus());
      assertEquals("0", tags(kid).get("deepad4j.spark_attempt"));
      assertEquals("driver", tags(kid).get("deepad4j.spark_executor"), "local[2] runs tasks in the driver");
    }
    assertEquals(sparkTrials.stream().map(TrialRecord::mlflowRunId).collect(Collectors.toSet()),
        kids.stream().map(k -> k.getInfo().getRunId()).collect(Collectors.toSet()));
    assertEquals(Service.RunStatus.FINISHED, client.getRun(s.parentRunId()).getInfo().getStatus());
  }

  @Test
  void aTrialWhoseDataIsMissingFailsWithTheWorkerAndThePathWhileTheSweepGoesOn(@TempDir Path tmp) throws Exception {
    SparkFixture f = new SparkFixture(tmp, server.uri(), 2, false);
    Path missing = tmp.resolve("data/gone.csv").toAbsolutePath();
    SparkFixture.write(f.sweep, """
        base: base.yaml
        sweep:
          params:
            dataset.train_file: [%s, %s]
        """.formatted(tmp.resolve("data/train.csv").toAbsolutePath(), missing));
    SweepRunner.Result s = onSpark(f, r -> r.run("grid", f.config(), List.of(), f.sweep.toString()));
    assertEquals(2, s.ran());
    assertEquals(1, s.failed());
    TrialRecord failed = s.folder().trials().stream().filter(t -> !t.finished()).findFirst().orElseThrow();
    assertTrue(failed.error().contains("Spark worker " + TrialTask.hostName()), failed.error());
    assertTrue(failed.error().contains(missing.toString()), failed.error());
    assertTrue(s.summary().best().isPresent(), "the other trial finished");
  }

  @Test
  void aSparkSweepNeedsATrackingServerThatTheWorkersReach(@TempDir Path tmp) throws Exception {
    SparkFixture none = new SparkFixture(tmp.resolve("none"), null, 2, false);
    assertEquals(2, Main.execute("sweep", none.sweep.toString(), "--spark", "local[2]", "--outputs",
        none.outputs.toString()), "tracking.uri: none");
    assertTrue(!Files.exists(none.outputs.resolve("sweeps")), "no sweep folder for a sweep that cannot start");

    int closed;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    SparkFixture dead = new SparkFixture(tmp.resolve("dead"), "http://127.0.0.1:" + closed, 2, false);
    assertEquals(2, Main.execute("sweep", dead.sweep.toString(), "--spark", "local[2]", "--outputs",
        dead.outputs.toString()), "no server behind the URI");
    assertTrue(!Files.exists(dead.outputs.resolve("sweeps")));
  }

  /**
   * A driver killed mid-sweep: trial 1's child run FINISHED in MLflow but never reached trials.jsonl,
   * and an attempt of it was abandoned RUNNING. The resumed sweep takes the finished run (no second
   * FINISHED child), ends the abandoned one KILLED and tags it with the attempt that replaced it.
   */
  @Test
  void aResumeAfterADeadDriverKeepsOneFinishedChildPerTrialAndNoRunningRun(@TempDir Path tmp) throws Exception {
    SparkFixture f = new SparkFixture(tmp, server.uri(), 2, false);
    SweepRunner.Result first = onSpark(f, r -> r.run("grid", f.config(), List.of(), f.sweep.toString()));
    SweepFolder folder = first.folder();
    List<TrialRecord> records = folder.trials();
    TrialRecord lost = records.stream().filter(t -> t.number() == 1).findFirst().orElseThrow();
    Files.writeString(folder.dir().resolve(SweepFolder.TRIALS_FILE), records.stream().filter(t -> t.number() != 1)
        .map(t -> {
          try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(t);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }).collect(Collectors.joining("\n", "", "\n")));
    String experiment = client.getRun(first.parentRunId()).getInfo().getExperimentId();
    String abandoned = client.createRun(experiment).getRunId();
    client.setTag(abandoned, "mlflow.parentRunId", first.parentRunId());
    client.setTag(abandoned, "deepad4j.sweep_trial", lost.hash());
    assertEquals(Service.RunStatus.RUNNING, client.getRun(abandoned).getInfo().getStatus());

    SweepRunner.Result resumed = onSpark(f, r -> r.resume(folder.dir(), null));
    assertEquals(1, resumed.ran());
    assertEquals(3, resumed.skipped());
    assertEquals(first.parentRunId(), resumed.parentRunId());
    TrialRecord again = folder.latestByHash().get(lost.hash());
    assertTrue(again.finished());
    assertEquals(lost.mlflowRunId(), again.mlflowRunId(), "the finished child is taken, not trained again");

    Map<String, List<Service.Run>> byTrial = children(first.parentRunId()).stream()
        .collect(Collectors.groupingBy(r -> tags(r).get("deepad4j.sweep_trial")));
    assertEquals(4, byTrial.size());
    byTrial.forEach((hash, runs) -> assertEquals(1,
        runs.stream().filter(r -> r.getInfo().getStatus() == Service.RunStatus.FINISHED).count(), hash));
    Service.Run killed = client.getRun(abandoned);
    assertEquals(Service.RunStatus.KILLED, killed.getInfo().getStatus());
    assertNotNull(tags(killed).get(TrialAttempts.REPLACED_BY));
    assertTrue(tags(killed).get(TrialAttempts.REPLACED_BY).startsWith("task attempt 0 on "), tags(killed).toString());
    assertEquals(0, client.searchRuns(List.of(experiment), "attributes.status = 'RUNNING'").size());
    assertEquals(Service.RunStatus.FINISHED, client.getRun(first.parentRunId()).getInfo().getStatus());
  }
}
