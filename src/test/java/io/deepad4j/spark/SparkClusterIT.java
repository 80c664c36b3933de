package io.deepad4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.deepad4j.cli.Main;
import io.deepad4j.sweep.SweepFolder;
import io.deepad4j.sweep.SweepRunner;
import io.deepad4j.sweep.TrialRecord;
import io.deepad4j.tracking.MlflowTestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.api.proto.Service;
import org.mlflow.tracking.MlflowClient;

/**
 * The runner on a real standalone cluster (tools/spark-local.sh) with a real MLflow server, through
 * the packaged jar and spark-submit as a user runs it: a sweep that matches the same sweep run
 * locally, an executor JVM killed during a trial, and batch scoring. Runs in {@code mvn verify}
 * (failsafe, after package).
 */
@Tag("mlflow")
@Tag("spark")
class SparkClusterIT {
  private static MlflowTestServer server;
  private static MlflowClient client;
  private static LocalSparkCluster cluster;

  @BeforeAll
  static void start(@TempDir Path dir) {
    server = MlflowTestServer.started(dir.resolve("mlflow"));
    client = new MlflowClient(server.uri());
    cluster = LocalSparkCluster.start(dir.resolve("spark"));
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }

  /** ./runner ARGS in {@code dir}: the packaged jar, which hands itself to spark-submit for --spark. */
  static Process runner(Path dir, Path log, String... args) throws IOException {
    return runner(dir, log, Map.of(), args);
  }

  static Process runner(Path dir, Path log, Map<String, String> env, String... args) throws IOException {
    Path jar;
    try (Stream<Path> s = Files.list(LocalSparkCluster.repoRoot().resolve("target"))) {
      jar = s.filter(p -> p.getFileName().toString().matches("deepad4j-.*\\.jar")).findFirst()
          .orElseThrow(() -> new IllegalStateException("no target/deepad4j-*.jar: run mvn verify (package comes first)"));
    }
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", jar.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
    pb.environment().remove("MLFLOW_TRACKING_URI");
    pb.environment().putAll(env);
    return pb.start();
  }

