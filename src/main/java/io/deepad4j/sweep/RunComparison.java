package io.deepad4j.sweep;

import io.deepad4j.evaluation.MetricName;
import com.fasterxml.jackson.databind.JsonNode;
import io.deepad4j.run.OutputNames;
import io.deepad4j.run.RunFolder;
import io.deepad4j.spec.SpecException;
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
 * Runs side by side ({@code runner compare}): the params that differ between them and their final
 * metrics. The runs of an experiment or of a sweep, read from MLflow or from the outputs folder.
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

  /** Keys whose values are not the same in every run (run names, tracking.* and threads left out). */
  public static List<String> differingParams(List<Run> runs) {
    Set<String> keys = new LinkedHashSet<>();
    runs.forEach(r -> keys.addAll(r.params().keySet()));
    List<String> out = new ArrayList<>();
    for (String k : keys) {
      if (k.equals("run_name") || k.startsWith("tracking.") || k.equals("threads")) {
        continue;
      }
      Set<String> values = new HashSet<>();
      runs.forEach(r -> values.add(r.params().getOrDefault(k, "")));
      if (values.size() > 1) {
        out.add(k);
      }
    }
    return out;
  }

  /**
   * The table: one row per run, sorted by {@code sortBy} (higher first, except times and sizes),
   * with the differing params and the metrics asked for that any run has.
   */
  public static String table(List<Run> runs, List<String> metrics, String sortBy) {
    List<String> params = differingParams(runs);
    List<String> shown = metrics.stream().filter(m -> runs.stream().anyMatch(r -> r.metrics().containsKey(m))).toList();
    boolean lowerIsBetter = sortBy.endsWith("_s") || sortBy.endsWith("_kb") || sortBy.equals("num_params");
    Comparator<Double> order = new SweepObjective(sortBy, !lowerIsBetter).bestFirst();
    List<Run> sorted = new ArrayList<>(runs);
    sorted.sort(Comparator.comparing((Run r) -> r.metrics().get(sortBy), order).thenComparing(Run::name));

    List<String> header = new ArrayList<>(List.of("run", "status"));
    header.addAll(params);
    header.addAll(shown);
    List<List<String>> rows = new ArrayList<>();
    for (Run r : sorted) {
      List<String> row = new ArrayList<>(List.of(r.name(), r.status()));
      params.forEach(p -> row.add(r.params().getOrDefault(p, "-")));
      for (String m : shown) {
        Double v = r.metrics().get(m);
        row.add(v == null ? "-" : m.endsWith("_s") ? String.format("%.2f", v) : String.format("%.4f", v));
      }
      rows.add(row);
    }
    return TextTable.render(header, rows) + runs.size() + " runs; params that differ: "
        + (params.isEmpty() ? "none" : String.join(", ", params)) + "\n";
  }
}
