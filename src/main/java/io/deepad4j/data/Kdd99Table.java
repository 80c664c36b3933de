package io.deepad4j.data;

import java.nio.file.Path;
import java.util.List;

/**
 * One parsed KDD Cup 1999 file, all 41 features of every row plus its label, before any protocol
 * picks rows or columns. Immutable once built; shared between loads through {@link Kdd99Parser}'s
 * cache, so nothing may write into its arrays.
 */
final class Kdd99Table {

  /** Features per row. */
  static final int COLUMNS = 41;

  /** 0-based columns that hold text (protocol_type, service, flag). */
  static final int[] TEXT_COLUMNS = {1, 2, 3};

  final Path file;
  final int rows;
  /**
   * Row-major values, {@code rows * COLUMNS}; a text column holds the index of its value in
   * {@link #categories} (exact in a float for the few dozen values these columns have).
   */
  private final float[] values;
  /** Per column: the text values in order of first appearance; empty for numeric columns. */
  private final List<List<String>> categories;
  private final short[] labels;
  /** Label names without the trailing dot, e.g. "normal", "smurf". */
  private final List<String> labelNames;

  Kdd99Table(
      Path file,
      int rows,
      float[] values,
      List<List<String>> categories,
      short[] labels,
      List<String> labelNames) {
    this.file = file;
    this.rows = rows;
    this.values = values;
    this.categories = categories;
    this.labels = labels;
    this.labelNames = labelNames;
  }

  /** The number in {@code column} of {@code row}; the category index for a text column. */
  float value(int row, int column) {
    return values[row * COLUMNS + column];
  }

  /** The text of a text column's value, e.g. "tcp". */
  String category(int row, int column) {
    return categories.get(column).get((int) values[row * COLUMNS + column]);
  }

  /** All values a text column takes, in order of first appearance. */
  List<String> categories(int column) {
    return categories.get(column);
  }

  /** The row's label without its trailing dot, e.g. "normal" or "smurf". */
  String label(int row) {
    return labelNames.get(labels[row]);
  }

  /** Copies columns {@code from..to-1} of a row. */
  float[] slice(int row, int from, int to) {
    float[] out = new float[to - from];
    System.arraycopy(values, row * COLUMNS + from, out, 0, to - from);
    return out;
  }
}
