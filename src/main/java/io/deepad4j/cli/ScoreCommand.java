package io.deepad4j.cli;

import io.deepad4j.data.CsvDataset;
import io.deepad4j.data.DataException;
import io.deepad4j.models.ModelFolder;
import io.deepad4j.models.Scorer;
import io.deepad4j.spark.SparkSubmit;
import io.deepad4j.spark.SparkSweeps;
import io.deepad4j.spec.SpecException;
import io.deepad4j.tracking.AtomicFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
 * the scores go to a new file written atomically, never over the input.
 */
@Command(name = "score", description = "Score rows of a CSV file with a saved model: ./runner score outputs/<exp>/<run>/model data.csv")
final class ScoreCommand implements Callable<Integer> {
  @Spec
  CommandSpec command;

  @Parameters(index = "0", description = "a run's model folder")
  Path modelDir;

  @Parameters(index = "1", description = "CSV (or .csv.gz) with a header row naming (at least) the model's features")
  Path csv;

  @Option(names = {"-o", "--output"}, description = "where to write the scores (default: <csv>.scores.csv; never the"
      + " input); with --spark, a new folder")
  Path output;

  @Parameters(index = "2..*", arity = "0..*", paramLabel = "INPUT", description = "with --spark: more CSV / CSV.gz files or folders")
  List<Path> moreInputs = new ArrayList<>();

  @Option(names = "--spark", paramLabel = "MASTER_URL", description = "score on this Spark cluster: one partition per file, the"
      + " model loaded once per executor, part files in the --output folder (score, anomaly at the threshold, id columns)")
  String spark;

  @Option(names = "--id-columns", split = ",", paramLabel = "COL", description = "with --spark: input columns copied to the output (e.g. id,ts)")
  List<String> idColumns = new ArrayList<>();

  @Option(names = "--threshold", description = "with --spark: the decision threshold (default: the run's, from metrics.json beside the model folder)")
  Double threshold;

  @Override
  public Integer call() throws IOException {
    if (spark != null || !moreInputs.isEmpty() || !idColumns.isEmpty() || threshold != null) {
      return scoreOnSpark();
    }
    Path out = output != null ? output : csv.resolveSibling(csv.getFileName() + ".scores.csv");
    if (sameFile(out, csv)) {
      throw new CommandLine.ParameterException(command.commandLine(), "--output " + out + " is the input file " + csv
          + ": writing the scores there would replace the rows. Give another --output path.");
    }
    List<String> features = ModelFolder.features(modelDir);
    float[][] rows = CsvDataset.readFeatures(csv, features);
    try (Scorer scorer = ModelFolder.load(modelDir)) {
      long t = System.nanoTime();
      double[] scores = scorer.score(rows);
      double ms = (System.nanoTime() - t) / 1e6;
      requireFinite(scores);
      write(out, scores);
      System.out.printf("scored %d rows in %.1f ms -> %s%n", rows.length, ms, out);
    }
    return 0;
  }

  /** Many files, on Spark (see io.deepad4j.spark.SparkScoring). */
  private int scoreOnSpark() {
    if (spark == null) {
      throw new SpecException("several inputs, --id-columns and --threshold go with --spark MASTER_URL (local[*] for this machine)");
    }
    if (!SparkSubmit.sparkOnClasspath()) {
      return SparkSubmit.resubmit(spark, command.commandLine().getParseResult().originalArgs());
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

  /** Streams the scores to a temporary file beside {@code out}, then renames it: no half-written output. */
  private static void write(Path out, double[] scores) {
    AtomicFile.write(out, w -> {
      w.write("row,score\n");
      for (int i = 0; i < scores.length; i++) {
        w.write(i + "," + scores[i] + "\n");
      }
    });
  }
}
