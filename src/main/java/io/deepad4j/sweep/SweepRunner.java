package io.deepad4j.sweep;

import io.deepad4j.engine.EpochListener;
import io.deepad4j.run.ExperimentRunner;
import io.deepad4j.run.OutputNames;
import io.deepad4j.run.RunFolder;
import io.deepad4j.run.RunResult;
import io.deepad4j.spec.ResolvedSpec;
import io.deepad4j.spec.SpecLoader;
import io.deepad4j.tracking.RunStatus;
import io.deepad4j.tracking.Tracking;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a sweep: plans and validates every trial, then runs them on a pool of {@code parallel}
 * threads, each with {@link ExperimentRunner} as a child of the sweep's MLflow parent run. A failed
 * trial is recorded FAILED and the sweep goes on. Each ended trial is appended to trials.jsonl at
 * once, so {@link #resume} reruns exactly the trials that did not finish.
 */
public final class SweepRunner {
  private static final Logger log = LoggerFactory.getLogger("sweep");

  private final Path outputsRoot;
  private final SpecLoader loader;
  private final EpochListener sequentialProgress;
  private final int cores;
  private final TrialLauncher launcher;

  /**
   * What a sweep did.
   *
   * @param ran trials run by this call
   * @param skipped trials already finished by an earlier call (--resume)
   * @param failed trials of this call that failed
   * @param seconds wall time of this call's trials (the throughput: ran / seconds)
   */
  public record Result(SweepFolder folder, SweepPlanner.Plan plan, SweepSummary summary, int ran, int skipped,
      int failed, String parentRunId, double seconds) {}

  /**
   * @param outputsRoot outputs/: the sweep's folder goes to outputs/sweeps/, its trials' run folders under it
   *     ({@link SweepFolder#runsRoot}); for a worker's {@link #runTrial}, the trials' root itself
   * @param sequentialProgress shows epochs when trials run one at a time (parallel 1); parallel trials show none
   * @param cores CPU cores shared by the parallel trials (TensorFlow threads per trial = cores / parallel)
   */
  public SweepRunner(Path outputsRoot, SpecLoader loader, EpochListener sequentialProgress, int cores) {
    this(outputsRoot, loader, sequentialProgress, cores, null);
  }

  /**
   * A sweep whose trials run where {@code launcher} puts them (a Spark cluster) instead of on this
   * JVM's threads; the launcher's threads per trial replace {@code cores / parallel}.
   */
  public SweepRunner(Path outputsRoot, SpecLoader loader, EpochListener sequentialProgress, int cores,
      TrialLauncher launcher) {
    this.outputsRoot = outputsRoot;
    this.loader = loader;
    this.sequentialProgress = sequentialProgress;
    this.cores = cores;
    this.launcher = launcher;
  }

  /** The planner's cores: with a launcher, whatever makes cores / parallel its threads per trial. */
  private int planCores(SweepConfig config) {
    return launcher == null ? cores : launcher.threadsPerTrial() * config.parallel();
  }

  private void prepare(SweepPlanner.Plan plan) {
    if (launcher != null) {
      launcher.prepare(plan, trackingUri(plan.base()));
    }
  }

  /**
   * Validates every trial, then runs a new sweep in a new folder.
   *
   * @param name the sweep's name (folder and run names)
   * @param source what the sweep came from, for the folder's state and the MLflow tag deepad4j.sweep_file
   * @param overrides key=value overrides of the base spec, for every trial
   */
  public Result run(String name, SweepConfig config, List<String> overrides, String source) {
    SweepPlanner.Plan plan = new SweepPlanner(loader).plan(name, config, overrides, planCores(config));
    prepare(plan);
    SweepFolder folder = SweepFolder.create(outputsRoot, name);
    // no credentials of a URI (tracking.uri=http://user:password@host) in the sweep folder or MLflow
    folder.writeSweepFile(io.deepad4j.tracking.UriCredentials.redact(config.text()));
    SweepState state = new SweepState(name, source, config.base().toAbsolutePath().normalize().toString(),
        overrides.stream().map(io.deepad4j.tracking.UriCredentials::redact).toList(), null, null, Instant.now().toString());
    folder.writeState(state);
    return execute(plan, folder, state);
  }

  /**
   * Resumes the sweep in {@code dir}: the trials whose latest record is not FINISHED run again,
   * under the same MLflow parent run.
   *
   * @param parallel trials at once; null = the sweep file's
   */
  public Result resume(Path dir, Integer parallel) {
    SweepFolder folder = SweepFolder.open(dir);
    SweepState state = folder.readState();
    Path file = folder.sweepFile();
    SweepConfig config;
    try {
      config = SweepFileParser.parse(file, Files.readString(file), Path.of(state.base()));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    if (parallel != null) {
      config = config.withParallel(parallel);
    }
    SweepPlanner.Plan plan = new SweepPlanner(loader).plan(state.name(), config, state.overrides(), planCores(config));
    prepare(plan);
    return execute(plan, folder, state);
  }

  private Result execute(SweepPlanner.Plan plan, SweepFolder folder, SweepState state) {
    SweepConfig config = plan.config();
    Map<String, TrialRecord> earlier = folder.latestByHash();
    List<Trial> todo = plan.trials().stream()
        .filter(t -> earlier.get(t.hash()) == null || !earlier.get(t.hash()).finished()).toList();
    int skipped = plan.trials().size() - todo.size();
    log.info("sweep {}: {} trials ({} points x {} repeats){}, {} at a time, objective {}; folder {}", plan.name(),
        plan.trials().size(), plan.points().size(), config.repeats(),
        skipped > 0 ? ", " + skipped + " finished before" : "", config.parallel(), config.objective(), folder.dir());

    String uri = trackingUri(plan.base());
    ParentRun parent = openParent(plan, folder, state, uri);
    Thread killHook = new Thread(() -> parent.end(RunStatus.KILLED, "sweep interrupted"), "deepad4j-sweep-kill");
    Runtime.getRuntime().addShutdownHook(killHook);
    try {
      Map<String, String> tags = new LinkedHashMap<>();
      parent.runId().ifPresent(id -> tags.put("mlflow.parentRunId", id));
      tags.put("deepad4j.sweep", plan.name());
      tags.put("deepad4j.sweep_dir", folder.dir().toString());
      long t0 = System.nanoTime();
      List<TrialRecord> records = launcher == null ? runTrials(todo, plan, folder, tags)
          : launchTrials(todo, plan, folder, tags);
      double seconds = (System.nanoTime() - t0) / 1e9;
      int failed = (int) records.stream().filter(r -> !r.finished()).count();

      SweepSummary summary = SweepSummary.of(plan, folder.latestByHash());
      folder.writeSummary(summary.toCsv());
      finishParent(parent, summary, plan, folder);
      return new Result(folder, plan, summary, records.size(), skipped, failed, parent.runId().orElse(null),
          seconds);
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(killHook);
        parent.close();
      } catch (IllegalStateException shuttingDown) {
        // the JVM is exiting: the hook marks the parent KILLED
      }
    }
  }

  /** tracking.uri of the base spec, else $MLFLOW_TRACKING_URI; "none" = no tracking (as ExperimentRunner). */
  public static String trackingUri(ResolvedSpec spec) {
    String uri = spec.getString("tracking.uri");
    return "none".equalsIgnoreCase(uri) ? null : Tracking.resolveUri(uri);
  }

  private ParentRun openParent(SweepPlanner.Plan plan, SweepFolder folder, SweepState state, String uri) {
    if (uri == null) {
      return ParentRun.NONE;
    }
    if (state.parentRunId() != null && uri.equals(state.trackingUri())) {
      Optional<ParentRun> reopened = ReopenedParentRun.reopen(uri, state.parentRunId());
      if (reopened.isPresent()) {
        return reopened.get();
      }
    }
    if (Files.exists(folder.dir().resolve("tracking"))) {
      // an earlier session journaled a parent that never reached this server: one folder, one run
      log.warn("the sweep's parent run is not on {} (see {}/tracking; `runner sync` uploads it); the resumed"
          + " trials are tracked without a parent", uri, folder.dir());
      return ParentRun.NONE;
    }
    Map<String, String> tags = new LinkedHashMap<>();
    String runName = folder.dir().getFileName().toString(); // name-stamp: one sweep among its reruns
    tags.put("mlflow.runName", runName);
    tags.put("mlflow.source.name", state.sweepFile());
    tags.put("mlflow.source.type", "LOCAL");
    tags.put("mlflow.user", System.getProperty("user.name", "unknown"));
    tags.put("mlflow.note.content", "Sweep `" + state.sweepFile() + "`"
        + (state.overrides().isEmpty() ? "" : " with overrides `" + String.join(" ", state.overrides()) + "`")
        + ":\n\n```yaml\n" + plan.config().text() + "\n```\n");
    tags.put("deepad4j.sweep_file", state.sweepFile());
    tags.put("deepad4j.sweep_dir", folder.dir().toString());
    tags.put("deepad4j.sweep_parent", "true");
    Map<String, String> params = new LinkedHashMap<>(plan.config().describe());
    params.put("sweep.trials", Integer.toString(plan.trials().size()));
    if (!state.overrides().isEmpty()) {
      params.put("sweep.overrides", String.join(" ", state.overrides()));
    }
    ParentRun parent = TrackedParentRun.start(uri, folder.dir(), plan.base().experiment(), runName, params, tags);
    parent.runId().ifPresent(id -> folder.writeState(state.withParent(id, uri)));
    return parent;
  }

  private List<TrialRecord> runTrials(List<Trial> todo, SweepPlanner.Plan plan, SweepFolder folder,
      Map<String, String> tags) {
    EpochListener progress = plan.config().parallel() == 1 ? sequentialProgress : EpochListener.NONE;
    AtomicInteger done = new AtomicInteger();
    return onPool(todo, plan.config().parallel(), "sweep", t -> {
      TrialRecord r = runTrial(folder.runsRoot(), t, tags, progress);
      folder.append(r);
      logTrial(r, done.incrementAndGet(), todo.size(), plan);
      return r;
    });
  }

  /**
   * Runs {@code trial} for each of {@code todo} on {@code parallel} daemon threads and returns the records in
   * {@code todo}'s order. {@code trial} records a trial's own failure ({@link #runTrial} never throws for it), so
   * an exception from it is the run's folder itself failing: the remaining trials are cancelled and it is rethrown.
   *
   * @param what "sweep" or "suite": thread names (what-trial-N) and messages
   */
  static List<TrialRecord> onPool(List<Trial> todo, int parallel, String what,
      java.util.function.Function<Trial, TrialRecord> trial) {
    AtomicInteger threadNumber = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(parallel, todo.size())), r -> {
      Thread t = new Thread(r, what + "-trial-" + threadNumber.incrementAndGet());
      t.setDaemon(true); // Ctrl-C must not wait for a trial: the runner's hook marks it KILLED
      return t;
    });
    List<Future<TrialRecord>> futures = new ArrayList<>();
    for (Trial t : todo) {
      futures.add(pool.submit(() -> trial.apply(t)));
    }
    List<TrialRecord> records = new ArrayList<>();
    try {
      for (Future<TrialRecord> f : futures) {
        records.add(f.get());
      }
    } catch (InterruptedException e) {
      pool.shutdownNow();
      Thread.currentThread().interrupt();
      throw new IllegalStateException(what + " interrupted", e);
    } catch (ExecutionException e) {
      pool.shutdownNow();
      throw new IllegalStateException(what + " stopped: " + e.getCause().getMessage(), e.getCause());
    } finally {
      pool.shutdown();
    }
    return records;
  }

  /** Trials run by the launcher; each ended one is recorded at once, as {@link #runTrials} does. */
  private List<TrialRecord> launchTrials(List<Trial> todo, SweepPlanner.Plan plan, SweepFolder folder,
      Map<String, String> tags) {
    List<TrialRecord> records = new ArrayList<>();
    if (todo.isEmpty()) {
      return records;
    }
    launcher.launch(todo, plan, folder.runsRoot(), Map.copyOf(tags), r -> {
      folder.append(r);
      records.add(r);
      logTrial(r, records.size(), todo.size(), plan);
    });
    return records;
  }

  /**
   * Runs one trial as a child run of the sweep, its run folder under this runner's outputs root (a
   * worker's runner is given the sweep's {@link SweepFolder#runsRoot}), and returns how it ended; never
   * throws for the trial's own failure. A {@link TrialLauncher}'s workers (Spark tasks) call it.
   */
  public TrialRecord runTrial(Trial t, Map<String, String> sweepTags, EpochListener progress) {
    return runTrial(outputsRoot, t, sweepTags, progress);
  }

  /** One trial, its run folder under {@code root} (local sweeps: the sweep folder's runs/). */
  private TrialRecord runTrial(Path root, Trial t, Map<String, String> sweepTags, EpochListener progress) {
    Map<String, String> tags = new LinkedHashMap<>(sweepTags);
    tags.put("deepad4j.sweep_trial", t.hash());
    tags.put("deepad4j.sweep_point", Integer.toString(t.point()));
    Instant started = Instant.now();
    long t0 = System.nanoTime();
    try {
      RunResult r = new ExperimentRunner(root, tags, progress).run(t.spec());
      return new TrialRecord(t.hash(), t.number(), t.point(), t.params(), t.seed(), RunStatus.FINISHED, r.metrics(),
          r.runDir().toString(), r.mlflowRunId(), null, (System.nanoTime() - t0) / 1e9, Instant.now().toString());
    } catch (Exception | Error e) { // a trial's failure, even a native one, must not stop the sweep
      String error = e.getClass().getSimpleName() + ": " + e.getMessage();
      Path runDir = failedRunDir(root, t.spec(), started);
      return new TrialRecord(t.hash(), t.number(), t.point(), t.params(), t.seed(), RunStatus.FAILED, null,
          runDir == null ? null : runDir.toString(), null, error, (System.nanoTime() - t0) / 1e9, Instant.now().toString());
    }
  }

  /**
   * The run folder of a trial that threw: the newest FAILED folder with the trial's run name made
   * since it started. None when the trial failed before the runner made one (e.g. its data is missing).
   */
  private static Path failedRunDir(Path root, ResolvedSpec spec, Instant started) {
    Path dir = root.resolve(OutputNames.safe(spec.experiment()));
    String prefix = OutputNames.safe(spec.runName()) + "-";
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().startsWith(prefix) && Files.isDirectory(p))
          .filter(p -> RunFolder.readState(p).orElse(null) == RunStatus.FAILED)
          .filter(p -> {
            try {
              return Files.getLastModifiedTime(p).toInstant().isAfter(started.minusSeconds(2));
            } catch (IOException e) {
              return false;
            }
          })
          .max(Comparator.comparing(p -> p.getFileName().toString()))
          .orElse(null);
    } catch (IOException e) {
      return null;
    }
  }

  private static void logTrial(TrialRecord r, int done, int total, SweepPlanner.Plan plan) {
    String params = r.params().entrySet().stream()
        .map(e -> e.getKey() + "=" + SweepSummary.format(e.getValue())).collect(Collectors.joining(" "));
    String metric = plan.config().objective().metric();
    String outcome = r.finished() && r.metrics().get(metric) != null
        ? metric + "=" + String.format("%.4f", r.metrics().get(metric)) : r.status() + " " + r.error();
    log.info("trial {}/{} {} point {} {} seed={}: {} ({} s)", done, total, r.status(), r.point(), params, r.seed(),
        outcome, String.format("%.1f", r.seconds()));
  }

  private static void finishParent(ParentRun parent, SweepSummary summary, SweepPlanner.Plan plan, SweepFolder folder) {
    Map<String, String> tags = new LinkedHashMap<>();
    Map<String, Double> metrics = new LinkedHashMap<>();
    long finished = summary.rows().stream().mapToLong(SweepSummary.Row::n).sum();
    metrics.put("trials_finished", (double) finished);
    metrics.put("trials_failed", (double) summary.failedTrials().size());
    summary.best().ifPresent(best -> {
      // tags, not params: MLflow params cannot change, and a resumed sweep may find a better point
      best.params().forEach((k, v) -> tags.put("best." + k, SweepPlanner.render(v)));
      tags.put("best.point", Integer.toString(best.point()));
      if (!best.mlflowRunIds().isEmpty()) {
        tags.put("best.run_ids", String.join(",", best.mlflowRunIds()));
      }
      tags.put("best.run_dirs", String.join(";", best.runDirs()));
      String metric = summary.objective().metric();
      metrics.put("best_" + metric, best.mean());
      if (plan.config().repeats() > 1) {
        metrics.put("best_" + metric + "_std", best.std());
      }
    });
    boolean any = summary.best().isPresent();
    parent.finish(tags, metrics, folder.dir(), any ? RunStatus.FINISHED : RunStatus.FAILED,
        any ? null : "no trial finished; see " + folder.dir().resolve(SweepFolder.TRIALS_FILE));
  }
}
