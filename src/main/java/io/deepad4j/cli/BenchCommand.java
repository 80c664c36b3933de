package io.deepad4j.cli;

import io.deepad4j.evaluation.MetricName;
import io.deepad4j.engine.EpochListener;
import io.deepad4j.models.ModelRegistry;
import io.deepad4j.run.Datasets;
import io.deepad4j.run.ExperimentRunner;
import io.deepad4j.run.OutputNames;
import io.deepad4j.run.RunFolder;
import io.deepad4j.run.RunResult;
import io.deepad4j.spec.ResolvedSpec;
import io.deepad4j.spec.SpecException;
import io.deepad4j.spec.SpecLoader;
import io.deepad4j.sweep.SuiteFile;
import io.deepad4j.sweep.SuiteRunner;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Trains and evaluates each spec ({@code --repeats} seeds each) and prints the FF12-style table:
 * size, parameters, training and inference time, median epoch time, ROC AUC and the threshold
 * metrics, as mean and std over the seeds. Written as markdown and CSV under outputs/bench/, beside the
 * bench's own folder of runs (bench-&lt;stamp&gt;/runs/&lt;experiment&gt;/...), so that they do not mix with
 * single runs in outputs/&lt;experiment&gt;/ and {@code compare}.
 * With {@code --suite FILE} it runs a benchmark suite instead ({@link SuiteRunner}): data sets x specs x seeds,
 * results.csv and the leaderboard.
 */
@Command(name = "bench", description = {"Benchmark specs: ./runner bench experiments/kdd_*.yaml --repeats 3",
    "or a suite of data sets x specs x seeds: ./runner bench --suite experiments/suites/adbench.yaml"})
final class BenchCommand implements Callable<Integer> {
  @Parameters(arity = "0..*", description = "experiment specs (not with --suite)")
  List<Path> specs = new ArrayList<>();

  @Option(names = "--suite", paramLabel = "FILE", description = "a suite file (docs/SPECS.md, suite files): runs its"
      + " data sets x specs x seeds in parallel, writes outputs/bench/<name>-<stamp>/results.csv and the leaderboard")
  Path suite;

  @Option(names = "--datasets", split = ",", paramLabel = "NAME", description = "with --suite: only these of its data sets")
  List<String> datasets = new ArrayList<>();

  @Option(names = "--detectors", split = ",", paramLabel = "TYPE", description = "with --suite: only the specs of these"
      + " model types")
  List<String> detectors = new ArrayList<>();

  @Option(names = "--repeats", description = "seeds per spec (seed, seed+1, ...); default 1")
  Integer repeats;

