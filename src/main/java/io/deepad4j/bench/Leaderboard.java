package io.deepad4j.bench;

import io.deepad4j.data.CsvLines;
import io.deepad4j.tracking.AtomicFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The leaderboard of a benchmark's results: per data set and detector the mean ROC AUC, average precision, fit and
 * score time over the seeds that finished; each detector's average rank over the data sets (rank 1 = the best mean
 * ROC AUC on a data set, tied detectors share the average of their ranks); the Friedman test and the Nemenyi
 * critical difference on those ranks (Demsar 2006).
 *
 * <p>Ranks need every detector on every data set ranked: a data set where some detector has no finished seed is
 * shown in the tables but left out of the ranks, the statistics and the means of the standings (and named in the
 * markdown), so that every detector is compared on the same data sets.
 */
public final class Leaderboard {

  /** One data set and detector: means over the {@code seeds} seeds that finished. */
  public record Cell(String dataset, String detector, int seeds, int failed, double rocAuc, double averagePrecision,
      double fitTimeS, double scoreTimeS) {
    public double totalTimeS() {
      return fitTimeS + scoreTimeS;
    }
  }

  /** One detector's line of the leaderboard, over the ranked data sets. */
  public record Standing(String detector, double averageRank, double meanRocAuc, double meanAveragePrecision,
      double meanTimeS) {}

  private final List<String> datasets;
  private final List<String> detectors;
  private final Map<String, Map<String, Cell>> cells;
  private final List<String> rankedDatasets;
  private final List<Standing> standings;
  private final Friedman friedman;
  private final double criticalDifference;

  private Leaderboard(List<String> datasets, List<String> detectors, Map<String, Map<String, Cell>> cells) {
    this.datasets = datasets;
    this.detectors = detectors;
    this.cells = cells;
    this.rankedDatasets = datasets.stream()
        .filter(d -> detectors.stream().allMatch(m -> cell(d, m) != null && cell(d, m).seeds() > 0)).toList();
    int k = detectors.size();
    int n = rankedDatasets.size();
    double[] rankSums = new double[k];
    double[][] sums = new double[k][3];
    for (String d : rankedDatasets) {
      double[] auc = new double[k];
      for (int j = 0; j < k; j++) {
        Cell c = cell(d, detectors.get(j));
        auc[j] = c.rocAuc();
        sums[j][0] += c.rocAuc();
        sums[j][1] += c.averagePrecision();
        sums[j][2] += c.totalTimeS();
      }
      double[] r = ranks(auc);
      for (int j = 0; j < k; j++) {
        rankSums[j] += r[j];
      }
    }
    List<Standing> s = new ArrayList<>();
    for (int j = 0; j < k; j++) {
      s.add(new Standing(detectors.get(j), n == 0 ? Double.NaN : rankSums[j] / n, sums[j][0] / n, sums[j][1] / n,
          sums[j][2] / n));
    }
    s.sort(Comparator.comparingDouble(Standing::averageRank).thenComparing(Standing::detector));
    this.standings = List.copyOf(s);
    this.friedman = Friedman.of(s.stream().mapToDouble(Standing::averageRank).toArray(), n);
    this.criticalDifference = n == 0 ? Double.NaN : Nemenyi.criticalDifference(k, n);
  }

  /**
   * The leaderboard of {@code results} (any order; failed rows count as failures of their cell).
   *
   * @throws IllegalArgumentException when no row finished
   */
  public static Leaderboard of(List<BenchResult> results) {
    if (results.stream().noneMatch(BenchResult::isOk)) {
      throw new IllegalArgumentException("no result finished (every row is failed): nothing to rank");
    }
    // data sets and detectors in the order of their first row (a suite's order), not alphabetical (10_ before 6_)
    Map<String, Map<String, List<BenchResult>>> grouped = new LinkedHashMap<>();
    Set<String> detectors = new LinkedHashSet<>();
    for (BenchResult r : results) {
      grouped.computeIfAbsent(r.dataset(), x -> new LinkedHashMap<>())
          .computeIfAbsent(r.detector(), x -> new ArrayList<>()).add(r);
      detectors.add(r.detector());
    }
    Map<String, Map<String, Cell>> cells = new LinkedHashMap<>();
    grouped.forEach((dataset, byDetector) -> {
      Map<String, Cell> row = new LinkedHashMap<>();
      byDetector.forEach((detector, runs) -> {
        List<BenchResult> ok = runs.stream().filter(BenchResult::isOk).toList();
        row.put(detector, new Cell(dataset, detector, ok.size(), runs.size() - ok.size(),
            mean(ok, BenchResult::rocAuc), mean(ok, BenchResult::averagePrecision), mean(ok, BenchResult::fitTimeS),
            mean(ok, BenchResult::scoreTimeS)));
      });
      cells.put(dataset, row);
    });
    return new Leaderboard(List.copyOf(grouped.keySet()), List.copyOf(detectors), cells);
  }

