package io.deepad4j.cli;

import io.deepad4j.data.CsvDataset;
import io.deepad4j.data.DataException;
import io.deepad4j.models.ModelFolder;
import io.deepad4j.models.Scorer;
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

  @Option(names = {"-o", "--output"}, description = "where to write the scores (default: <csv>.scores.csv); never the input")
  Path output;

  @Override
  public Integer call() throws IOException {
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
