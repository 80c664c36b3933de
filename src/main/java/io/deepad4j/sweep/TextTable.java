package io.deepad4j.sweep;

import java.util.List;

/** Plain aligned columns for the terminal: numbers right-aligned, text left-aligned. */
final class TextTable {
  private TextTable() {}

  static String render(List<String> header, List<List<String>> rows) {
    int[] width = new int[header.size()];
    boolean[] numeric = new boolean[header.size()];
    for (int c = 0; c < width.length; c++) {
      width[c] = header.get(c).length();
      numeric[c] = true;
      for (List<String> r : rows) {
        String cell = r.get(c);
        width[c] = Math.max(width[c], cell.length());
        numeric[c] &= cell.isEmpty() || cell.equals("-") || cell.matches("[-+0-9.eE ±]+");
      }
    }
    StringBuilder sb = new StringBuilder();
    line(sb, header, width, numeric);
    for (int c = 0; c < width.length; c++) {
      sb.append(c == 0 ? "" : "  ").append("-".repeat(width[c]));
    }
    sb.append('\n');
    rows.forEach(r -> line(sb, r, width, numeric));
    return sb.toString();
  }

  private static void line(StringBuilder sb, List<String> cells, int[] width, boolean[] numeric) {
    for (int c = 0; c < width.length; c++) {
      String cell = cells.get(c);
      String pad = " ".repeat(width[c] - cell.length());
      sb.append(c == 0 ? "" : "  ").append(numeric[c] ? pad + cell : cell + (c == width.length - 1 ? "" : pad));
    }
    sb.append('\n');
  }
}
