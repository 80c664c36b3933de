package io.deepad4j.sweep;

import io.deepad4j.evaluation.MetricName;
import com.fasterxml.jackson.databind.JsonNode;
import io.deepad4j.run.OutputNames;
import io.deepad4j.run.RunFolder;
import io.deepad4j.spec.SpecException;
import io.deepad4j.tracking.RunStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.mlflow.api.proto.Service;
import org.mlflow.tracking.MlflowClient;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Runs side by side ({@code runner compare}): their final metrics, then the params that differ among
 * runs of the same model, as a table fitted to a width or as CSV with everything. The runs of an
 * experiment (its single runs: bench runs and sweep trials have folders of their own) or of a sweep,
 * read from MLflow or from the outputs folder.
 */
public final class RunComparison {
  /** Shown when the user names no metrics. */
  public static final List<String> DEFAULT_METRICS =
      MetricName.keys(MetricName.ROC_AUC, MetricName.PRECISION_RECALL_AUC, MetricName.F1, MetricName.ACCURACY,
          MetricName.TRAIN_TIME_S);

  /** One run: its name, status, flattened params and final metrics. */
  public record Run(String name, String status, Map<String, String> params, Map<String, Double> metrics) {}

  private RunComparison() {}

  /**
   * The runs of a sweep folder (its trials.jsonl) or of an experiment (outputs/&lt;experiment&gt;/, or a
   * folder of run folders), read from their config.yaml, metrics.json and run.json.
   */
  public static List<Run> fromOutputs(Path outputsRoot, String target) {
    Path asPath = Path.of(target);
    if (Files.isDirectory(asPath) && SweepFolder.isSweepFolder(asPath)) {
      List<Run> runs = new ArrayList<>();
      for (TrialRecord r : SweepFolder.open(asPath).latestByHash().values()) {
        if (r.runDir() != null && Files.isDirectory(Path.of(r.runDir()))) {
          runs.add(readRunFolder(Path.of(r.runDir())));
        } else {
          Map<String, String> params = new TreeMap<>();
          r.params().forEach((k, v) -> params.put(k, SweepPlanner.render(v)));
          params.put("seed", Long.toString(r.seed()));
          runs.add(new Run("trial " + r.number() + " (no run folder)", r.status().name(), params, Map.of()));
        }
      }
      if (runs.isEmpty()) {
        throw new SpecException("the sweep " + asPath + " has no ended trial yet (" + SweepFolder.TRIALS_FILE
            + " is empty)");
      }
      return runs;
    }
    Path dir = outputsRoot.resolve(OutputNames.safe(target)); // an experiment name, as RunFolder names its folder
    if (!Files.isDirectory(dir)) {
      dir = asPath; // a folder of run folders
    }
    if (!Files.isDirectory(dir)) {
      throw new SpecException("no experiment '" + target + "' in " + outputsRoot + " (experiments: "
          + String.join(", ", children(outputsRoot).stream().map(p -> p.getFileName().toString()).toList())
          + ") and no folder of that name; give an experiment name or a folder under " + outputsRoot.resolve("sweeps"));
    }
    List<Run> runs = children(dir).stream().filter(p -> Files.isRegularFile(p.resolve(RunFolder.STATUS_FILE)))
        .map(RunComparison::readRunFolder).toList();
    if (runs.isEmpty()) {
      throw new SpecException(dir + " holds no run folders (folders with " + RunFolder.STATUS_FILE + ")");
    }
    return runs;
  }

