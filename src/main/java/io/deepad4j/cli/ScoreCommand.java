package io.deepad4j.cli;

import io.deepad4j.data.CsvDataset;
import io.deepad4j.data.CsvLines;
import io.deepad4j.data.DataException;
import io.deepad4j.data.Kdd99;
import io.deepad4j.models.ModelFolder;
import io.deepad4j.models.Scorer;
import io.deepad4j.spark.SparkSubmit;
import io.deepad4j.spark.SparkSweeps;
import io.deepad4j.spec.SpecException;
import io.deepad4j.tracking.AtomicFile;
import io.deepad4j.tracking.ModelDownload;
import io.deepad4j.tracking.Tracking;
import io.deepad4j.tracking.TrackingException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Scores the rows of a CSV file with a saved model. The rows are read as a csv data set's are (quotes,
 * .gz, finite numbers only: NaN, Infinity and values beyond a float are refused with their line), and
 * the scores go to a new file written atomically, never over the input: the id columns asked for, the row's
 * index, the score and, at the model's threshold (or {@code --threshold}), the decision {@code anomaly}
 * (1 when score &gt; threshold, the convention of every metric). The model is a folder or an MLflow address
 * ({@code models:/name/1}, {@code runs:/<id>/model}) fetched from the tracking server into a cache folder.
 */
@Command(name = "score", description = {
    "Score rows of a CSV file with a saved model: ./runner score outputs/<exp>/<run>/model data.csv",
    "  ./runner score models:/kdd-ae/1 data.csv --id-columns id      # a registered version, from MLflow",
    "  ./runner score runs:/<run id>/model kddcup.data.gz --no-header --columns kdd99",
    "Writes [id columns,]row,score,anomaly (anomaly = 1 when score > the run's threshold or --threshold)."})
final class ScoreCommand implements Callable<Integer> {
  /** {@code --columns kdd99}: the raw KDD Cup 99 layout, its 41 features then the label. */
  static final String KDD99_COLUMNS = "kdd99";

  @Spec
  CommandSpec command;

  @Parameters(index = "0", paramLabel = "MODEL", description = "a run's model folder, or an MLflow address: "
      + ModelDownload.FORMS)
  String model;

  @Parameters(index = "1", description = "CSV (or .csv.gz) with a header row naming (at least) the model's features"
      + " (without one: --no-header)")
  Path csv;

  @Option(names = {"-o", "--output"}, description = "where to write the scores (default: <csv>.scores.csv; never the"
      + " input); with --spark, a new folder")
  Path output;

  @Parameters(index = "2..*", arity = "0..*", paramLabel = "INPUT", description = "with --spark: more CSV / CSV.gz files or folders")
  List<Path> moreInputs = new ArrayList<>();

  @Option(names = "--spark", paramLabel = "MASTER_URL", description = "score on this Spark cluster: one partition per file, the"
      + " model loaded once per executor, part files in the --output folder (score, anomaly at the threshold, id columns)")
  String spark;

  @Option(names = "--id-columns", split = ",", paramLabel = "COL", description = "input columns copied to the output"
      + " before the row number (e.g. id,ts), quoted as CSV needs")
  List<String> idColumns = new ArrayList<>();

  @Option(names = "--threshold", description = "the decision threshold (default: the one saved with the model;"
      + " a folder without one is scored without the anomaly column)")
  Double threshold;

  @Option(names = "--no-header", description = "the input has no header row: its columns are the model's features"
      + " in order, or those --columns names")
  boolean noHeader;

  @Option(names = "--columns", split = ",", paramLabel = "NAME", description = "with --no-header: the input's column"
      + " names, in order (others than the features are ignored or carried with --id-columns); " + KDD99_COLUMNS
      + " = the raw KDD Cup 99 layout (41 features, then label)")
  List<String> columns = new ArrayList<>();

  @Option(names = "--uri", paramLabel = "URL", description = "with a models:/ or runs:/ address: the MLflow server"
      + " (default: $MLFLOW_TRACKING_URI)")
  String uri;

