package io.deepad4j.cli;

import io.deepad4j.models.ModelFolder;
import io.deepad4j.models.Scorer;
import io.deepad4j.spark.SparkSubmit;
import io.deepad4j.spark.SparkSweeps;
import io.deepad4j.spec.SpecException;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "score", description = "Score rows of a CSV file with a saved model: ./runner score outputs/<exp>/<run>/model data.csv")
final class ScoreCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "a run's model folder")
  Path modelDir;

  @Parameters(index = "1", description = "CSV with a header row naming (at least) the model's features")
  Path csv;

  @Option(names = {"-o", "--output"}, description = "where to write the scores (default: <csv>.scores.csv); with --spark, a new folder")
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

  @Spec
  CommandSpec commandSpec;

  @Override
  public Integer call() throws IOException {
    if (spark != null || !moreInputs.isEmpty() || !idColumns.isEmpty() || threshold != null) {
      return scoreOnSpark();
    }
    List<String> features = ModelFolder.features(modelDir);
    float[][] rows = readRows(csv, features);
    Path out = output != null ? output : csv.resolveSibling(csv.getFileName() + ".scores.csv");
    try (Scorer scorer = ModelFolder.load(modelDir)) {
      long t = System.nanoTime();
      double[] scores = scorer.score(rows);
      double ms = (System.nanoTime() - t) / 1e6;
      try (BufferedWriter w = Files.newBufferedWriter(out)) {
        w.write("row,score\n");
        for (int i = 0; i < scores.length; i++) {
          w.write(i + "," + scores[i] + "\n");
        }
      }
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
      return SparkSubmit.resubmit(spark, commandSpec.commandLine().getParseResult().originalArgs());
    }
    List<Path> inputs = new ArrayList<>(List.of(csv));
    inputs.addAll(moreInputs);
    return SparkSweeps.score(spark, modelDir, inputs, output, idColumns, threshold);
  }

  /** Reads the model's feature columns, by name, from a CSV with a header. */
  static float[][] readRows(Path csv, List<String> features) throws IOException {
    try (BufferedReader r = Files.newBufferedReader(csv)) {
      String header = r.readLine();
      if (header == null) {
        throw new IllegalArgumentException(csv + ": empty file; expected a header row naming the features");
      }
      List<String> columns = Arrays.stream(header.split(",", -1)).map(String::trim).toList();
      int[] index = new int[features.size()];
      List<String> missing = new ArrayList<>();
      for (int j = 0; j < features.size(); j++) {
        index[j] = columns.indexOf(features.get(j));
        if (index[j] < 0) {
          missing.add(features.get(j));
        }
      }
      if (!missing.isEmpty()) {
        throw new IllegalArgumentException(csv + ": the header lacks the model's features " + missing
            + "; the model expects " + features);
      }
      List<float[]> rows = new ArrayList<>();
      String line;
      int lineNo = 1;
      while ((line = r.readLine()) != null) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        String[] cells = line.split(",", -1);
        if (cells.length != columns.size()) {
          throw new IllegalArgumentException(csv + ":" + lineNo + ": " + cells.length + " cells, the header has " + columns.size());
        }
        float[] row = new float[features.size()];
        for (int j = 0; j < row.length; j++) {
          try {
            row[j] = Float.parseFloat(cells[index[j]].trim());
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException(csv + ":" + lineNo + ": column '" + features.get(j)
                + "' is not a number: '" + cells[index[j]] + "'");
          }
        }
        rows.add(row);
      }
      return rows.toArray(new float[0][]);
    }
  }
}