  private static List<Path> children(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isDirectory).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  static Run readRunFolder(Path dir) {
    Map<String, String> params = new TreeMap<>();
    Map<String, Double> metrics = new LinkedHashMap<>();
    try {
      Path config = dir.resolve("config.yaml");
      if (Files.isRegularFile(config)) {
        Object root = new Yaml(new LoaderOptions()).load(Files.readString(config));
        if (root instanceof Map<?, ?> m) {
          flatten(m, "", params);
        }
      }
      Path m = dir.resolve("metrics.json");
      if (Files.isRegularFile(m)) {
        SweepFolder.JSON.readTree(m.toFile()).fields()
            .forEachRemaining(e -> metrics.put(e.getKey(), e.getValue().asDouble()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the run folder " + dir + ": " + e.getMessage(), e);
    }
    return new Run(dir.getFileName().toString(), RunFolder.readState(dir).map(Enum::name).orElse("UNKNOWN"), params, metrics);
  }

  private static void flatten(Map<?, ?> map, String prefix, Map<String, String> out) {
    map.forEach((k, v) -> {
      if (v instanceof Map<?, ?> m) {
        flatten(m, prefix + k + ".", out);
      } else {
        out.put(prefix + k, String.valueOf(v));
      }
    });
  }

  /**
   * The runs of an MLflow experiment (sweep parents left out), or the child runs of a sweep folder's
   * parent run.
   */
  public static List<Run> fromMlflow(String uri, String target) {
    try (MlflowClient client = client(uri)) {
      Path asPath = Path.of(target);
      String experimentId;
      String filter = "";
      if (Files.isDirectory(asPath) && SweepFolder.isSweepFolder(asPath)) {
        SweepState state = SweepFolder.open(asPath).readState();
        if (state.parentRunId() == null) {
          throw new SpecException("the sweep " + asPath + " has no MLflow parent run (it ran without"
              + " tracking); compare it from outputs/ (leave out --uri and unset MLFLOW_TRACKING_URI)");
        }
        experimentId = client.getRun(state.parentRunId()).getInfo().getExperimentId();
        filter = "tags.mlflow.parentRunId = '" + state.parentRunId() + "'";
      } else {
        experimentId = client.getExperimentByName(target).orElseThrow(() -> new IllegalArgumentException(
            "no experiment '" + target + "' in MLflow at " + uri)).getExperimentId();
      }
      List<Run> runs = new ArrayList<>();
      var page = client.searchRuns(List.of(experimentId), filter, Service.ViewType.ACTIVE_ONLY, 1000);
      while (true) {
        for (Service.Run r : page.getItems()) {
          Map<String, String> tags = new LinkedHashMap<>();
          r.getData().getTagsList().forEach(t -> tags.put(t.getKey(), t.getValue()));
          if ("true".equals(tags.get("deepad4j.sweep_parent"))) {
            continue;
          }
          Map<String, String> params = new TreeMap<>();
          r.getData().getParamsList().forEach(p -> params.put(p.getKey(), p.getValue()));
          Map<String, Double> metrics = new LinkedHashMap<>();
          r.getData().getMetricsList().forEach(m -> metrics.put(m.getKey(), m.getValue()));
          runs.add(new Run(tags.getOrDefault("mlflow.runName", r.getInfo().getRunId()), r.getInfo().getStatus().name(),
              params, metrics));
        }
        if (!page.hasNextPage()) {
          break;
        }
        page = (org.mlflow.tracking.RunsPage) page.getNextPage();
      }
      if (runs.isEmpty()) {
        throw new SpecException("no runs for '" + target + "' in MLflow at " + uri);
      }
      return runs;
    }
  }

  private static MlflowClient client(String uri) {
    return new MlflowClient(io.deepad4j.tracking.Tracking.hostCreds(uri)); // the credentials as tracking uses them
  }

  /** The param that names a run's model: params differ only among runs of the same model. */
  static final String MODEL_TYPE = "model.type";

  /**
   * Keys whose values differ among runs of the same model ({@code model.type} itself when the runs hold
   * several models), run names, tracking.* and threads left out. A key a run does not have (a key of
   * another model, or one added since the run) does not count as a different value.
   */
  public static List<String> differingParams(List<Run> runs) {
    Set<String> keys = new java.util.TreeSet<>();
    runs.forEach(r -> keys.addAll(r.params().keySet()));
    Map<String, List<Run>> byModel = new LinkedHashMap<>();
    runs.forEach(r -> byModel.computeIfAbsent(r.params().getOrDefault(MODEL_TYPE, ""), x -> new ArrayList<>()).add(r));
    List<String> out = new ArrayList<>();
    for (String k : keys) {
      if (k.equals("run_name") || k.startsWith("tracking.") || k.equals("threads")) {
        continue;
      }
      boolean differs = k.equals(MODEL_TYPE) ? byModel.size() > 1 : byModel.values().stream().anyMatch(group -> {
        Set<String> values = new HashSet<>();
        group.forEach(r -> {
          if (r.params().containsKey(k)) {
            values.add(r.params().get(k));
          }
        });
        return values.size() > 1;
      });
      if (differs) {
        out.add(k);
      }
    }
    if (out.remove(MODEL_TYPE)) {
      out.add(0, MODEL_TYPE); // which model, before that model's params
    }
    return out;
  }

  /** As {@link #table(List, List, String, int)}, as wide as it takes. */
  public static String table(List<Run> runs, List<String> metrics, String sortBy) {
    return table(runs, metrics, sortBy, Integer.MAX_VALUE);
  }

  /**
   * The table: one row per run, sorted by {@code sortBy} (higher first, except times and sizes): the
   * run, its status (unless every run FINISHED), the metrics asked for that any run has, then the
   * differing params (headers without "model.", metrics as {@link #shortMetric}), in at most
   * {@code width} characters a line: long names and values are cut ("..."), and params that still do not
   * fit are left out and named below the table ({@link #csv} has them all).
   */
  public static String table(List<Run> runs, List<String> metrics, String sortBy, int width) {
    List<String> params = differingParams(runs);
    List<String> shown = metrics.stream().filter(m -> runs.stream().anyMatch(r -> r.metrics().containsKey(m))).toList();
    // the status column only when some run did not finish: the width goes to metrics and params
    boolean allFinished = runs.stream().allMatch(r -> r.status().equals(RunStatus.FINISHED.name()));
    List<String> header = new ArrayList<>(allFinished ? List.of("run") : List.of("run", "status"));
    int firstParam = header.size() + shown.size();
    shown.forEach(m -> header.add(shortMetric(m)));
    params.forEach(p -> header.add(shortParam(p, params)));
    Set<Integer> cuttable = new HashSet<>();
    for (int c = firstParam; c < header.size(); c++) {
      cuttable.add(c);
    }
    List<List<String>> rows = new ArrayList<>();
    for (Run r : sorted(runs, sortBy)) {
      List<String> row = new ArrayList<>(allFinished ? List.of(r.name()) : List.of(r.name(), r.status()));
      for (String m : shown) {
        Double v = r.metrics().get(m);
        row.add(v == null ? "-" : m.endsWith("_s") ? String.format("%.2f", v) : String.format("%.4f", v));
      }
      params.forEach(p -> row.add(r.params().getOrDefault(p, "-")));
      rows.add(row);
    }
    TextTable.Fitted t = TextTable.fit(header, rows, width, cuttable);
    StringBuilder sb = new StringBuilder(t.text());
    sb.append(wrap(runs.size() + (allFinished ? " runs (all FINISHED)" : " runs") + "; params that differ: "
        + (params.isEmpty() ? "none" : String.join(", ", params)), width));
    if (!t.dropped().isEmpty()) {
      sb.append(wrap("not shown for want of width: " + String.join(", ", t.dropped())
          + " (set COLUMNS wider, or --csv for every param)", width));
    }
    return sb.toString();
  }

  /** {@code text} as lines of at most {@code width} characters, broken at spaces (a longer word stays whole). */
  static String wrap(String text, int width) {
    StringBuilder out = new StringBuilder();
    StringBuilder line = new StringBuilder();
    for (String word : text.split(" ")) {
      if (line.length() > 0 && line.length() + 1 + word.length() > width) {
        out.append(line).append('\n');
        line.setLength(0);
        word = "  " + word; // a continued line is indented
      }
      line.append(line.length() > 0 ? " " : "").append(word);
    }
    return out.append(line).append('\n').toString();
  }

  /**
   * Every run with every metric and every param, one CSV row per run (sorted as the table), for a
   * spreadsheet or pandas: run, status, the metrics (the default ones first), the params (by key).
   * A value a run lacks is empty.
   */
  public static String csv(List<Run> runs, String sortBy) {
    Set<String> metrics = new LinkedHashSet<>();
    DEFAULT_METRICS.forEach(m -> {
      if (runs.stream().anyMatch(r -> r.metrics().containsKey(m))) {
        metrics.add(m);
      }
    });
    Set<String> others = new java.util.TreeSet<>();
    runs.forEach(r -> others.addAll(r.metrics().keySet()));
    metrics.addAll(others);
    Set<String> params = new java.util.TreeSet<>();
    runs.forEach(r -> params.addAll(r.params().keySet()));
    List<String> header = new ArrayList<>(List.of("run", "status"));
    header.addAll(metrics);
    header.addAll(params);
    StringBuilder sb = new StringBuilder();
    sb.append(String.join(",", header.stream().map(io.deepad4j.data.CsvLines::quote).toList())).append('\n');
    for (Run r : sorted(runs, sortBy)) {
      List<String> row = new ArrayList<>(List.of(r.name(), r.status()));
      metrics.forEach(m -> row.add(r.metrics().containsKey(m) ? Double.toString(r.metrics().get(m)) : ""));
      params.forEach(p -> row.add(r.params().getOrDefault(p, "")));
      sb.append(String.join(",", row.stream().map(io.deepad4j.data.CsvLines::quote).toList())).append('\n');
    }
    return sb.toString();
  }

  private static List<Run> sorted(List<Run> runs, String sortBy) {
    boolean lowerIsBetter = sortBy.endsWith("_s") || sortBy.endsWith("_kb") || sortBy.equals("num_params");
    Comparator<Double> order = new SweepObjective(sortBy, !lowerIsBetter).bestFirst();
    List<Run> sorted = new ArrayList<>(runs);
    sorted.sort(Comparator.comparing((Run r) -> r.metrics().get(sortBy), order).thenComparing(Run::name));
    return sorted;
  }

  /** A metric's column header: precision_recall_auc as pr_auc, without _score, _time_s as _s (f1, train_s). */
  static String shortMetric(String metric) {
    return metric.replace("precision_recall_", "pr_").replaceFirst("_score$", "").replaceFirst("_time_s$", "_s");
  }

  /** A param's column header: model.type as "model", others without "model." unless another key ends the same. */
  static String shortParam(String key, List<String> keys) {
    if (key.equals(MODEL_TYPE)) {
      return "model";
    }
    if (!key.startsWith("model.")) {
      return key;
    }
    String rest = key.substring("model.".length());
    boolean clash = keys.stream().anyMatch(k -> !k.equals(key) && (k.equals(rest) || k.endsWith("." + rest)));
    return clash ? key : rest;
  }
}
