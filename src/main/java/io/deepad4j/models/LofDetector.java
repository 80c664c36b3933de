package io.deepad4j.models;

import com.fasterxml.jackson.databind.JsonNode;
import io.deepad4j.engine.TrainingHistory;
import io.deepad4j.preprocessing.Scaler;
import io.deepad4j.spec.Param;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Local outlier factor (Breunig, Kriegel, Ng and Sander, "LOF: identifying density-based local
 * outliers", SIGMOD 2000), in novelty mode: the training rows are the reference set, new rows are
 * scored against it. Euclidean distance on the scaled rows, k = {@code model.n_neighbors}.
 *
 * <p>On the training rows (each row's neighbours are the k nearest other training rows, itself left
 * out by index): k-distance(o) = the distance to o's k-th neighbour; reach-dist(p, o) = max(k-distance(o),
 * d(p, o)); lrd(o) = 1 / (mean reach-dist(o, n) over o's neighbours n + {@value #EPSILON}). A new row p
 * has the k nearest training rows as neighbours (nothing left out) and LOF(p) = mean lrd(o) over them
 * / lrd(p): about 1 inside a cluster, above 1 for a row less dense than its neighbours.
 *
 * <p>Neighbourhoods have exactly k rows (the paper's N_k also takes every row tied with the k-th,
 * which changes little and would make the work per row unbounded); ties go to the lower training
 * index. Duplicates: with k or more copies of a row, that row's neighbours are all at distance 0
 * and the mean reachability distance is 0, so {@value #EPSILON} is added to it before it is inverted:
 * lrd stays finite (at most 1e10), a new row on top of the copies scores 1, and a row near them but
 * not on them scores very high (the copies are an infinitely dense cluster). The paper instead
 * suggests counting distinct neighbours; the constant is the convention of the common
 * implementations, which ADBench's numbers come from.
 *
 * <p>Cost and saving as {@link KnnDetector}: at most {@code model.max_train_rows} training rows,
 * drawn with the seed; saved as {@value #FILE_NAME} and {@value #ROWS_FILE}, and as a TensorFlow SavedModel (the
 * rows, k-distances and lrds as constants; distances, TopK and the LOF in the graph). The training rows'
 * k-distances and lrds are computed again on loading (the same code on the same rows: the same
 * numbers).
 */
public final class LofDetector implements Detector {
  public static final String FILE_NAME = "lof.json";
  public static final String ROWS_FILE = "lof_rows.bin";
  /** Added to the mean reachability distance so that duplicates do not make lrd infinite. */
  static final double EPSILON = 1e-10;

  /** LOF's keys (model.*); names as PyOD's LOF. */
  public record Config(
      @Param(value = "20", min = 1, max = 10_000, doc = "neighbours k (the paper's MinPts)") int nNeighbors,
      @Param(value = "" + KnnDetector.DEFAULT_MAX_TRAIN_ROWS, min = 0, max = Integer.MAX_VALUE, doc = "keep at most this many"
          + " training rows, drawn with the seed (fit compares every kept row with every other, scoring every row with each"
          + " kept row); 0 = every row") int maxTrainRows) {}

  private final Config c;
  private Fitted fitted;

  public LofDetector(Config c) {
    this.c = c;
  }

  /** A fitted model: the kept scaled rows with each one's k-distance and local reachability density. */
  private static final class Fitted {
    final Scaler scaler;
    final float[][] rows;
    final NearestNeighbors index;
    final int k;
    final double[] kDistance;
    final double[] lrd;

    Fitted(Scaler scaler, float[][] rows, int k) {
      this.scaler = scaler;
      this.rows = rows;
      this.index = new NearestNeighbors(rows);
      this.k = k;
      int n = rows.length;
      int[][] neighbors = new int[n][];
      double[][] distances = new double[n][];
      kDistance = index.scoreTraining(k, NeighborRows.threads(), (row, idx, dist) -> {
        neighbors[row] = idx.clone();
        distances[row] = dist.clone();
        return dist[k - 1];
      });
      lrd = new double[n];
      for (int i = 0; i < n; i++) {
        lrd[i] = localReachabilityDensity(neighbors[i], distances[i], kDistance);
      }
    }

    double[] score(float[][] raw) {
      return index.score(scaler.transform(raw), k, NeighborRows.threads(), (row, idx, dist) -> {
        double neighborDensity = 0;
        for (int o : idx) {
          neighborDensity += lrd[o];
        }
        return neighborDensity / k / localReachabilityDensity(idx, dist, kDistance);
      });
    }
  }

  /** 1 / (mean reach-dist(p, o) over p's neighbours o + EPSILON), reach-dist(p, o) = max(k-distance(o), d(p, o)). */
  static double localReachabilityDensity(int[] neighbors, double[] distances, double[] kDistance) {
    double reach = 0;
    for (int j = 0; j < neighbors.length; j++) {
      reach += Math.max(kDistance[neighbors[j]], distances[j]);
    }
    return 1 / (reach / neighbors.length + EPSILON);
  }

  @Override
  public TrainingHistory fit(float[][] train, Scaler scaler, RunContext context) {
    fitted = null;
    TrainingHistory history = new TrainingHistory();   // no epochs
    float[][] rows = NeighborRows.fitRows(train, scaler, context, c.maxTrainRows(), c.nNeighbors(), 1, "LOF", history);
    fitted = new Fitted(scaler, rows, c.nNeighbors());
    return history;
  }

  private Fitted fitted() {
    return Detector.requireFitted(fitted);
  }

  @Override
  public double[] score(float[][] rows) {
    return fitted().score(rows);
  }

  /** The kept training rows' local reachability densities (for tests). */
  double[] trainingDensities() {
    return fitted().lrd.clone();
  }

  /** The kept rows' values and their k-distances and densities. */
  @Override
  public long parameterCount() {
    Fitted f = fitted();
    return (long) f.rows.length * (f.index.features() + 2);
  }

  @Override
  public void save(Path modelDir) throws IOException {
    Fitted f = fitted();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("n_neighbors", f.k);
    m.put("epsilon", EPSILON);
    NeighborRows.save(modelDir, FILE_NAME, ROWS_FILE, m, f.scaler, f.rows);
    io.deepad4j.engine.ScoreGraph.export(modelDir.resolve(TfDetector.SAVED_MODEL_DIR), f.scaler.offset(),
        f.scaler.scale(), (tf, scaled) -> {
          NeighborRows.Nearest n = NeighborRows.Nearest.of(tf, scaled, f.rows, f.k);
          var zero = tf.constant(0);
          var one = tf.constant(1);
          var k = tf.constant((double) f.k);
          var reach = tf.math.maximum(tf.gather(tf.constant(f.kDistance), n.index(), zero), n.distance());
          var density = tf.math.div(tf.constant(1.0),
              tf.math.add(tf.math.div(tf.reduceSum(reach, one), k), tf.constant(EPSILON)));
          var neighborDensity = tf.reduceSum(tf.gather(tf.constant(f.lrd), n.index(), zero), one);
          return tf.math.div(tf.math.div(neighborDensity, k), density);
        });
  }

  @Override
  public SavedFormat savedFormat() {
    return SavedFormat.javaAndTensorflow(FILE_NAME, "json settings + " + ROWS_FILE + " (deepad4j RowsFile)");
  }

  /** Loads a saved LOF detector; {@code scaler} is the model folder's preprocessing. */
  public static Scorer load(Path modelDir, Scaler scaler) throws IOException {
    JsonNode n = NeighborRows.settings(modelDir, FILE_NAME, "a LOF", scaler, "n_neighbors");
    int k = NeighborRows.positiveInt(n, "n_neighbors", modelDir.resolve(FILE_NAME));
    float[][] rows = NeighborRows.rows(modelDir, ROWS_FILE, scaler, k + 1);
    return new Fitted(scaler, rows, k)::score;
  }
}
