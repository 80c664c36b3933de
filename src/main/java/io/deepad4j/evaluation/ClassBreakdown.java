package io.deepad4j.evaluation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The test split's errors by the source's own class (each KDD attack type and "normal."; a CSV
 * file's raw label values): how many rows each class has, how many were flagged (score &gt;
 * threshold) and how many of those decisions were wrong. Written as per_class.csv, most errors
 * first: it tells which kinds of rows a detector misses or mistakes for anomalies.
 */
public final class ClassBreakdown {
  /** File name in the run folder. */
  public static final String FILE_NAME = "per_class.csv";

  /**
   * One class of test rows.
   *
   * @param name the class as the source writes it
   * @param label 1 = its rows are anomalies, 0 = normal
   * @param rows test rows of the class
   * @param flagged rows predicted anomalous
   * @param meanScore mean anomaly score of its rows
   */
  public record Row(String name, int label, int rows, int flagged, double meanScore) {
    /** Wrong decisions: flagged normal rows, or anomalies not flagged. */
    public int errors() {
      return label == 1 ? rows - flagged : flagged;
    }
  }

  private ClassBreakdown() {}

  /** Groups the test rows by (class, label), most errors first, then by size. */
  public static List<Row> of(List<String> classes, int[] labels, double[] scores, double threshold) {
    if (classes.size() != labels.length || labels.length != scores.length) {
      throw new IllegalArgumentException("classes, labels and scores differ in length: " + classes.size() + ", "
          + labels.length + ", " + scores.length);
    }
    record Key(String name, int label) {}
    Map<Key, double[]> totals = new LinkedHashMap<>();   // key -> {rows, flagged, score sum}
    for (int i = 0; i < scores.length; i++) {
      double[] t = totals.computeIfAbsent(new Key(classes.get(i), labels[i]), k -> new double[3]);
      t[0]++;
      if (scores[i] > threshold) {
        t[1]++;
      }
      t[2] += scores[i];
    }
    List<Row> rows = new ArrayList<>();
    totals.forEach((k, t) -> rows.add(new Row(k.name(), k.label(), (int) t[0], (int) t[1], t[2] / t[0])));
    rows.sort(Comparator.comparingInt(Row::errors).reversed().thenComparing(Comparator.comparingInt(Row::rows).reversed())
        .thenComparing(Row::name));
    return rows;
  }

  /** per_class.csv: class, label, rows, flagged, errors, mean_score. */
  public static String toCsv(List<Row> rows) {
    StringBuilder sb = new StringBuilder("class,label,rows,flagged,errors,mean_score\n");
    for (Row r : rows) {
      sb.append(quoted(r.name())).append(',').append(r.label()).append(',').append(r.rows()).append(',')
          .append(r.flagged()).append(',').append(r.errors()).append(',')
          .append(String.format(Locale.ROOT, "%.6g", r.meanScore())).append('\n');
    }
    return sb.toString();
  }

  /** The classes with errors, most first, e.g. "back. 1096/1096 flagged, satan. 151/804 flagged". */
  public static String summary(List<Row> rows, int limit) {
    List<String> parts = new ArrayList<>();
    for (Row r : rows) {
      if (parts.size() == limit || r.errors() == 0) {
        break;
      }
      parts.add(r.name() + " " + (r.label() == 1 ? r.errors() + "/" + r.rows() + " missed" : r.flagged() + "/" + r.rows() + " flagged"));
    }
    return String.join(", ", parts);
  }

  private static String quoted(String s) {
    return io.deepad4j.data.CsvLines.quote(s);
  }
}
