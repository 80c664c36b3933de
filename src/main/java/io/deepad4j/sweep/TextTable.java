package io.deepad4j.sweep;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Plain aligned columns for the terminal: numbers right-aligned, text left-aligned. */
final class TextTable {
  /** What marks a cut value; ASCII, so that it shows in any terminal encoding. */
  static final String ELLIPSIS = "...";
  /** A cut column keeps at least this many characters (fewer only when its widest value is shorter). */
  static final int MIN_CUT = 10;
  /** The first column (names) is cut only beyond this many characters: a run's name is what one copies. */
  static final int MIN_NAME = 40;
  private static final String GAP = "  ";

  /**
   * A table fitted to a width.
   *
   * @param text the table, one line per row after the header and its rule
   * @param dropped headers of the columns left out for want of room (from the right)
   */
  record Fitted(String text, List<String> dropped) {}

  private TextTable() {}

  static String render(List<String> header, List<List<String>> rows) {
    return fit(header, rows, Integer.MAX_VALUE, Set.of()).text();
  }

  /**
   * The table in at most {@code width} characters a line. First the widest of the {@code cuttable}
   * columns are cut (their values end in "...") down to {@link #MIN_CUT} characters, then a first column
   * (names) longer than {@link #MIN_NAME}, cut in the middle so that it keeps its end (a run folder's
   * stamp tells runs apart), then cuttable columns are left out from the right. The other columns are
   * always shown whole.
   */
  static Fitted fit(List<String> header, List<List<String>> rows, int width, Set<Integer> cuttable) {
    int n = header.size();
    int[] natural = new int[n];
    boolean[] numeric = new boolean[n];
    for (int c = 0; c < n; c++) {
      natural[c] = header.get(c).length();
      numeric[c] = true;
      for (List<String> r : rows) {
        String cell = r.get(c);
        natural[c] = Math.max(natural[c], cell.length());
        numeric[c] &= cell.isEmpty() || cell.equals("-") || cell.matches("[-+0-9.eE ±]+");
      }
    }
    int[] w = natural.clone();
    List<Integer> shown = new ArrayList<>();
    for (int c = 0; c < n; c++) {
      shown.add(c);
    }
    while (total(w, shown) > width) {
      int widest = -1;
      for (int c : shown) {
        if (cuttable.contains(c) && w[c] > Math.min(natural[c], MIN_CUT) && (widest < 0 || w[c] > w[widest])) {
          widest = c;
        }
      }
      if (widest < 0 && w[0] > Math.min(natural[0], MIN_NAME)) {
        widest = 0;
      }
      if (widest >= 0) {
        w[widest]--;
        continue;
      }
      int last = -1;
      for (int c : shown) {
        if (cuttable.contains(c)) {
          last = c;
        }
      }
      if (last < 0) {
        break; // only columns that must stay: wider than asked
      }
      shown.remove(Integer.valueOf(last));
    }
    List<String> dropped = new ArrayList<>();
    for (int c = 0; c < n; c++) {
      if (!shown.contains(c)) {
        dropped.add(header.get(c));
      }
    }
    StringBuilder sb = new StringBuilder();
    line(sb, header, w, numeric, shown);
    for (int i = 0; i < shown.size(); i++) {
      sb.append(i == 0 ? "" : GAP).append("-".repeat(w[shown.get(i)]));
    }
    sb.append('\n');
    rows.forEach(r -> line(sb, r, w, numeric, shown));
    return new Fitted(sb.toString(), dropped);
  }

  private static int total(int[] w, List<Integer> shown) {
    int sum = GAP.length() * Math.max(0, shown.size() - 1);
    for (int c : shown) {
      sum += w[c];
    }
    return sum;
  }

  /** {@code s} in at most {@code width} characters, "..." standing for what was cut (at the end, or the middle). */
  static String cut(String s, int width, boolean middle) {
    if (s.length() <= width) {
      return s;
    }
    if (width <= ELLIPSIS.length()) {
      return s.substring(0, width);
    }
    int keep = width - ELLIPSIS.length();
    return middle ? s.substring(0, keep / 2) + ELLIPSIS + s.substring(s.length() - (keep - keep / 2))
        : s.substring(0, keep) + ELLIPSIS;
  }

  private static void line(StringBuilder sb, List<String> cells, int[] width, boolean[] numeric, List<Integer> shown) {
    for (int i = 0; i < shown.size(); i++) {
      int c = shown.get(i);
      String cell = cut(cells.get(c), width[c], c == 0);
      String pad = " ".repeat(width[c] - cell.length());
      sb.append(i == 0 ? "" : GAP).append(numeric[c] ? pad + cell : cell + (i == shown.size() - 1 ? "" : pad));
    }
    sb.append('\n');
  }
}
