package io.deepad4j.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deepad4j.engine.TrainingHistory;
import io.deepad4j.preprocessing.Scaler;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the kNN and LOF detectors share: the scaled, capped training rows they search, how they
 * are saved (a small JSON file of settings plus the rows as a {@link RowsFile}) and loaded back.
 */
final class NeighborRows {
  private static final ObjectMapper JSON = new ObjectMapper();

  private NeighborRows() {}

  /** Threads for the distance kernel: every core (parallel sweep trials in one JVM share them). */
  static int threads() {
    return Runtime.getRuntime().availableProcessors();
  }

  /**
   * The scaled training rows, at most {@code maxRows} of them drawn with the run's seed (the cap is
   * logged and recorded in {@code history}); refuses k at or above the rows kept ({@code
   * reserve} more rows than k are needed: 1 when a training row must not be its own neighbour).
   */
  static float[][] fitRows(float[][] train, Scaler scaler, RunContext context, int maxRows, int k, int reserve,
      String model, TrainingHistory history) {
    float[][] rows = scaler.transform(TrainingRows.cap(train, maxRows, context.seed(), model, "model.max_train_rows", history));
    if (rows.length < k + reserve) {
      throw new IllegalArgumentException(model + ": model.n_neighbors = " + k + " needs at least " + (k + reserve)
          + " training rows, but there are " + rows.length + "; lower model.n_neighbors or add rows");
    }
    return rows;
  }

  /** Writes {@code settings} (plus the features and the rows file's name) as {@code jsonFile} and the rows as {@code rowsFile}. */
  static void save(Path modelDir, String jsonFile, String rowsFile, Map<String, Object> settings, Scaler scaler,
      float[][] rows) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>(settings);
    m.put("features", scaler.featureNames());
    m.put("train_rows", rows.length);
    m.put("rows_file", rowsFile);
    m.put("note", rowsFile + " holds the training rows after " + Scaler.FILE_NAME + " (deepad4j RowsFile: "
        + "'DA4JROWS', version, rows, columns as big-endian int32, then float32 rows, then the CRC-32 as int64)");
    JSON.writerWithDefaultPrettyPrinter().writeValue(modelDir.resolve(jsonFile).toFile(), m);
    RowsFile.write(modelDir.resolve(rowsFile), rows);
  }

  /** A saved model's settings, checked to hold {@code keys} and the scaler's features. */
  static JsonNode settings(Path modelDir, String jsonFile, String what, Scaler scaler, String... keys) throws IOException {
    Path file = modelDir.resolve(jsonFile);
    JsonNode n = ModelFolder.readModelFile(modelDir, jsonFile, what);
    List<String> needed = new ArrayList<>(List.of(keys));
    needed.add("features");
    for (String key : needed) {
      if (!n.has(key)) {
        throw new IOException(file + ": missing '" + key + "'; the file is damaged or not written by deepad4j");
      }
    }
    List<String> names = new ArrayList<>();
    n.get("features").forEach(f -> names.add(f.asText()));
    if (!names.equals(scaler.featureNames())) {
      throw new IOException(file + ": its features " + names + " are not those of " + Scaler.FILE_NAME + " " + scaler.featureNames());
    }
    return n;
  }

  /** The saved rows, one column per feature, at least {@code minRows} of them. */
  static float[][] rows(Path modelDir, String rowsFile, Scaler scaler, int minRows) throws IOException {
    Path file = modelDir.resolve(rowsFile);
    float[][] rows = RowsFile.read(file, scaler.featureNames().size());
    if (rows.length < minRows) {
      throw new IOException(file + ": " + rows.length + " rows, but the model needs at least " + minRows);
    }
    return rows;
  }

  /**
   * The k nearest of {@code rows} to each scaled row, in a TensorFlow graph: the squared distances as {@link
   * NearestNeighbors} computes them (float32, feature by feature), TopK of their negatives (ties: the lower index
   * first, as NearestNeighbors keeps them), the distances as the square roots in float64.
   *
   * @param index the neighbours' row indices [-1, k], nearest first
   * @param distance their distances [-1, k], ascending
   */
  record Nearest(org.tensorflow.Operand<org.tensorflow.types.TInt32> index,
      org.tensorflow.Operand<org.tensorflow.types.TFloat64> distance) {
    static Nearest of(org.tensorflow.op.Ops tf, org.tensorflow.Operand<org.tensorflow.types.TFloat32> scaled,
        float[][] rows, int k) {
      var top = tf.nn.topK(tf.math.neg(io.deepad4j.engine.ScoreGraph.squaredDistances(tf, scaled, rows)), tf.constant(k),
          new org.tensorflow.op.nn.TopK.Options[0]);
      var squared = io.deepad4j.engine.ScoreGraph.doubles(tf, tf.math.neg(top.values()));
      return new Nearest(top.indices(), tf.math.sqrt(squared));
    }
  }

  /** A positive integer setting, or an IOException naming the file. */
  static int positiveInt(JsonNode settings, String key, Path file) throws IOException {
    JsonNode v = settings.get(key);
    if (v == null || !v.canConvertToInt() || v.asInt() < 1) {
      throw new IOException(file + ": '" + key + "' must be a positive integer, not " + v);
    }
    return v.asInt();
  }
}