  static String finish(Process p, Path log, int seconds) throws Exception {
    if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroy);
      p.destroy();
      fail("the runner did not end in " + seconds + " s; its output:\n" + Files.readString(log));
    }
    String out = Files.readString(log);
    System.out.println(out);
    assertEquals(0, p.exitValue(), "exit code; the runner said:\n" + out);
    return out;
  }

  static SweepFolder onlySweep(Path outputs) throws IOException {
    try (Stream<Path> s = Files.list(outputs.resolve("sweeps"))) {
      List<Path> dirs = s.toList();
      assertEquals(1, dirs.size(), dirs.toString());
      return SweepFolder.open(dirs.get(0));
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

  /** Each trial has exactly one FINISHED child run, and no run of the experiment is RUNNING. */
  static Map<String, List<Service.Run>> assertOneFinishedChildPerTrial(String parentId, int trials) {
    Map<String, List<Service.Run>> byTrial = children(parentId).stream()
        .collect(Collectors.groupingBy(r -> tags(r).get("deepad4j.sweep_trial")));
    assertEquals(trials, byTrial.size());
    byTrial.forEach((hash, runs) -> assertEquals(1,
        runs.stream().filter(r -> r.getInfo().getStatus() == Service.RunStatus.FINISHED).count(), "trial " + hash));
    String experiment = client.getRun(parentId).getInfo().getExperimentId();
    assertEquals(List.of(), client.searchRuns(List.of(experiment), "attributes.status = 'RUNNING'"), "RUNNING runs");
    return byTrial;
  }

  @Test
  void aSweepOnTheClusterHasTheLocalSweepsResultsAndItsModelScoresAlike(@TempDir Path tmp) throws Exception {
    SparkFixture onCluster = new SparkFixture(tmp.resolve("cluster"), server.uri(), 2, true);
    Path log = tmp.resolve("sweep.log");
    String out = finish(runner(onCluster.dir, log, "sweep", "grid.yaml", "--spark", cluster.masterUrl), log, 300);
    assertTrue(out.contains("Spark UI"), "the driver prints the Spark UI address");
    assertTrue(out.contains("spark: 4/4 done, 0 failed"), "the driver prints the progress");

    SweepFolder folder = onlySweep(onCluster.outputs);
    List<TrialRecord> trials = folder.trials();
    assertEquals(4, trials.size());
    assertTrue(trials.stream().allMatch(TrialRecord::finished), trials.toString());
    String parentId = folder.readState().parentRunId();
    assertEquals(Service.RunStatus.FINISHED, client.getRun(parentId).getInfo().getStatus());
    for (Service.Run kid : children(parentId)) {
      assertEquals(Service.RunStatus.FINISHED, kid.getInfo().getStatus());
      assertFalse(tags(kid).get("deepad4j.spark_executor").equals("driver"), "trials run on the cluster's executors");
    }
    assertOneFinishedChildPerTrial(parentId, 4);

    SparkFixture here = new SparkFixture(tmp.resolve("local"), server.uri(), 2, false);
    SweepRunner.Result local = here.runLocally();
    assertEquals(SparkFixture.modelMetrics(local.folder().trials()), SparkFixture.modelMetrics(trials),
        "per-trial metrics equal those of the local sweep");
    List<String> summary = Files.readAllLines(folder.dir().resolve(SweepFolder.SUMMARY_FILE)).stream()
        .map(l -> String.join(",", java.util.Arrays.copyOf(l.split(",", -1), l.split(",", -1).length - 2))).toList();
    assertEquals(SparkFixture.summaryRows(local.summary()), summary, "summary.csv, less run folders and run ids");

    // batch scoring with the best trial's model: on the cluster as locally
    Path model = Path.of(trials.stream().filter(t -> t.number() == 1).findFirst().orElseThrow().runDir()).resolve("model");
    Path test = onCluster.dir.resolve("data/test.csv");
    Path localScores = tmp.resolve("local-scores.csv");
    assertEquals(0, Main.execute("score", model.toString(), test.toString(), "-o", localScores.toString()));
    Path scoreLog = tmp.resolve("score.log");
    // with the jars shipped by --jars, as to a cluster on other machines (the sweep used target/lib in place)
    finish(runner(onCluster.dir, scoreLog, Map.of("DEEPAD4J_SPARK_SHIP_JARS", "1"), "score", model.toString(),
        "data/test.csv", "--spark", cluster.masterUrl,
        "--output", "scores", "--id-columns", "id"), scoreLog, 300);
    List<String> expected = Files.readAllLines(localScores);
    List<String> got = Files.readAllLines(onCluster.dir.resolve("scores/part-00000-test.csv"));
    assertEquals(expected.size(), got.size());
    for (int i = 1; i < got.size(); i++) {
      String[] g = got.get(i).split(",", -1); // id, then the local columns: row, score, anomaly
      assertEquals(expected.get(i), String.join(",", java.util.Arrays.copyOfRange(g, 1, g.length)),
          "row " + (i - 1) + ": row index, score and decision");
    }
  }

  /**
   * The executor JVM is killed (SIGKILL, by its PID) while trials run: Spark starts another executor
   * and reruns them; MLflow ends with one FINISHED child per trial, the abandoned runs KILLED and
   * tagged with the attempt that replaced them, and no RUNNING run.
   */
  @Test
  void anExecutorKilledDuringATrialIsReplacedAndMlflowKeepsOneFinishedChildPerTrial(@TempDir Path tmp)
      throws Exception {
    SparkFixture f = new SparkFixture(tmp, server.uri(), 150, true);
    Path log = tmp.resolve("sweep.log");
    Process sweep = runner(f.dir, log, "sweep", "grid.yaml", "--spark", cluster.masterUrl);

    String experimentId = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
    List<Service.RunInfo> running = List.of();
    while (running.isEmpty()) {
      if (System.nanoTime() > deadline || !sweep.isAlive()) {
        fail("no trial was seen RUNNING; the runner said:\n" + Files.readString(log));
      }
      Thread.sleep(200);
      if (experimentId == null) {
        experimentId = client.getExperimentByName("spark-test").map(Service.Experiment::getExperimentId).orElse(null);
        continue;
      }
      running = client.searchRuns(List.of(experimentId), "attributes.status = 'RUNNING' and tags.deepad4j.spark_attempt = '0'"
);
    }
    List<ProcessHandle> executors = cluster.executors();
    assertEquals(1, executors.size(), "one executor on the worker");
    assertTrue(executors.get(0).destroyForcibly(), "SIGKILL to the executor JVM");
    executors.get(0).onExit().get(30, TimeUnit.SECONDS);

    String out = finish(sweep, log, 400);
    SweepFolder folder = onlySweep(f.outputs);
    List<TrialRecord> trials = folder.trials();
    assertEquals(4, trials.size(), "each trial recorded once: " + trials);
    assertTrue(trials.stream().allMatch(TrialRecord::finished), trials.toString());
    Map<String, List<Service.Run>> byTrial = assertOneFinishedChildPerTrial(folder.readState().parentRunId(), 4);

    List<Service.Run> abandoned = byTrial.values().stream().flatMap(List::stream)
        .filter(r -> r.getInfo().getStatus() != Service.RunStatus.FINISHED).toList();
    assertFalse(abandoned.isEmpty(), "the killed attempts' runs are there:\n" + out);
    for (Service.Run r : abandoned) {
      assertEquals(Service.RunStatus.KILLED, r.getInfo().getStatus());
      String replacedBy = tags(r).get(TrialAttempts.REPLACED_BY);
      assertTrue(replacedBy != null && replacedBy.startsWith("task attempt 1 on "), String.valueOf(replacedBy));
      Service.Run finished = byTrial.get(tags(r).get("deepad4j.sweep_trial")).stream()
          .filter(x -> x.getInfo().getStatus() == Service.RunStatus.FINISHED).findFirst().orElseThrow();
      assertEquals("1", tags(finished).get("deepad4j.spark_attempt"), "Spark's second attempt finished the trial");
    }
    assertTrue(running.stream().allMatch(r -> abandoned.stream().anyMatch(a -> a.getInfo().getRunId().equals(r.getRunId()))),
        "the runs seen RUNNING at the kill are among the abandoned");
  }
}