  @Option(names = "--set", description = "override applied to every spec, key=value (repeatable)")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--interleave", description = "run seed i of every spec before seed i + 1 of any, so that a machine"
      + " whose speed drifts slows every spec alike (same results; default: all seeds of a spec, then the next spec)")
  boolean interleave;

  @Option(names = "--track", description = "also track the runs in MLflow (default: local only)")
  boolean track;

  @Option(names = "--outputs", defaultValue = "outputs")
  Path outputs;

  static final String[] COLUMNS = MetricName.keys(MetricName.MODEL_SIZE_KB, MetricName.NUM_PARAMS,
      MetricName.TRAIN_TIME_S, MetricName.EPOCH_TIME_MEDIAN_S, MetricName.INFERENCE_TIME_S, MetricName.ROC_AUC,
      MetricName.PRECISION_RECALL_AUC, MetricName.ACCURACY, MetricName.PRECISION, MetricName.RECALL, MetricName.F1,
      MetricName.F2).toArray(String[]::new);

  @Override
  public Integer call() {
    SpecLoader loader = new SpecLoader(ModelRegistry.get());
    if (suite != null) {
      return runSuite(loader);
    }
    if (specs.isEmpty()) {
      throw new SpecException("bench: give experiment specs, or --suite FILE");
    }
    if (!datasets.isEmpty() || !detectors.isEmpty()) {
      throw new SpecException("--datasets and --detectors go with --suite");
    }
    if (repeats == null) {
      repeats = 1;
    }
    List<ResolvedSpec> resolved = new ArrayList<>();
    for (Path p : specs) {
      List<String> o = new ArrayList<>(overrides);
      if (!track) {
        o.add("tracking.uri=none");
      }
      resolved.add(loader.load(p, o)); // every spec is checked before any training starts
    }
    List<String[]> rows = new ArrayList<>();
    StringBuilder csv = new StringBuilder("spec,model,protocol,repeats");
    for (String c : COLUMNS) {
      csv.append(',').append(c).append("_mean,").append(c).append("_std");
    }
    csv.append('\n');
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path benchDir = OutputNames.claimFolder(outputs.resolve("bench"), "bench-" + stamp);
    ExperimentRunner runner = new ExperimentRunner(benchDir.resolve("runs"), Map.of("deepad4j.bench", "true"),
        EpochListener.NONE);
    List<Map<String, List<Double>>> valuesBySpec = new ArrayList<>();
    resolved.forEach(spec -> valuesBySpec.add(new HashMap<>()));
    for (int[] run : runOrder(resolved.size(), repeats, interleave)) {
      ResolvedSpec spec = resolved.get(run[0]);
      long seed = spec.seed() + run[1];
      RunResult r = runner.run(spec.with(Map.of("seed", (int) seed), List.of("seed=" + seed)));
      r.metrics().forEach((k, v) -> valuesBySpec.get(run[0]).computeIfAbsent(k, x -> new ArrayList<>()).add(v));
    }
    for (int k = 0; k < resolved.size(); k++) {
      ResolvedSpec spec = resolved.get(k);
      Map<String, List<Double>> values = valuesBySpec.get(k);
      String name = spec.source().getFileName().toString();
      String[] row = new String[COLUMNS.length + 2];
      row[0] = name;
      row[1] = Datasets.describe(spec);
      csv.append(name).append(',').append(spec.modelType()).append(',').append(row[1]).append(',').append(repeats);
      for (int c = 0; c < COLUMNS.length; c++) {
        double[] s = stats(values.getOrDefault(COLUMNS[c], List.of()));
        row[c + 2] = format(COLUMNS[c], s);
        csv.append(',').append(s[0]).append(',').append(s[1]);
      }
      csv.append('\n');
      rows.add(row);
    }
    String md = markdown(rows);
    System.out.println(md);
    Path csvFile = writeTables(outputs.resolve("bench"), benchDir.getFileName().toString(), md, csv.toString());
    System.out.println("written: " + csvFile.toString().replaceFirst("\\.csv$", ".md") + " and .csv; runs in "
        + benchDir.resolve("runs"));
    return 0;
  }

  /**
   * Writes {@code stem.md} and {@code stem.csv} into {@code dir}; the .csv name is claimed first, so a
   * bench that ends in the same second writes {@code stem-2.*} instead of replacing this one's tables.
   */
  static Path writeTables(Path dir, String stem, String md, String csv) {
    Path csvFile = OutputNames.claimFile(dir, stem, ".csv");
    RunFolder.writeAtomically(csvFile.resolveSibling(csvFile.getFileName().toString().replaceFirst("\\.csv$", ".md")), md);
    RunFolder.writeAtomically(csvFile, csv);
    return csvFile;
  }

  /**
   * The runs as (spec index, repeat index) in the order they happen: spec by spec, or with
   * {@code interleave} repeat by repeat. Either way each spec's repeats come in seed order.
   */
  static List<int[]> runOrder(int specCount, int repeats, boolean interleave) {
    List<int[]> order = new ArrayList<>(specCount * repeats);
    if (interleave) {
      for (int r = 0; r < repeats; r++) {
        for (int s = 0; s < specCount; s++) {
          order.add(new int[] {s, r});
        }
      }
    } else {
      for (int s = 0; s < specCount; s++) {
        for (int r = 0; r < repeats; r++) {
          order.add(new int[] {s, r});
        }
      }
    }
    return order;
  }

  static double[] stats(List<Double> v) {
    if (v.isEmpty()) {
      return new double[] {Double.NaN, Double.NaN};
    }
    double mean = v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    double ss = v.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum();
    return new double[] {mean, v.size() > 1 ? Math.sqrt(ss / (v.size() - 1)) : 0};
  }

  /** Runs the suite file: every problem is found before the first trial; exit 1 when no trial finished. */
  private int runSuite(SpecLoader loader) {
    if (!specs.isEmpty() || repeats != null || interleave) {
      throw new SpecException("--suite runs the suite file's specs and seeds: give no specs, --repeats or --interleave"
          + " with it (seeds: the suite file's seeds)");
    }
    SuiteFile file = SuiteFile.parse(suite);
    SuiteRunner.Result r = new SuiteRunner(outputs, loader, Runtime.getRuntime().availableProcessors())
        .run(file, overrides, datasets, detectors, track);
    System.out.println();
    if (r.markdown() != null) {
      System.out.println(r.markdown());
    }
    r.results().stream().filter(x -> !x.isOk()).forEach(x -> System.out.println("FAILED " + x.dataset() + " "
        + x.detector() + " seed " + x.seed() + " (see " + r.dir().resolve("trials.jsonl") + ")"));
    System.out.printf(java.util.Locale.ROOT, "suite %s: %d trials, %d failed, in %.1f s%n", file.name(),
        r.results().size(), r.failed(), r.seconds());
    System.out.println("results: " + r.dir().resolve(SuiteRunner.RESULTS_FILE));
    if (r.markdown() != null) {
      System.out.println("leaderboard: " + r.dir().resolve("leaderboard.md") + ", .csv, -cells.csv, -cd.png");
    }
    if (r.parentRunId() != null) {
      System.out.println("MLflow parent run: " + r.parentRunId());
    }
    return r.failed() < r.results().size() ? 0 : 1;
  }

  private String format(String column, double[] s) {
    if (Double.isNaN(s[0])) {
      return "-";
    }
    String f = switch (column) {
      case "num_params" -> "%.0f";
      case "model_size_kb" -> "%.1f";
      case "train_time_s", "inference_time_s" -> "%.2f";
      case "epoch_time_median_s" -> "%.4f";
      default -> "%.4f";
    };
    if (column.equals("epoch_time_median_s")) {
      return String.format("%.1f", s[0] * 1000) + (repeats > 1 ? String.format(" ± %.1f", s[1] * 1000) : "");
    }
    return String.format(f, s[0]) + (repeats > 1 && !column.equals("num_params") ? String.format(" ± " + f, s[1]) : "");
  }

  private String markdown(List<String[]> rows) {
    StringBuilder sb = new StringBuilder();
    sb.append("| spec | protocol | size (KB) | params | train (s) | epoch (ms, median) | inference (s) | ROC AUC | PR AUC | accuracy | precision | recall | F1 | F2 |\n");
    sb.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (String[] r : rows) {
      sb.append("| ").append(String.join(" | ", r)).append(" |\n");
    }
    sb.append("\n").append(repeats).append(" seed(s) per spec");
    if (repeats > 1) {
      sb.append(", mean ± std");
    }
    sb.append("; ").append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
        .append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.arch")).append('\n');
    return sb.toString();
  }
}
