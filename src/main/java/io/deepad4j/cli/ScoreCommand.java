package io.deepad4j.cli;

import io.deepad4j.models.ModelFolder;
import io.deepad4j.models.Scorer;
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
import picocli.CommandLine.Parameters;

@Command(name = "score", description = "Score rows of a CSV file with a saved model: ./runner score outputs/<exp>/<run>/model data.csv")
final class ScoreCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "a run's model folder")
  Path modelDir;

  @Parameters(index = "1", description = "CSV with a header row naming (at least) the model's features")
  Path csv;

  @Option(names = {"-o", "--output"}, description = "where to write the scores (default: <csv>.scores.csv)")
  Path output;

  @Override
  public Integer call() throws IOException {
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
