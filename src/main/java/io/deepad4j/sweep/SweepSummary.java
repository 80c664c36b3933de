package io.deepad4j.sweep;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The result of a sweep, one row per point: its params and the objective's mean and std over the
 * point's finished trials (seeds), best first. Written as summary.csv.
 */
public final class SweepSummary {

  /**
   * One point of the search space.
   *
   * @param n finished trials (the mean and std are over these)
   * @param failed failed trials
   * @param status FINISHED (every seed), PARTIAL, FAILED (none finished) or PENDING (not run yet)
   * @param runDirs the run folders of the point's trials
   */
  /** How far a point's trials got: all finished, all failed, none ran yet, or some of each. */
  public enum PointStatus { FINISHED, FAILED, PENDING, PARTIAL }

  public record Row(int point, Map<String, Object> params, double mean, double std, int n, int failed, PointStatus status,
      List<String> runDirs, List<String> mlflowRunIds) {}

  private final SweepObjective objective;
  private final List<String> keys;
  private final List<Row> rows;
  private final List<TrialRecord> failedTrials;

  private SweepSummary(SweepObjective objective, List<String> keys, List<Row> rows, List<TrialRecord> failedTrials) {
    this.objective = objective;
    this.keys = keys;
    this.rows = rows;
    this.failedTrials = failedTrials;
  }

  /** Summarises the plan's trials from their latest records (trials without one are pending). */
  public static SweepSummary of(SweepPlanner.Plan plan, Map<String, TrialRecord> latestByHash) {
    SweepObjective objective = plan.config().objective();
    List<Row> rows = new ArrayList<>();
    List<TrialRecord> failedTrials = new ArrayList<>();
    for (int p = 1; p <= plan.points().size(); p++) {
      List<Double> values = new ArrayList<>();
      List<String> dirs = new ArrayList<>();
      List<String> runIds = new ArrayList<>();
      int failed = 0;
      int trials = 0;
      for (Trial t : plan.trials()) {
        if (t.point() != p) {
          continue;
        }
        trials++;
        TrialRecord r = latestByHash.get(t.hash());
        if (r == null) {
          continue;
        }
        if (r.runDir() != null) {
          dirs.add(r.runDir());
        }
        if (r.mlflowRunId() != null) {
          runIds.add(r.mlflowRunId());
        }
        if (r.finished() && r.metrics() != null && r.metrics().get(objective.metric()) != null) {
          values.add(r.metrics().get(objective.metric()));
        } else if (!r.finished()) {
          failed++;
          failedTrials.add(r);
        }
      }
      double[] stats = stats(values);
      PointStatus status = values.size() == trials ? PointStatus.FINISHED
          : values.isEmpty() && failed > 0 ? PointStatus.FAILED
          : values.isEmpty() && failed == 0 ? PointStatus.PENDING : PointStatus.PARTIAL;
      rows.add(new Row(p, plan.points().get(p - 1), stats[0], stats[1], values.size(), failed, status, dirs, runIds));
    }
    Comparator<Double> best = objective.bestFirst();
    rows.sort(Comparator.comparing(Row::mean, best).thenComparingInt(Row::point));
    return new SweepSummary(objective, List.copyOf(plan.config().params().keySet()), List.copyOf(rows),
        List.copyOf(failedTrials));
  }

  /** Mean and sample standard deviation (0 for one value, NaN for none). */
  static double[] stats(List<Double> v) {
    if (v.isEmpty()) {
      return new double[] {Double.NaN, Double.NaN};
    }
    double mean = v.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    double ss = v.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum();
    return new double[] {mean, v.size() > 1 ? Math.sqrt(ss / (v.size() - 1)) : 0};
  }

  public SweepObjective objective() {
    return objective;
  }

  /** Points, best first; points without a finished trial last. */
  public List<Row> rows() {
    return rows;
  }

  /** The best point with at least one finished trial. */
  public Optional<Row> best() {
    return rows.stream().filter(r -> r.n() > 0).findFirst();
  }

  /** Trials whose latest record is FAILED. */
  public List<TrialRecord> failedTrials() {
    return failedTrials;
  }

  public String toCsv() {
    StringBuilder sb = new StringBuilder("rank,point");
    keys.forEach(k -> sb.append(',').append(csv(k)));
    String m = objective.metric();
    sb.append(',').append(m).append("_mean,").append(m).append("_std,n,failed,status,run_dirs,mlflow_run_ids\n");
    int rank = 0;
    for (Row r : rows) {
      sb.append(r.n() > 0 ? Integer.toString(++rank) : "").append(',').append(r.point());
      keys.forEach(k -> sb.append(',').append(csv(String.valueOf(r.params().get(k)))));
      sb.append(',').append(Double.isNaN(r.mean()) ? "" : r.mean())
          .append(',').append(Double.isNaN(r.std()) ? "" : r.std())
          .append(',').append(r.n()).append(',').append(r.failed()).append(',').append(r.status())
          .append(',').append(csv(String.join(";", r.runDirs())))
          .append(',').append(csv(String.join(";", r.mlflowRunIds()))).append('\n');
    }
    return sb.toString();
  }

  /** The first {@code limit} rows as an aligned text table for the terminal. */
  public String toTable(int limit) {
    List<String> header = new ArrayList<>(List.of("rank", "point"));
    header.addAll(keys);
    header.addAll(List.of(objective.metric() + " (" + objective.mode() + ")", "n", "status"));
    List<List<String>> cells = new ArrayList<>();
    int rank = 0;
    for (Row r : rows.subList(0, Math.min(limit, rows.size()))) {
      List<String> c = new ArrayList<>(List.of(r.n() > 0 ? Integer.toString(++rank) : "-", Integer.toString(r.point())));
      keys.forEach(k -> c.add(format(r.params().get(k))));
      c.add(Double.isNaN(r.mean()) ? "-" : r.n() > 1 ? String.format("%.4f ± %.4f", r.mean(), r.std()) : String.format("%.4f", r.mean()));
      c.add(Integer.toString(r.n()));
      c.add(r.status().name());
      cells.add(c);
    }
    return TextTable.render(header, cells);
  }

  /** Short text for a value: floats with 4 significant digits. */
  static String format(Object v) {
    if (v instanceof Double d && Double.isFinite(d) && d != 0) {
      java.math.BigDecimal b = new java.math.BigDecimal(d).round(new java.math.MathContext(4)).stripTrailingZeros();
      return Math.abs(d) >= 1e-4 && Math.abs(d) < 1e7 ? b.toPlainString() : b.toString();
    }
    return String.valueOf(v);
  }

  static String csv(String s) {
    return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }
}