  /**
   * Ranks of {@code values} where the highest is rank 1 and equal values share the mean of the ranks they span
   * (two tied for first both get 1.5).
   */
  public static double[] ranks(double[] values) {
    int n = values.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (a, b) -> Double.compare(values[b], values[a]));
    double[] ranks = new double[n];
    int i = 0;
    while (i < n) {
      int j = i;
      while (j + 1 < n && values[order[j + 1]] == values[order[i]]) {
        j++;
      }
      double shared = (i + j) / 2.0 + 1; // positions i..j hold ranks i+1..j+1
      for (int t = i; t <= j; t++) {
        ranks[order[t]] = shared;
      }
      i = j + 1;
    }
    return ranks;
  }

  public List<String> datasets() {
    return datasets;
  }

  public List<String> detectors() {
    return detectors;
  }

  /** The data sets where every detector finished at least one seed: those ranked. */
  public List<String> rankedDatasets() {
    return rankedDatasets;
  }

  /** Best average rank first. */
  public List<Standing> standings() {
    return standings;
  }

  public Friedman friedman() {
    return friedman;
  }

  /** The Nemenyi critical difference at alpha 0.05 (NaN with more than {@value Nemenyi#MAX_K} detectors). */
  public double criticalDifference() {
    return criticalDifference;
  }

  /** The cell of a data set and detector, or null when the results have no row for it. */
  public Cell cell(String dataset, String detector) {
    Map<String, Cell> row = cells.get(dataset);
    return row == null ? null : row.get(detector);
  }

  /** The standings, the statistics and the per-data-set tables of ROC AUC and average precision, as markdown. */
  public String markdown(String title) {
    StringBuilder sb = new StringBuilder("## ").append(title).append("\n\n");
    int n = rankedDatasets.size();
    sb.append(String.format(Locale.ROOT, "%d detectors ranked on %d data sets by mean ROC AUC over the seeds"
        + " (rank 1 = best; ties share the average rank).", detectors.size(), n));
    List<String> unranked = datasets.stream().filter(d -> !rankedDatasets.contains(d)).toList();
    if (!unranked.isEmpty()) {
      sb.append(" Not ranked, some detector has no finished seed there: ").append(String.join(", ", unranked))
          .append('.');
    }
    sb.append("\n\n| rank | detector | average rank | mean ROC AUC | mean average precision | mean fit + score (s) |\n")
        .append("|---:|---|---:|---:|---:|---:|\n");
    for (int i = 0; i < standings.size(); i++) {
      Standing s = standings.get(i);
      sb.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s | %s |\n", i + 1, s.detector(),
          fmt(s.averageRank(), 2), fmt(s.meanRocAuc(), 4), fmt(s.meanAveragePrecision(), 4), fmt(s.meanTimeS(), 3)));
    }
    sb.append('\n').append(statistics()).append('\n');
    metricTable(sb, "ROC AUC", Cell::rocAuc);
    metricTable(sb, "Average precision", Cell::averagePrecision);
    metricTable(sb, "Fit + score time (s)", Cell::totalTimeS);
    return sb.toString().stripTrailing() + "\n";
  }

  /** The Friedman and Nemenyi lines of the markdown. */
  String statistics() {
    Friedman f = friedman;
    StringBuilder sb = new StringBuilder();
    if (Double.isNaN(f.chiSquare())) {
      sb.append("Friedman test: needs at least 2 detectors and 2 ranked data sets.\n");
    } else {
      sb.append(String.format(Locale.ROOT, "Friedman test: chi2_F = %.3f (%d df), p = %s; Iman-Davenport"
          + " F_F = %s (%.0f and %.0f df), p = %s.\n", f.chiSquare(), f.k() - 1, pValue(f.chiSquareP()),
          fmt(f.imanDavenportF(), 3), f.fDf1(), f.fDf2(), pValue(f.fP())));
    }
    if (Double.isNaN(criticalDifference)) {
      sb.append("Nemenyi critical difference: not available for ").append(detectors.size())
          .append(" detectors (the table covers 2 to ").append(Nemenyi.MAX_K).append(").\n");
    } else {
      double[] ranks = standings.stream().mapToDouble(Standing::averageRank).toArray();
      List<String> groups = Nemenyi.groups(ranks, criticalDifference).stream()
          .map(g -> String.join(", ", standings.subList(g[0], g[1] + 1).stream().map(Standing::detector).toList()))
          .map(s -> "{" + s + "}").toList();
      sb.append(String.format(Locale.ROOT, "Nemenyi critical difference (alpha = 0.05): CD = %.3f; average ranks"
          + " closer than CD are not significantly different. Groups: %s.\n", criticalDifference,
          groups.isEmpty() ? "none (every pair differs)" : String.join(" ", groups)));
    }
    return sb.toString();
  }

  private void metricTable(StringBuilder sb, String what, java.util.function.ToDoubleFunction<Cell> value) {
    sb.append("### ").append(what).append(" per data set (mean over the finished seeds)\n\n| data set |");
    detectors.forEach(d -> sb.append(' ').append(d).append(" |"));
    sb.append("\n|---|").append("---:|".repeat(detectors.size())).append('\n');
    for (String d : datasets) {
      sb.append("| ").append(d).append(rankedDatasets.contains(d) ? "" : " (not ranked)").append(" |");
      for (String m : detectors) {
        Cell c = cell(d, m);
        String shown = c == null ? "-" : c.seeds() == 0 ? "failed" : fmt(value.applyAsDouble(c), 4)
            + (c.failed() > 0 ? " (" + c.failed() + " failed)" : "");
        sb.append(' ').append(shown).append(" |");
      }
      sb.append('\n');
    }
    sb.append('\n');
  }

  /** detector, average_rank, mean_roc_auc, mean_average_precision, mean_fit_score_time_s, datasets. */
  public String standingsCsv() {
    StringBuilder sb = new StringBuilder(
        "detector,average_rank,mean_roc_auc,mean_average_precision,mean_fit_score_time_s,datasets\n");
    for (Standing s : standings) {
      sb.append(CsvLines.quote(s.detector())).append(',').append(s.averageRank()).append(',')
          .append(s.meanRocAuc()).append(',').append(s.meanAveragePrecision()).append(',').append(s.meanTimeS())
          .append(',').append(rankedDatasets.size()).append('\n');
    }
    return sb.toString();
  }

  /** One row per data set and detector: seeds_ok, seeds_failed, means (empty when no seed finished), ranked. */
  public String cellsCsv() {
    StringBuilder sb = new StringBuilder(
        "dataset,detector,seeds_ok,seeds_failed,roc_auc,average_precision,fit_time_s,score_time_s,ranked\n");
    for (String d : datasets) {
      for (String m : detectors) {
        Cell c = cell(d, m);
        if (c == null) {
          continue;
        }
        sb.append(CsvLines.quote(d)).append(',').append(CsvLines.quote(m)).append(',').append(c.seeds()).append(',')
            .append(c.failed());
        for (double v : new double[] {c.rocAuc(), c.averagePrecision(), c.fitTimeS(), c.scoreTimeS()}) {
          sb.append(',').append(BenchResults.cell(v));
        }
        sb.append(',').append(rankedDatasets.contains(d)).append('\n');
      }
    }
    return sb.toString();
  }

  /** The critical-difference diagram of the standings as PNG bytes. */
  public byte[] cdDiagramPng(String title) {
    return CdDiagram.png(standings.stream().map(Standing::detector).toList(),
        standings.stream().mapToDouble(Standing::averageRank).toArray(), criticalDifference, title);
  }

  /**
   * Writes the leaderboard's files beside {@code csvFile} (a name already claimed), each atomically: the standings
   * ({@code csvFile}), the markdown ({@code .md}), the cells ({@code -cells.csv}) and the critical-difference diagram
   * ({@code -cd.png}). Returns the markdown.
   *
   * @param title the markdown's heading
   */
  public String write(Path csvFile, String title) {
    String stem = csvFile.getFileName().toString().replaceFirst("\\.csv$", "");
    String md = markdown(title);
    AtomicFile.write(csvFile.resolveSibling(stem + ".md"), md);
    AtomicFile.write(csvFile.resolveSibling(stem + "-cells.csv"), cellsCsv());
    AtomicFile.write(csvFile.resolveSibling(stem + "-cd.png"), cdDiagramPng(String.format(Locale.ROOT,
        "Average rank by ROC AUC, %d data sets (Nemenyi CD at alpha 0.05)", rankedDatasets.size())));
    AtomicFile.write(csvFile, standingsCsv());
    return md;
  }

  static String fmt(double v, int decimals) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    return v == Double.POSITIVE_INFINITY ? "inf" : String.format(Locale.ROOT, "%." + decimals + "f", v);
  }

  static String pValue(double p) {
    return Double.isNaN(p) ? "n/a" : p < 1e-4 ? String.format(Locale.ROOT, "%.2e", p)
        : String.format(Locale.ROOT, "%.4f", p);
  }

  private static double mean(List<BenchResult> runs, java.util.function.ToDoubleFunction<BenchResult> value) {
    return runs.stream().mapToDouble(value).average().orElse(Double.NaN);
  }
}
