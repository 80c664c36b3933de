package io.deepad4j.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A user's own table as a {@link Dataset}: a training file and a labelled test file, both CSV with
 * a header row (comma separated, double quotes for fields that hold commas; a {@code .gz} name is
 * read as gzip). Blank lines are ignored, as pandas does.
 *
 * <p>Training follows the semi-supervised setup of the FF12 report: models learn what normal
 * looks like. The training file may have no label column (every row is taken as normal, as
 * PyOD's {@code fit(X)} takes unlabelled data); when it has one, rows whose label is not the
 * normal value are left out of training and their number is logged.
 *
 * <p>Labels: a test row whose label equals {@code normalValue} is 0 (normal), any other is 1
 * (anomaly). Labels compare as text after trimming, or as numbers when both are numbers, so
 * {@code 0} and {@code 0.0} are the same label.
 */
public final class CsvDataset {

  private static final Logger LOG = LoggerFactory.getLogger(CsvDataset.class);

  private CsvDataset() {}

  /**
   * Loads the two files.
   *
   * @param trainFile training rows; its label column, if any, is used only to leave out anomalies
   * @param testFile labelled evaluation rows
   * @param labelColumn name of the label column
   * @param normalValue the label value of normal rows
   * @param features feature columns by name, in the order the model sees them; null or empty =
   *     every column of the test file except the label
   * @param validationFraction share of each class of the test file held out as the validation
   *     split, in [0, 1); drawn at random with {@code seed}, disjoint from the test split
   * @param seed drives the validation sample
   * @throws DataException naming the file, line and column for a missing column, a non-numeric
   *     or empty cell, or a row with the wrong number of fields
   */
  public static Dataset load(
      Path trainFile,
      Path testFile,
      String labelColumn,
      String normalValue,
      List<String> features,
      double validationFraction,
      long seed) {
    if (!(validationFraction >= 0 && validationFraction < 1)) {
      throw new DataException("The validation fraction must be at least 0 and below 1, got "
          + validationFraction + ".");
    }
    Table test = Table.read(testFile, labelColumn, features, true, List.of(), null);
    Table train = Table.read(trainFile, labelColumn, test.features, false, List.of(), null);

    List<float[]> trainRows = new ArrayList<>();
    int dropped = 0;
    for (int i = 0; i < train.rows.size(); i++) {
      if (train.labels == null || isNormal(train.labels.get(i), normalValue)) {
        trainRows.add(train.rows.get(i));
      } else {
        dropped++;
      }
    }
    if (dropped > 0) {
      LOG.info("{}: left {} rows whose {} is not '{}' out of training ({} rows remain)",
          trainFile, dropped, labelColumn, normalValue, trainRows.size());
    }
    if (trainRows.isEmpty()) {
      throw new DataException(trainFile + " has no row whose " + labelColumn + " is '"
          + normalValue + "', so there is nothing to train on. Check the normal label value.");
    }

    int n = test.rows.size();
    int[] labels = new int[n];
    List<Integer> normals = new ArrayList<>();
    List<Integer> anomalies = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      labels[i] = isNormal(test.labels.get(i), normalValue) ? 0 : 1;
      (labels[i] == 0 ? normals : anomalies).add(i);
    }
    if (normals.isEmpty() || anomalies.isEmpty()) { // found now, not after training, when ROC AUC is undefined
      throw new DataException(testFile + ": every test row is " + (normals.isEmpty() ? "an anomaly" : "normal")
          + " (" + labelColumn + " " + (normals.isEmpty() ? "is never" : "is always") + " '" + normalValue + "'), but"
          + " the evaluation needs both classes. Check dataset.label_column and dataset.normal_value, or add"
          + " labelled rows of the missing class to the test file.");
    }
    // stratified: the same share of each class, so validation keeps the test file's class mix
    SplittableRandom random = new SplittableRandom(seed);
    boolean[] inValidation = new boolean[n];
    for (List<Integer> group : List.of(normals, anomalies)) {
      int take = (int) Math.round(group.size() * validationFraction);
      int[] rows = group.stream().mapToInt(Integer::intValue).toArray();
      for (int i = 0; i < take; i++) {
        int j = i + random.nextInt(rows.length - i);
        int t = rows[i];
        rows[i] = rows[j];
        rows[j] = t;
        inValidation[rows[i]] = true;
      }
    }
    List<float[]> validation = new ArrayList<>();
    List<Integer> validationLabels = new ArrayList<>();
    List<float[]> testRows = new ArrayList<>();
    List<Integer> testLabels = new ArrayList<>();
    List<String> testClasses = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      (inValidation[i] ? validation : testRows).add(test.rows.get(i));
      (inValidation[i] ? validationLabels : testLabels).add(labels[i]);
      if (!inValidation[i]) {
        testClasses.add(test.labels.get(i).trim());
      }
    }
    return new Dataset(
        "csv/" + testFile.getFileName(),
        List.copyOf(test.features),
        trainRows.toArray(new float[0][]),
        validation.toArray(new float[0][]),
        validationLabels.stream().mapToInt(Integer::intValue).toArray(),
        testRows.toArray(new float[0][]),
        testLabels.stream().mapToInt(Integer::intValue).toArray(),
        testClasses);
  }

  /**
   * The {@code features} columns, by name, of every row of a CSV file with a header (other columns
   * are ignored): the rows a saved model scores. Read as {@link #load} reads its files: quotes,
   * {@code .gz}, finite numbers only; a problem is a {@link DataException} naming file, line and column.
   */
  public static float[][] readFeatures(Path file, List<String> features) {
    return readFeatures(file, features, List.of()).features();
  }

  /** Rows to score: the feature values and, per row, the text of the columns to carry through (ids). */
  public record FeatureRows(float[][] features, List<String[]> kept) {}

  /** As {@link #readFeatures(Path, List)}, also keeping the text of {@code keep} columns of each row. */
  public static FeatureRows readFeatures(Path file, List<String> features, List<String> keep) {
    return readFeatures(file, null, features, keep);
  }

  /**
   * The column names of a file without a header row, and where they come from for the error of a row with
   * another number of fields (e.g. "the model's 18 features in order (--no-header); name the columns with
   * --columns"), which says what to do.
   */
  public record Columns(List<String> names, String origin) {
    public Columns {
      names = List.copyOf(names);
    }
  }

  /**
   * As {@link #readFeatures(Path, List, List)}; {@code columns} non-null reads a file without a header row whose
   * columns are those names (its first line is a row).
   */
  public static FeatureRows readFeatures(Path file, Columns columns, List<String> features, List<String> keep) {
    Table t = Table.read(file, null, features, false, keep, columns);
    return new FeatureRows(t.rows.toArray(new float[0][]), t.kept);
  }

  private static boolean isNormal(String label, String normalValue) {
    String a = label.trim();
    String b = normalValue.trim();
    if (a.equals(b)) {
      return true;
    }
    try {
      return Double.parseDouble(a) == Double.parseDouble(b);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** The chosen columns of one file: feature rows and, when present, the label of each row. */
  private static final class Table {
    final List<String> features;
    final List<float[]> rows = new ArrayList<>();
    /** Null when the file has no label column (allowed for the training file only). */
    final List<String> labels;
    /** The text of the kept columns, per row (empty when none are kept). */
    final List<String[]> kept = new ArrayList<>();

    private Table(List<String> features, boolean hasLabels) {
      this.features = features;
      this.labels = hasLabels ? new ArrayList<>() : null;
    }

    /**
     * {@code labelColumn} null: a file of features only (rows to score). {@code given} non-null: the file has no
     * header row and these are its columns.
     */
    static Table read(Path file, String labelColumn, List<String> features,
        boolean labelRequired, List<String> keep, Columns given) {
      try (BufferedReader in = open(file)) {
        List<String> header;
        int lineNumber;
        if (given == null) {
          String headerLine = in.readLine();
          lineNumber = 1;
          while (headerLine != null && headerLine.isBlank()) {
            headerLine = in.readLine();
            lineNumber++;
          }
          if (headerLine == null) {
            throw new DataException(file + " is empty; a CSV file with a header row is expected.");
          }
          if (headerLine.startsWith("\uFEFF")) {
            headerLine = headerLine.substring(1);
          }
          header = CsvLines.split(headerLine, file, lineNumber);
          header.replaceAll(String::trim);
        } else {
          header = new ArrayList<>(given.names());
          lineNumber = 0;
        }
        String where = given == null ? "the header" : "named (" + given.origin() + ")";
        Set<String> seen = new HashSet<>();
        for (String name : header) {
          if (!seen.add(name)) {
            throw new DataException(file + (given == null ? ", line 1: the header names" : ": the columns " + where
                + " name") + " column '" + name + "' twice; give every column a distinct name.");
          }
        }
        int labelIndex = header.indexOf(labelColumn);
        if (labelIndex < 0 && labelRequired) {
          throw new DataException(file + " has no label column '" + labelColumn
              + "'. Its columns are: " + header + ". Set the label column to one of them.");
        }
        List<String> chosen;
        if (features == null || features.isEmpty()) {
          chosen = new ArrayList<>(header);
          chosen.remove(labelColumn);
          if (chosen.isEmpty()) {
            throw new DataException(file + " has no column besides the label '" + labelColumn
                + "'.");
          }
        } else {
          chosen = List.copyOf(features);
          if (labelColumn != null && chosen.contains(labelColumn)) {
            throw new DataException("The feature list names the label column '" + labelColumn
                + "'; remove it from the features.");
          }
        }
        int[] columns = new int[chosen.size()];
        for (int i = 0; i < columns.length; i++) {
          columns[i] = header.indexOf(chosen.get(i));
          if (columns[i] < 0) {
            throw new DataException(file + " has no column '" + chosen.get(i)
                + "'. Its columns" + (given == null ? "" : ", " + where + ",") + " are: " + header + ".");
          }
        }
        int[] keptColumns = new int[keep.size()];
        for (int i = 0; i < keptColumns.length; i++) {
          keptColumns[i] = header.indexOf(keep.get(i));
          if (keptColumns[i] < 0) {
            throw new DataException(file + " has no column '" + keep.get(i) + "'. Its columns"
                + (given == null ? "" : ", " + where + ",") + " are: " + header + ".");
          }
        }
        Table table = new Table(chosen, labelIndex >= 0);
        for (String line; (line = in.readLine()) != null; ) {
          lineNumber++;
          if (line.isBlank()) {
            continue;
          }
          if (given != null && lineNumber == 1 && line.startsWith("\uFEFF")) {
            line = line.substring(1);
          }
          List<String> fields = CsvLines.split(line, file, lineNumber);
          if (fields.size() != header.size()) {
            throw new DataException(file + ", line " + lineNumber + ": " + fields.size() + " fields, but "
                + (given == null ? "the header has " + header.size() + ". Every row needs one value per header column."
                    : header.size() + " columns are " + where + ". Every row needs one value per column."));
          }
          float[] row = new float[columns.length];
          for (int i = 0; i < columns.length; i++) {
            row[i] = number(fields.get(columns[i]), file, lineNumber, chosen.get(i));
          }
          table.rows.add(row);
          if (table.labels != null) {
            table.labels.add(fields.get(labelIndex));
          }
          if (keptColumns.length > 0) {
            String[] text = new String[keptColumns.length];
            for (int i = 0; i < text.length; i++) {
              text[i] = fields.get(keptColumns[i]);
            }
            table.kept.add(text);
          }
        }
        if (table.rows.isEmpty()) {
          throw new DataException(file + (given == null ? " has a header but no rows." : " has no rows."));
        }
        return table;
      } catch (NoSuchFileException e) {
        throw new DataException("CSV file " + file + " does not exist.", e);
      } catch (IOException e) {
        throw new DataException("Cannot read " + file + " (" + e + ").", e);
      }
    }

    private static BufferedReader open(Path file) throws IOException {
      InputStream in = Files.newInputStream(file);
      if (file.getFileName().toString().endsWith(".gz")) {
        in = new GZIPInputStream(in, 1 << 16);
      }
      return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
    }

    private static float number(String cell, Path file, int line, String column) {
      String s = cell.trim();
      if (s.isEmpty()) {
        throw new DataException(file + ", line " + line + ", column '" + column + "': empty"
            + " cell. Fill in or drop missing values before loading.");
      }
      try {
        return Numbers.parseFiniteFloat(s);
      } catch (NumberFormatException e) {
        throw new DataException(file + ", line " + line + ", column '" + column + "': " + e.getMessage()
            + ". Encode text columns as numbers, drop or impute missing and infinite values, or leave the"
            + " column out of the feature list.");
      }
    }
  }
}