  @Option(names = "--cache", paramLabel = "DIR", defaultValue = "outputs/.models", description = "with a models:/ or"
      + " runs:/ address: where the model's files are downloaded, one folder per model (default: ${DEFAULT-VALUE})")
  Path cache;

  @Override
  public Integer call() throws IOException {
    if (threshold != null && !Double.isFinite(threshold)) {
      throw usage("--threshold " + threshold + " is not a finite number; give the score above which a row is an anomaly");
    }
    if (!columns.isEmpty() && !noHeader) {
      throw usage("--columns names the columns of a file without a header row; add --no-header (a file with a"
          + " header row names its own columns)");
    }
    Path modelDir = modelFolder();
    if (spark != null || !moreInputs.isEmpty()) {
      return scoreOnSpark(modelDir);
    }
    Path out = output != null ? output : csv.resolveSibling(csv.getFileName() + ".scores.csv");
    if (sameFile(out, csv)) {
      throw usage("--output " + out + " is the input file " + csv
          + ": writing the scores there would replace the rows. Give another --output path.");
    }
    List<String> features = ModelFolder.features(modelDir);
    Double cut = threshold;
    String from = "--threshold";
    if (cut == null) {
      var saved = ModelFolder.threshold(modelDir);
      if (saved.isPresent()) {
        cut = saved.get().threshold().value();
        from = saved.get().file().getFileName() + (saved.get().threshold().rule().equals("unknown") ? ""
            : ", " + saved.get().threshold().rule());
      } else {
        System.err.println("note: " + modelDir + " holds no decision threshold (a model folder saved before"
            + " thresholds were, moved out of its run folder): scores only, no anomaly column; give one with"
            + " --threshold VALUE");
      }
    }
    CsvDataset.FeatureRows rows = CsvDataset.readFeatures(csv, headerless(modelDir, features), features, idColumns);
    try (Scorer scorer = ModelFolder.load(modelDir)) {
      long t = System.nanoTime();
      double[] scores = scorer.score(rows.features());
      double ms = (System.nanoTime() - t) / 1e6;
      requireFinite(scores);
      long flagged = write(out, rows.kept(), scores, cut);
      System.out.printf(Locale.ROOT, "scored %d rows in %.1f ms -> %s%s%n", scores.length, ms, out, cut == null ? ""
          : String.format(Locale.ROOT, " (threshold %s from %s: %d anomalies)", cut, from, flagged));
    }
    return 0;
  }

  /** The model folder: the one given, or the address's files fetched from the tracking server. */
  private Path modelFolder() {
    if (!ModelDownload.isAddress(model)) {
      if (uri != null) {
        throw usage("--uri goes with a models:/ or runs:/ address; " + model + " is a folder");
      }
      return Path.of(model);
    }
    String server = Tracking.resolveUri(uri);
    if (server == null || server.equalsIgnoreCase(Tracking.NONE)) {
      throw usage(model + " is an MLflow address, but no tracking server is set: pass --uri URL or set"
          + " MLFLOW_TRACKING_URI (e.g. http://127.0.0.1:5000)");
    }
    try {
      Tracking.serverUri(server);
    } catch (IllegalArgumentException e) {
      throw usage("--uri: " + e.getMessage());
    }
    ModelDownload.Fetched fetched;
    try {
      fetched = ModelDownload.fetch(model, server, cache);
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    } catch (TrackingException e) { // the server says no such model, version, alias or run: as a missing folder
      throw new DataException(model + " on the MLflow server at " + server + ": " + e.getMessage()
          + ". Check the name, version or run id (the model's page in the MLflow UI shows its address).", e);
    }
    System.err.println((fetched.downloaded() ? "downloaded " : "using the cached ") + model + " (" + fetched.artifactUri()
        + ") -> " + fetched.dir());
    return fetched.dir();
  }

