package io.deepad4j.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The one CSV line splitter and field quoter: comma separated, double quotes around a field that holds commas or
 * quotes, a quote inside doubled (RFC 4180, without fields that span lines). {@link CsvDataset} reads data files
 * with it, {@code bench.BenchResults} the results tables.
 */
public final class CsvLines {
  private CsvLines() {}

  /** A field as CSV writes it: quoted (quotes doubled) when it holds a comma, a quote or a line break. */
  public static String quote(String s) {
    return s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")
        ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }

  /**
   * Splits one CSV line; a quoted field may hold commas and doubled quotes.
   *
   * @throws DataException naming {@code file} and {@code lineNumber} for an unclosed quote or text after one
   */
  public static List<String> split(String line, Path file, int lineNumber) {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    int i = 0;
    int n = line.length();
    while (true) {
      field.setLength(0);
      if (i < n && line.charAt(i) == '"') {
        i++;
        while (true) {
          if (i >= n) {
            throw new DataException(file + ", line " + lineNumber + ": a quoted field is not"
                + " closed (fields spanning lines are not supported).");
          }
          char c = line.charAt(i++);
          if (c == '"') {
            if (i < n && line.charAt(i) == '"') {
              field.append('"');
              i++;
            } else {
              break;
            }
          } else {
            field.append(c);
          }
        }
        int comma = line.indexOf(',', i);
        int end = comma < 0 ? n : comma;
        if (!line.substring(i, end).isBlank()) {
          throw new DataException(file + ", line " + lineNumber + ": text after the closing"
              + " quote of field " + (fields.size() + 1) + ".");
        }
        i = end;
      } else {
        int comma = line.indexOf(',', i);
        int end = comma < 0 ? n : comma;
        field.append(line, i, end);
        i = end;
      }
      fields.add(field.toString());
      if (i >= n) {
        return fields;
      }
      i++; // the comma
      if (i == n) {
        fields.add("");
        return fields;
      }
    }
  }
}
