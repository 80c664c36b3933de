package io.deepad4j.spark;

import io.deepad4j.tracking.RunStatus;
import io.deepad4j.spec.SpecException;
import io.deepad4j.sweep.SweepPlanner;
import io.deepad4j.sweep.Trial;
import io.deepad4j.sweep.TrialLauncher;
import io.deepad4j.sweep.TrialRecord;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkJobInfo;
import org.apache.spark.SparkStageInfo;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs sweep trials as Spark tasks: one Spark job of one task per trial, submitted together, so
 * the cluster's scheduler runs as many at once as it has cores for ({@code spark.task.cpus} = the
 * trial's TensorFlow threads) and Spark's own task retry reruns a trial whose executor died. The
 * driver records each trial as its job ends and prints the sweep's progress.
 */
final class SparkTrialLauncher implements TrialLauncher, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger("spark");
  /** The MLflow variables the executors need in their environment (never written to a file by us). */
  static final List<String> MLFLOW_ENV = List.of("MLFLOW_TRACKING_USERNAME", "MLFLOW_TRACKING_PASSWORD",
      "MLFLOW_TRACKING_TOKEN", "MLFLOW_TRACKING_INSECURE_TLS");

  private final String master;
  private final int threads;
  private JavaSparkContext sc;
  private String trackingUri;

  /**
   * @param master the --spark URL; spark-submit's spark.master, when set, is the one used
   * @param threads TensorFlow threads (and spark.task.cpus) per trial
   */
  SparkTrialLauncher(String master, int threads) {
    this.master = master;
    this.threads = threads;
  }

  @Override
  public int threadsPerTrial() {
    return threads;
  }

  @Override
  public void prepare(SweepPlanner.Plan plan, String uri) {
    if (uri == null) {
      throw new SpecException("a sweep on Spark logs each trial from the worker that runs it, so it needs an MLflow"
          + " server that every worker reaches: set tracking.uri in " + plan.config().base()
          + " (or MLFLOW_TRACKING_URI) to its http(s) address; tracking.uri: none is for local sweeps");
    }
    this.trackingUri = uri;
    int taskCpus = plan.trials().stream().mapToInt(t -> t.spec().getInt("threads")).max().orElse(threads);
    sc = start("deepad4j sweep " + plan.name(), master, taskCpus);
    checkTracking(uri);
  }

  /** A Spark context for this JVM (spark-submit's settings first), with what trials and scoring need. */
  static JavaSparkContext start(String appName, String master, int taskCpus) {
    SparkConf conf = new SparkConf();
    if (!conf.contains("spark.master")) {
      conf.setMaster(master);
    } else if (!conf.get("spark.master").equals(master)) {
      log.warn("spark-submit set master {}; --spark {} is ignored", conf.get("spark.master"), master);
    }
    conf.setIfMissing("spark.app.name", appName);
    conf.set("spark.task.cpus", Integer.toString(taskCpus));
    conf.set("spark.speculation", "false"); // a trial runs once at a time: two attempts would both log to MLflow
    for (String name : MLFLOW_ENV) {
      String value = System.getenv(name);
      if (value != null && !value.isBlank()) {
        conf.setExecutorEnv(name, value); // Spark's UI redacts *PASSWORD*/*TOKEN* values
      }
    }
    long t0 = System.nanoTime();
    JavaSparkContext sc = new JavaSparkContext(conf);
    log.info("Spark application {} on {} ({} s); Spark UI {}", sc.sc().applicationId(), sc.master(),
        String.format("%.1f", (System.nanoTime() - t0) / 1e9),
        sc.sc().uiWebUrl().isDefined() ? sc.sc().uiWebUrl().get() : "(disabled)");
    return sc;
  }

  /**
   * Asks the MLflow server for /health from the executors before the first trial: a URI that only
   * the driver reaches (127.0.0.1 on a real cluster) fails here, with exit code 2, not in every trial.
   */
  private void checkTracking(String uri) {
    int n = Math.max(1, sc.defaultParallelism());
    sc.setJobDescription("deepad4j: MLflow reachable from the workers?");
    List<String> answers = sc.parallelize(IntStream.range(0, n).boxed().toList(), n)
        .map(i -> health(uri)).collect();
    sc.setJobDescription(null);
    double start = answers.stream().mapToLong(a -> Long.parseLong(a.substring(0, a.indexOf(' ')))).min().orElse(0)
        - ManagementFactory.getRuntimeMXBean().getStartTime();
    log.info("spark: first task {} s after the driver JVM started (the application start, once per sweep)",
        String.format("%.1f", start / 1000));
    List<String> failures = answers.stream().map(a -> a.substring(a.indexOf(' ') + 1))
        .filter(a -> !a.startsWith("ok")).distinct().toList();
    if (!failures.isEmpty()) {
      throw new SpecException("MLflow at " + uri + " is not reachable from the Spark workers: "
          + String.join("; ", failures) + ". Each trial logs its child run from its worker: set tracking.uri"
          + " (or MLFLOW_TRACKING_URI) to an address that every worker reaches (not 127.0.0.1 unless the"
          + " cluster runs on this machine)");
    }
  }

  /** On an executor: "startMillis ok" or "startMillis host: why". */
  static String health(String uri) {
    long started = System.currentTimeMillis();
    String host = TrialTask.hostName();
    try {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(uri.replaceAll("/+$", "") + "/health"))
          .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
      return started + (r.statusCode() == 200 ? " ok" : " worker " + host + ": HTTP " + r.statusCode() + " from /health");
    } catch (IOException | IllegalArgumentException e) {
      return started + " worker " + host + ": " + e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return started + " worker " + host + ": interrupted";
    }
  }

  @Override
  public void launch(List<Trial> todo, SweepPlanner.Plan plan, Path trialsRoot, Map<String, String> sweepTags,
      Consumer<TrialRecord> ended) {
    Map<JavaFutureAction<List<String>>, Trial> jobs = new LinkedHashMap<>();
    boolean resumed = TrialAttempts.hasChildren(trackingUri, sweepTags.get("mlflow.parentRunId"));
    for (Trial t : todo) {
      TrialTask.Input input = TrialTask.Input.of(t, plan.base(), trialsRoot, sweepTags, trackingUri, resumed);
      sc.setJobDescription("deepad4j trial " + t.number() + " (point " + t.point() + ", seed " + t.seed() + ") "
          + t.params());
      jobs.put(sc.parallelize(List.of(input), 1).map(TrialTask::run).collectAsync(), t);
    }
    sc.setJobDescription(null);
    log.info("spark: {} trials submitted as {} jobs of one task, {} CPU(s) each; watch them at {}", todo.size(),
        jobs.size(), sc.getConf().get("spark.task.cpus"),
        sc.sc().uiWebUrl().isDefined() ? sc.sc().uiWebUrl().get() : "(Spark UI disabled)");
    Progress progress = new Progress(plan, todo.size());
    List<JavaFutureAction<List<String>>> pending = new ArrayList<>(jobs.keySet());
    while (!pending.isEmpty()) {
      boolean any = false;
      for (var it = pending.iterator(); it.hasNext(); ) {
        JavaFutureAction<List<String>> job = it.next();
        if (!job.isDone()) {
          continue;
        }
        it.remove();
        any = true;
        TrialRecord r = result(job, jobs.get(job));
        ended.accept(r);
        progress.ended(r, pending.size(), running());
      }
      if (!any) {
        sleep(250);
      }
    }
  }

  private TrialRecord result(JavaFutureAction<List<String>> job, Trial t) {
    try {
      return TrialTask.JSON.readValue(job.get().get(0), TrialRecord.class);
    } catch (ExecutionException e) {
      // Spark gave up (spark.task.maxFailures attempts): the trial fails, the sweep goes on
      Throwable cause = e.getCause() == null ? e : e.getCause();
      return new TrialRecord(t.hash(), t.number(), t.point(), t.params(), t.seed(), RunStatus.FAILED, null, null,
          null, "Spark gave up on the trial: " + firstLine(cause.getMessage()), 0, Instant.now().toString());
    } catch (IOException e) {
      throw new IllegalStateException("trial " + t.number() + " returned a record that does not parse: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("sweep interrupted", e);
    }
  }

  /** Tasks running now, as Spark's status tracker counts them. */
  private int running() {
    int n = 0;
    for (int stage : sc.statusTracker().getActiveStageIds()) {
      SparkStageInfo info = sc.statusTracker().getStageInfo(stage);
      if (info != null) {
        n += info.numActiveTasks();
      }
    }
    return n;
  }

  static String firstLine(String s) {
    if (s == null) {
      return "(no message)";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("sweep interrupted", e);
    }
  }

  @Override
  public void close() {
    if (sc != null) {
      sc.stop();
      sc = null;
    }
  }

  /** The driver's progress line: done / failed / running / queued, and the best trial so far. */
  private static final class Progress {
    private final SweepPlanner.Plan plan;
    private final int total;
    private int done;
    private int failed;
    private TrialRecord best;

    Progress(SweepPlanner.Plan plan, int total) {
      this.plan = plan;
      this.total = total;
    }

    void ended(TrialRecord r, int left, int running) {
      String metric = plan.config().objective().metric();
      if (r.finished()) {
        done++;
        Double v = r.metrics() == null ? null : r.metrics().get(metric);
        if (v != null && !v.isNaN() && (best == null
            || plan.config().objective().bestFirst().compare(v, best.metrics().get(metric)) < 0)) {
          best = r;
        }
      } else {
        failed++;
      }
      log.info("spark: {}/{} done, {} failed, {} running, {} queued; best {}", done, total, failed, running,
          Math.max(0, left - running), best == null ? "none yet" : metric + "=" + String.format("%.4f",
              best.metrics().get(metric)) + " (trial " + best.number() + ", point " + best.point() + " "
              + best.params() + ")");
    }
  }
}
