package io.deepad4j.bench;

import io.deepad4j.data.CsvLines;
import io.deepad4j.data.DataException;
import io.deepad4j.data.Numbers;
import io.deepad4j.tracking.AtomicFile;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The results CSV of a benchmark, long format, one row per (dataset, detector, seed), with exactly this header:
 * {@value #HEADER}. {@code status} is {@code ok} or {@code failed}; a failed row leaves roc_auc,
 * average_precision, fit_time_s and score_time_s empty. Both {@code ./runner bench --suite} and
 * {@code tools/adbench_pyod.py} write it; {@code ./runner leaderboard} reads it.
 *
 * <p>Reading is strict: a wrong header, a wrong number of fields, a number that is not finite, a metric outside
 * [0, 1], a status other than ok/failed, metrics on a failed row or a (dataset, detector, seed) given twice stops
 * with a {@link DataException} naming the file and the line.
 */
public final class BenchResults {
  /** The header line, the columns in order. */
  public static final String HEADER =
      "dataset,detector,seed,roc_auc,average_precision,fit_time_s,score_time_s,train_rows,train_rows_used,status";
  private static final List<String> COLUMNS = List.of(HEADER.split(","));

  private BenchResults() {}

  /** @throws DataException naming the file and line of the first problem */
  public static List<BenchResult> read(Path file) {
    List<BenchResult> results = new ArrayList<>();
    Map<String, Integer> seenAt = new HashMap<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String header = in.readLine();
      if (header != null && header.startsWith("\uFEFF")) {
        header = header.substring(1);
      }
      if (header == null || !CsvLines.split(header, file, 1).stream().map(String::trim).toList().equals(COLUMNS)) {
        throw new DataException(file + ", line 1: the header must be '" + HEADER + "'"
            + (header == null ? ", but the file is empty." : ", found '" + header + "'."));
      }
      int lineNumber = 1;
      for (String line; (line = in.readLine()) != null; ) {
        lineNumber++;
        if (line.isBlank()) {
          continue;
        }
        BenchResult r = parse(CsvLines.split(line, file, lineNumber), file, lineNumber);
        String key = r.dataset() + "\u0000" + r.detector() + "\u0000" + r.seed();
        Integer first = seenAt.putIfAbsent(key, lineNumber);
        if (first != null) {
          throw new DataException(file + ", line " + lineNumber + ": " + r.dataset() + " / " + r.detector()
              + " / seed " + r.seed() + " is already on line " + first + "; each (dataset, detector, seed) once.");
        }
        results.add(r);
      }
    } catch (NoSuchFileException e) {
      throw new DataException("results file " + file + " does not exist.", e);
    } catch (IOException e) {
      throw new DataException("cannot read " + file + " (" + e + ").", e);
    }
    if (results.isEmpty()) {
      throw new DataException(file + " has a header but no result rows.");
    }
    return results;
  }

  /** Writes {@code results} atomically (a reader never sees half a file), numbers in full precision. */
  public static void write(Path file, List<BenchResult> results) {
    AtomicFile.write(file, out -> {
      out.write(HEADER + "\n");
      for (BenchResult r : results) {
        out.write(String.join(",", CsvLines.quote(r.dataset()), CsvLines.quote(r.detector()),
            Integer.toString(r.seed()), cell(r.rocAuc()), cell(r.averagePrecision()), cell(r.fitTimeS()),
            cell(r.scoreTimeS()), Integer.toString(r.trainRows()), Integer.toString(r.trainRowsUsed()),
            r.status().label()) + "\n");
      }
    });
  }

  /** A number cell: full precision, empty when the value is missing (NaN) or not finite. */
  static String cell(double v) {
    return Double.isFinite(v) ? Double.toString(v) : "";
  }

  private static BenchResult parse(List<String> fields, Path file, int line) {
    if (fields.size() != COLUMNS.size()) {
      throw new DataException(file + ", line " + line + ": " + fields.size() + " fields, but the header has "
          + COLUMNS.size() + " (" + HEADER + ").");
    }
    String status = fields.get(9).trim();
    BenchResult.Status s = switch (status) {
      case "ok" -> BenchResult.Status.OK;
      case "failed" -> BenchResult.Status.FAILED;
      default -> throw new DataException(file + ", line " + line + ", column 'status': '" + status
          + "'; expected ok or failed.");
    };
    double[] measured = new double[4];
    for (int i = 0; i < 4; i++) {
      String cell = fields.get(3 + i).trim();
      if (s == BenchResult.Status.FAILED) {
        if (!cell.isEmpty()) {
          throw new DataException(file + ", line " + line + ", column '" + COLUMNS.get(3 + i) + "': a failed row"
              + " leaves its metrics and times empty, found '" + cell + "'.");
        }
        measured[i] = Double.NaN;
      } else {
        measured[i] = number(cell, file, line, COLUMNS.get(3 + i));
      }
    }
    try {
      return new BenchResult(fields.get(0).trim(), fields.get(1).trim(), integer(fields.get(2), file, line, "seed"),
          measured[0], measured[1], measured[2], measured[3], integer(fields.get(7), file, line, "train_rows"),
          integer(fields.get(8), file, line, "train_rows_used"), s);
    } catch (IllegalArgumentException e) {
      throw new DataException(file + ", line " + line + ": " + e.getMessage() + ".");
    }
  }

  private static double number(String cell, Path file, int line, String column) {
    if (cell.isEmpty()) {
      throw new DataException(file + ", line " + line + ", column '" + column + "': empty cell on an ok row.");
    }
    try {
      return Numbers.parseFinite(cell);
    } catch (NumberFormatException e) {
      throw new DataException(file + ", line " + line + ", column '" + column + "': " + e.getMessage() + ".");
    }
  }

  private static int integer(String cell, Path file, int line, String column) {
    double v = number(cell.trim(), file, line, column);
    if (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE) {
      throw new DataException(file + ", line " + line + ", column '" + column + "': '" + cell.trim()
          + "' is not a whole number.");
    }
    return (int) v;
  }
}
