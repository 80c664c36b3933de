package io.deepad4j.models;

import com.fasterxml.jackson.databind.JsonNode;
import io.deepad4j.engine.TrainingHistory;
import io.deepad4j.preprocessing.Scaler;
import io.deepad4j.spec.ConfigRecords;
import io.deepad4j.spec.Param;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Distance to the k nearest neighbours as an anomaly score (Ramaswamy, Rastogi and Shim, "Efficient
 * algorithms for mining outliers from large data sets", SIGMOD 2000: the distance to the k-th
 * neighbour; Angiulli and Pizzuti, "Fast outlier detection in high dimensional spaces", PKDD 2002:
 * the mean distance to the k neighbours). Euclidean distance on the scaled rows.
 *
 * <p>Scores ({@code model.method}): {@code largest} = the k-th nearest distance (default),
 * {@code mean} = the mean of the k distances, {@code median} = their median (for even k the mean of
 * the two middle ones).
 *
 * <p>Neighbours: a new row is scored against every kept training row (nothing excluded, so a new row
 * equal to a training row has that row as a neighbour at distance 0). A training row scored as part
 * of the training set ({@link #trainingScores}) is not its own neighbour: it is left out by index,
 * while an identical copy elsewhere in the training rows still counts, at distance 0.
 *
 * <p>Cost: every scored row against every kept training row ({@link NearestNeighbors}, exact, on
 * every core), so at most {@code model.max_train_rows} training rows are kept, drawn with the run's
 * seed; the metrics {@value TrainingRows#ROWS_METRIC} and {@value TrainingRows#CAPPED_METRIC} say what
 * was kept. Saved as {@value #FILE_NAME} (settings) and {@value #ROWS_FILE} (the kept rows, scaled; a
 * {@link RowsFile}), and as a TensorFlow SavedModel of the same score (the kept rows as a constant, distances and
 * TopK in the graph) for mlflow.pyfunc and {@code mlflow models serve}.
 */
public final class KnnDetector implements Detector {
  public static final String FILE_NAME = "knn.json";
  public static final String ROWS_FILE = "knn_rows.bin";

  /** How the k distances make one score. */
  public enum Method { LARGEST, MEAN, MEDIAN }

  /** The kNN detector's keys (model.*); names as PyOD's KNN. */
  public record Config(
      @Param(value = "5", min = 1, max = 10_000, doc = "neighbours k") int nNeighbors,
      @Param(value = "largest", doc = "score from the k distances: largest = the k-th nearest, mean, median") Method method,
      @Param(value = "" + DEFAULT_MAX_TRAIN_ROWS, min = 0, max = Integer.MAX_VALUE, doc = "keep at most this many training"
          + " rows, drawn with the seed (scoring compares every row with each kept row); 0 = every row") int maxTrainRows) {}

  /** The training-row cap of the kNN and LOF detectors. */
  public static final int DEFAULT_MAX_TRAIN_ROWS = 10_000;

  private final Config c;
  private Fitted fitted;

  public KnnDetector(Config c) {
    this.c = c;
  }

  /** A fitted model: the scaler, the kept scaled rows and their index. */
  private record Fitted(Scaler scaler, float[][] rows, NearestNeighbors index, int k, Method method) {
    double[] score(float[][] raw) {
      return index.score(scaler.transform(raw), k, NeighborRows.threads(), (row, idx, dist) -> combine(method, dist));
    }
  }

  @Override
  public TrainingHistory fit(float[][] train, Scaler scaler, RunContext context) {
    fitted = null;
    TrainingHistory history = new TrainingHistory();   // no epochs: the rows are the model
    float[][] rows = NeighborRows.fitRows(train, scaler, context, c.maxTrainRows(), c.nNeighbors(), 0, "kNN", history);
    fitted = new Fitted(scaler, rows, new NearestNeighbors(rows), c.nNeighbors(), c.method());
    return history;
  }

  private Fitted fitted() {
    return Detector.requireFitted(fitted);
  }

  /** The score of k ascending distances. */
  static double combine(Method method, double[] distance) {
    int k = distance.length;
    return switch (method) {
      case LARGEST -> distance[k - 1];
      case MEAN -> Arrays.stream(distance).sum() / k;
      case MEDIAN -> k % 2 == 1 ? distance[k / 2] : (distance[k / 2 - 1] + distance[k / 2]) / 2;
    };
  }

  @Override
  public double[] score(float[][] rows) {
    return fitted().score(rows);
  }

  /** The kept training rows' scores, each row without itself as a neighbour (PyOD's decision_scores_). */
  double[] trainingScores() {
    Fitted f = fitted();
    if (f.rows().length <= f.k()) {
      throw new IllegalStateException("model.n_neighbors = " + f.k() + " needs more than " + f.rows().length
          + " training rows to score the training rows without themselves");
    }
    return f.index().scoreTraining(f.k(), NeighborRows.threads(), (row, idx, dist) -> combine(f.method(), dist));
  }

  /** The kept rows' values. */
  @Override
  public long parameterCount() {
    return (long) fitted().rows().length * fitted().index().features();
  }

  @Override
  public void save(Path modelDir) throws IOException {
    Fitted f = fitted();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("n_neighbors", f.k());
    m.put("method", ConfigRecords.name(f.method()));
    NeighborRows.save(modelDir, FILE_NAME, ROWS_FILE, m, f.scaler(), f.rows());
    io.deepad4j.engine.ScoreGraph.export(modelDir.resolve(TfDetector.SAVED_MODEL_DIR), f.scaler().offset(),
        f.scaler().scale(), (tf, scaled) -> {
          var d = NeighborRows.Nearest.of(tf, scaled, f.rows(), f.k()).distance();   // [-1, k] ascending
          int k = f.k();
          return switch (f.method()) {
            case LARGEST -> kth(tf, d, k - 1);
            case MEAN -> tf.math.div(tf.reduceSum(d, tf.constant(1)), tf.constant((double) k));
            case MEDIAN -> k % 2 == 1 ? kth(tf, d, k / 2)
                : tf.math.div(tf.math.add(kth(tf, d, k / 2 - 1), kth(tf, d, k / 2)), tf.constant(2.0));
          };
        });
  }

  /** Column i of [-1, k] as [-1]. */
  private static org.tensorflow.Operand<org.tensorflow.types.TFloat64> kth(org.tensorflow.op.Ops tf,
      org.tensorflow.Operand<org.tensorflow.types.TFloat64> d, int i) {
    return tf.gather(d, tf.constant(i), tf.constant(1));
  }

  @Override
  public SavedFormat savedFormat() {
    return SavedFormat.javaAndTensorflow(FILE_NAME, "json settings + " + ROWS_FILE + " (deepad4j RowsFile)");
  }

  /** Loads a saved kNN detector; {@code scaler} is the model folder's preprocessing. */
  public static Scorer load(Path modelDir, Scaler scaler) throws IOException {
    JsonNode n = NeighborRows.settings(modelDir, FILE_NAME, "a kNN", scaler, "n_neighbors", "method");
    Path file = modelDir.resolve(FILE_NAME);
    int k = NeighborRows.positiveInt(n, "n_neighbors", file);
    String written = n.get("method").asText();
    Method method = Arrays.stream(Method.values()).filter(m -> ConfigRecords.name(m).equals(written)).findFirst()
        .orElseThrow(() -> new IOException(file + ": method '" + written + "' is not one of " + Arrays.toString(Method.values())));
    float[][] rows = NeighborRows.rows(modelDir, ROWS_FILE, scaler, k);
    return new Fitted(scaler, rows, new NearestNeighbors(rows), k, method)::score;
  }
}
