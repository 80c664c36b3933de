package io.deepad4j.sweep;

import io.deepad4j.bench.BenchResult;
import io.deepad4j.bench.BenchResults;
import io.deepad4j.bench.Leaderboard;
import io.deepad4j.data.AdbenchFiles;
import io.deepad4j.data.Npz;
import io.deepad4j.data.StratifiedSplit;
import io.deepad4j.engine.EpochListener;
import io.deepad4j.evaluation.MetricName;
import io.deepad4j.run.Datasets;
import io.deepad4j.run.RunFolder;
import io.deepad4j.spec.ResolvedSpec;
import io.deepad4j.spec.SpecException;
import io.deepad4j.spec.SpecLoader;
import io.deepad4j.spec.SpecSchema;
import io.deepad4j.tracking.RunStatus;
import io.deepad4j.tracking.UriCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a benchmark suite ({@link SuiteFile}): every data set x spec x seed as one trial, in one JVM, on the sweep's
 * pool ({@link SweepRunner#onPool}, threads per trial = cores / parallel) and through the sweep's trial code
 * ({@link SweepRunner#runTrial}: a failed trial is recorded and the suite goes on), as child runs of one MLflow
 * parent run when tracked. Writes {@code outputs/bench/<name>-<stamp>/}: results.csv (the results contract,
 * {@link BenchResults}), the leaderboard's markdown, CSV and critical-difference diagram, trials.jsonl, the suite
 * file, and the trials' run folders under {@code runs/} (never in the single runs' outputs/&lt;experiment&gt;/).
 */
public final class SuiteRunner {
  private static final Logger log = LoggerFactory.getLogger("suite");
  public static final String RESULTS_FILE = "results.csv";
  public static final String LEADERBOARD_FILE = "leaderboard.csv";
  public static final String SUITE_FILE = "suite.yaml";
  public static final String RUNS_DIR = "runs";

  private final Path outputsRoot;
  private final SpecLoader loader;
  private final int cores;

  /**
   * What a suite did.
   *
   * @param markdown the leaderboard as printed; null when no trial finished
   * @param seconds wall time of the trials
   */
  public record Result(Path dir, List<BenchResult> results, String markdown, int failed, String parentRunId,
      double seconds) {}

  /**
   * The trials of a suite in the order they start; by trial number: the training rows (for the results file),
   * the data set and the detector.
   */
  record Plan(List<Trial> trials, Map<Integer, Integer> trainRows, Map<Integer, String> datasets,
      Map<Integer, String> detectors, String trackingUri) {}

  /**
   * @param outputsRoot outputs/: the suite's folder goes to outputs/bench/
   * @param cores CPU cores shared by the parallel trials
   */
  public SuiteRunner(Path outputsRoot, SpecLoader loader, int cores) {
    this.outputsRoot = outputsRoot;
    this.loader = loader;
    this.cores = cores;
  }

  /**
   * Plans and checks every trial (specs, data files), then runs them.
   *
   * @param overrides key=value overrides of every trial's spec
   * @param onlyDatasets run only these of the suite's data sets; empty = all
   * @param onlyDetectors run only the specs of these model types; empty = all
   * @param track log to MLflow (the specs' tracking.uri, else $MLFLOW_TRACKING_URI); false = local only
   * @throws SpecException for a bad suite file, spec or argument, before anything runs
   */
  public Result run(SuiteFile suite, List<String> overrides, List<String> onlyDatasets, List<String> onlyDetectors,
      boolean track) {
    Plan plan = plan(suite, overrides, onlyDatasets, onlyDetectors, track);
    RunFolder folder = RunFolder.create(outputsRoot, "bench", suite.name());
    Path dir = folder.dir();
    folder.write(SUITE_FILE, UriCredentials.redact(suite.text()));
    log.info("suite {}: {} trials ({} data sets x {} detectors x {} seeds), {} at a time; folder {}", suite.name(),
        plan.trials().size(), new LinkedHashSet<>(plan.datasets().values()).size(),
        new LinkedHashSet<>(plan.detectors().values()).size(), suite.seeds().size(), suite.parallel(), dir);

    ParentRun parent = plan.trackingUri() == null ? ParentRun.NONE : openParent(suite, plan, overrides, dir);
    Thread killHook = new Thread(() -> parent.end(RunStatus.KILLED, "suite interrupted"), "deepad4j-suite-kill");
    Runtime.getRuntime().addShutdownHook(killHook);
    try {
      Map<String, String> tags = new LinkedHashMap<>();
      parent.runId().ifPresent(id -> tags.put("mlflow.parentRunId", id));
      tags.put("deepad4j.suite", suite.name());
      tags.put("deepad4j.suite_dir", dir.toString());
      SweepRunner trials = new SweepRunner(dir.resolve(RUNS_DIR), loader, EpochListener.NONE, cores);
      AtomicInteger done = new AtomicInteger();
      long t0 = System.nanoTime();
      List<TrialRecord> records = SweepRunner.onPool(plan.trials(), suite.parallel(), "suite", t -> {
        TrialRecord r = trials.runTrial(t, tags, EpochListener.NONE);
        append(dir, r);
        logTrial(r, plan.datasets().get(t.number()), plan.detectors().get(t.number()), done.incrementAndGet(), plan.trials().size());
        return r;
      });
      double seconds = (System.nanoTime() - t0) / 1e9;

      List<BenchResult> results = new ArrayList<>();
      for (int i = 0; i < records.size(); i++) {
        results.add(result(plan.trials().get(i), records.get(i), plan));
      }
      results.sort(Comparator.comparing(BenchResult::dataset).thenComparing(BenchResult::detector)
          .thenComparingInt(BenchResult::seed));
      BenchResults.write(dir.resolve(RESULTS_FILE), results);
      int failed = (int) results.stream().filter(r -> !r.isOk()).count();
      String md = null;
      Map<String, Double> metrics = new LinkedHashMap<>();
      metrics.put("trials_finished", (double) (results.size() - failed));
      metrics.put("trials_failed", (double) failed);
      if (failed < results.size()) {
        Leaderboard board = Leaderboard.of(results);
        md = board.write(dir.resolve(LEADERBOARD_FILE), String.format(Locale.ROOT,
            "Suite %s: %d data sets x %d detectors x %d seeds, %.0f s", suite.name(), board.datasets().size(),
            board.detectors().size(), suite.seeds().size(), seconds));
        for (Leaderboard.Standing s : board.standings()) {
          metrics.put("average_rank." + s.detector(), s.averageRank());
          metrics.put("mean_roc_auc." + s.detector(), s.meanRocAuc());
        }
      }
      metrics.values().removeIf(v -> !Double.isFinite(v));
      boolean any = failed < results.size();
      parent.finish(Map.of(), metrics, dir, any ? RunStatus.FINISHED : RunStatus.FAILED,
          any ? null : "no trial finished; see " + dir.resolve(SweepFolder.TRIALS_FILE));
      return new Result(dir, results, md, failed, parent.runId().orElse(null), seconds);
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(killHook);
        parent.close();
      } catch (IllegalStateException shuttingDown) {
        // the JVM is exiting: the hook marks the parent KILLED
      }
    }
  }

  /** Every trial as a checked spec, largest data sets first (so that the pool's threads end together). */
  Plan plan(SuiteFile suite, List<String> overrides, List<String> onlyDatasets, List<String> onlyDetectors,
      boolean track) {
    List<String> problems = new ArrayList<>();
    for (String d : onlyDatasets) {
      if (!suite.datasets().contains(d)) {
        problems.add("--datasets: " + d + " is not a data set of " + suite.file() + " (" + String.join(", ",
            suite.datasets()) + ")");
      }
    }
    List<String> base = new ArrayList<>(overrides);
    if (!track) {
      base.add("tracking.uri=none");
    }
    if (suite.dataDir() != null) {
      base.add("dataset.data_dir=" + SweepPlanner.render(suite.dataDir()));
    }
    base.add("experiment=" + SweepPlanner.render(suite.experiment()));
    boolean userThreads = overrides.stream().anyMatch(o -> o.trim().startsWith("threads="));
    if (!userThreads) {
      base.add("threads=" + Math.max(1, cores / suite.parallel()));
    }
    Map<String, Path> specsByType = new LinkedHashMap<>();
    Map<Path, ResolvedSpec> specs = new LinkedHashMap<>();
    for (Path p : suite.specs()) {
      String line = suite.lines().get(p.toString());
      ResolvedSpec spec;
      try {
        // --detectors first, by the spec's own type: an override meant for the others need not fit this one
        String type = loader.load(p, List.of()).modelType();
        if (!onlyDetectors.isEmpty() && !onlyDetectors.contains(type)) {
          specsByType.putIfAbsent(type, p);
          continue;
        }
        spec = loader.load(p, base);
      } catch (SpecException e) {
        problems.addAll(e.problems());
        continue;
      }
      if (!spec.getString("dataset.name").equals("adbench")) {
        problems.add(line + ": " + p + " has dataset.name: " + spec.getString("dataset.name") + "; a suite runs"
            + " ADBench data sets (dataset.name: adbench, dataset.subset set by the suite)");
      } else if (specsByType.containsKey(spec.modelType())) {
        problems.add(line + ": " + p + " is a second " + spec.modelType() + " spec (the first: "
            + specsByType.get(spec.modelType()) + "); results name detectors by model type, one spec each");
      } else {
        specsByType.put(spec.modelType(), p);
        specs.put(p, spec);
      }
    }
    for (String d : onlyDetectors) {
      if (!specsByType.containsKey(d) && problems.isEmpty()) {
        problems.add("--detectors: " + d + " is not a model type of " + suite.file() + "'s specs ("
            + String.join(", ", specsByType.keySet()) + ")");
      }
    }
    if (!problems.isEmpty()) {
      throw new SpecException(problems);
    }

    List<String> datasets = suite.datasets().stream().filter(d -> onlyDatasets.isEmpty() || onlyDatasets.contains(d))
        .toList();
    List<Trial> trials = new ArrayList<>();
    Map<Integer, Integer> trainRows = new HashMap<>();
    Map<Integer, String> datasetOf = new HashMap<>();
    Map<Integer, String> detectorOf = new HashMap<>();
    Map<Path, int[]> labels = new HashMap<>();
    Set<String> trialProblems = new LinkedHashSet<>();
    int point = 0;
    for (String d : datasets) {
      for (var e : specs.entrySet()) {
        String type = e.getValue().modelType();
        if (!onlyDetectors.isEmpty() && !onlyDetectors.contains(type)) {
          continue;
        }
        point++;
        for (int seed : suite.seeds()) {
          List<String> o = new ArrayList<>(base);
          if (d.equals(SuiteFile.ECG5000)) { // its own data set and protocol; the spec's other keys as they are
            o.add("dataset.name=" + SuiteFile.ECG5000);
            o.add("dataset.data_dir=" + SweepPlanner.render(suite.ecg5000DataDir() != null ? suite.ecg5000DataDir()
                : SpecSchema.DATASET_DEFAULTS.get(SuiteFile.ECG5000).get("dataset.data_dir").toString()));
          } else {
            o.add("dataset.subset=" + d);
          }
          o.add("seed=" + seed);
          o.add("run_name=" + SweepPlanner.render(suite.name() + "-" + d + "-" + type + "-s" + seed));
          ResolvedSpec spec;
          try {
            spec = loader.load(e.getKey(), e.getValue().sourceText(), o);
          } catch (SpecException ex) {
            trialProblems.addAll(ex.problems());
            continue;
          }
          Trial t = new Trial(trials.size() + 1, point, Map.of("dataset", d, "detector", type), seed, spec,
              TrialHash.of(spec));
          trials.add(t);
          datasetOf.put(t.number(), d);
          detectorOf.put(t.number(), type);
          trainRows.put(t.number(), trainingRows(spec, labels));
        }
      }
    }
    if (!trialProblems.isEmpty()) {
      throw new SpecException(new ArrayList<>(trialProblems));
    }
    List<Trial> ordered = new ArrayList<>(trials);
    // largest first: a long trial started last would run alone at the end while the other threads wait
    ordered.sort(Comparator.comparingInt((Trial t) -> -trainRows.get(t.number())).thenComparingInt(Trial::number));
    String uri = trials.isEmpty() || !track ? null : SweepRunner.trackingUri(trials.get(0).spec());
    return new Plan(ordered, trainRows, datasetOf, detectorOf, uri);
  }

  /**
   * The rows the trial's detector is given: the training part of its data set's split under its seed (the normal
   * rows of it in the semi-supervised setting). Reads only the labels, once per file; a missing file is downloaded
   * and verified here, so a data problem stops the suite before it starts.
   */
  private static int trainingRows(ResolvedSpec spec, Map<Path, int[]> cache) {
    if (!spec.getString("dataset.name").equals("adbench")) { // ECG5000: its loader knows its protocol (normal beats)
      return cache.computeIfAbsent(Path.of(spec.getString("dataset.data_dir"), spec.getString("dataset.name")),
          k -> new int[] {Datasets.load(spec).train().length})[0];
    }
    Path file = AdbenchFiles.ensure(Path.of(spec.getString("dataset.data_dir")), spec.getString("dataset.subset"),
        URI.create(spec.getString("dataset.url")), spec.getBool("dataset.verify_checksums"));
    int[] y = cache.computeIfAbsent(file, f -> {
      double[] values = Npz.read(f, List.of("y")).get("y").values();
      int[] out = new int[values.length];
      for (int i = 0; i < out.length; i++) {
        out[i] = (int) values[i];
      }
      return out;
    });
    int[] train = StratifiedSplit.of(y, spec.seed()).train();
    if (spec.getString("dataset.setting").equals("semi_supervised")) {
      return (int) java.util.Arrays.stream(train).filter(i -> y[i] == 0).count();
    }
    return train.length;
  }

  /** The results row of a trial: fit time = train_time_s, score time = inference_time_s (the test part). */
  private static BenchResult result(Trial t, TrialRecord r, Plan plan) {
    String dataset = plan.datasets().get(t.number());
    String detector = plan.detectors().get(t.number());
    int rows = plan.trainRows().get(t.number());
    Map<String, Double> m = r.metrics();
    Double used = m == null ? null : m.get(io.deepad4j.models.TrainingRows.ROWS_METRIC);
    int rowsUsed = used == null ? rows : (int) Math.min(rows, Math.round(used));
    if (!r.finished() || m.get(MetricName.ROC_AUC.key()) == null || m.get(MetricName.AVERAGE_PRECISION.key()) == null) {
      return BenchResult.failed(dataset, detector, (int) t.seed(), rows, rowsUsed);
    }
    return BenchResult.ok(dataset, detector, (int) t.seed(), m.get(MetricName.ROC_AUC.key()),
        m.get(MetricName.AVERAGE_PRECISION.key()), m.get(MetricName.TRAIN_TIME_S.key()),
        m.get(MetricName.INFERENCE_TIME_S.key()), rows, rowsUsed);
  }

  private ParentRun openParent(SuiteFile suite, Plan plan, List<String> overrides, Path dir) {
    String runName = dir.getFileName().toString();
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("mlflow.runName", runName);
    tags.put("mlflow.source.name", suite.file().toString());
    tags.put("mlflow.source.type", "LOCAL");
    tags.put("mlflow.user", System.getProperty("user.name", "unknown"));
    tags.put("mlflow.note.content", "Suite `" + suite.file() + "`" + (overrides.isEmpty() ? ""
        : " with overrides `" + UriCredentials.redact(String.join(" ", overrides)) + "`") + ":\n\n```yaml\n"
        + UriCredentials.redact(suite.text()) + "\n```\n");
    tags.put("deepad4j.suite_file", suite.file().toString());
    tags.put("deepad4j.suite_dir", dir.toString());
    tags.put("deepad4j.suite_parent", "true");
    Map<String, String> params = new LinkedHashMap<>();
    params.put("suite.datasets", String.join(",", new LinkedHashSet<>(plan.datasets().values())));
    params.put("suite.detectors", String.join(",", new LinkedHashSet<>(plan.detectors().values())));
    params.put("suite.seeds", suite.seeds().toString());
    params.put("suite.parallel", Integer.toString(suite.parallel()));
    params.put("suite.trials", Integer.toString(plan.trials().size()));
    if (!overrides.isEmpty()) {
      params.put("suite.overrides", UriCredentials.redact(String.join(" ", overrides)));
    }
    return TrackedParentRun.start(plan.trackingUri(), dir, List.of(dir.resolve(RUNS_DIR)), suite.experiment(), runName,
        params, tags);
  }

  private static synchronized void append(Path dir, TrialRecord r) {
    try {
      Files.writeString(dir.resolve(SweepFolder.TRIALS_FILE), SweepFolder.JSON.writeValueAsString(r) + "\n",
          StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + dir.resolve(SweepFolder.TRIALS_FILE) + ": "
          + e.getMessage(), e);
    }
  }

  private static void logTrial(TrialRecord r, String dataset, String detector, int done, int total) {
    Double auc = r.metrics() == null ? null : r.metrics().get(MetricName.ROC_AUC.key());
    log.info("trial {}/{} {} {} seed={}: {} ({} s)", done, total, dataset, detector, r.seed(),
        r.finished() && auc != null ? String.format(Locale.ROOT, "roc_auc=%.4f", auc) : r.status() + " " + r.error(),
        String.format(Locale.ROOT, "%.1f", r.seconds()));
  }
}