  /** The column names of a header-less input; null when the input has a header row. */
  private CsvDataset.Columns headerless(Path modelDir, List<String> features) {
    if (!noHeader) {
      return null;
    }
    String kddHint = "--columns " + KDD99_COLUMNS + " for the raw KDD Cup 99 format (41 features, then the label)";
    if (columns.isEmpty()) {
      boolean kdd = ModelFolder.dataset(modelDir).startsWith("kdd99");
      return new CsvDataset.Columns(features, "with --no-header they are the model's " + features.size()
          + " features in order; name the input's columns with --columns a,b,..." + (kdd ? ", e.g. " + kddHint : ""));
    }
    if (columns.size() == 1 && columns.get(0).equalsIgnoreCase(KDD99_COLUMNS)) {
      List<String> kdd = new ArrayList<>(Kdd99.FEATURE_NAMES);
      kdd.add("label");
      return new CsvDataset.Columns(kdd, "by --columns " + KDD99_COLUMNS + ": the 41 KDD Cup 99 features, then label");
    }
    return new CsvDataset.Columns(columns, "by --columns");
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(command.commandLine(), message);
  }

  /** Many files, on Spark (see io.deepad4j.spark.SparkScoring). */
  private int scoreOnSpark(Path modelDir) {
    if (spark == null) {
      throw new SpecException("several inputs go with --spark MASTER_URL (local[*] for this machine)");
    }
    if (noHeader) {
      throw new SpecException("--no-header is not supported with --spark; give the files a header row");
    }
    if (!SparkSubmit.sparkOnClasspath()) {
      List<String> args = new ArrayList<>(command.commandLine().getParseResult().originalArgs());
      args.set(args.indexOf(model), modelDir.toAbsolutePath().toString()); // fetched once, here
      return SparkSubmit.resubmit(spark, args);
    }
    List<Path> inputs = new ArrayList<>(List.of(csv));
    inputs.addAll(moreInputs);
    return SparkSweeps.score(spark, modelDir, inputs, output, idColumns, threshold);
  }

  /**
   * A NaN score is never above a threshold, so its row would pass as normal without a word: refuse,
   * naming the rows. (The input is finite by now; a model can still overflow on values far outside
   * the range it was trained on.)
   */
  private void requireFinite(double[] scores) {
    List<Integer> bad = new ArrayList<>();
    for (int i = 0; i < scores.length && bad.size() < 5; i++) {
      if (!Double.isFinite(scores[i])) {
        bad.add(i);
      }
    }
    if (!bad.isEmpty()) {
      throw new DataException(csv + ": the model scores row(s) " + bad + " (0-based, blank lines not counted) as "
          + scores[bad.get(0)] + ": their values are too far outside the range the model was trained on to give"
          + " a score. Nothing was written; check those rows.");
    }
  }

  private static boolean sameFile(Path a, Path b) throws IOException {
    if (a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize())) {
      return true;
    }
    return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b); // links, ../ paths
  }

  /**
   * Streams the scores to a temporary file beside {@code out}, then renames it: no half-written output.
   * Returns the number of rows flagged (0 without a threshold).
   */
  private long write(Path out, List<String[]> ids, double[] scores, Double cut) {
    long[] flagged = {0};
    AtomicFile.write(out, w -> {
      List<String> header = new ArrayList<>(idColumns);
      header.addAll(cut == null ? List.of("row", "score") : List.of("row", "score", "anomaly"));
      w.write(String.join(",", header.stream().map(CsvLines::quote).toList()) + "\n");
      for (int i = 0; i < scores.length; i++) {
        if (!idColumns.isEmpty()) {
          for (String id : ids.get(i)) {
            w.write(CsvLines.quote(id));
            w.write(',');
          }
        }
        w.write(i + "," + scores[i]);
        if (cut != null) {
          boolean anomaly = scores[i] > cut;
          flagged[0] += anomaly ? 1 : 0;
          w.write(anomaly ? ",1\n" : ",0\n");
        } else {
          w.write('\n');
        }
      }
    });
    return flagged[0];
  }
}
