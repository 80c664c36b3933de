package io.deepad4j.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deepad4j.engine.TrainingHistory;
import io.deepad4j.preprocessing.Scaler;
import io.deepad4j.spec.ConfigRecords;
import io.deepad4j.spec.Param;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * ECOD, outlier detection by empirical cumulative distribution functions (Li, Zhao, Hu, Botta,
 * Ionescu and Chen, "ECOD: Unsupervised Outlier Detection Using Empirical Cumulative Distribution
 * Functions", IEEE TKDE 2022). No hyperparameters.
 *
 * <p>Per feature j of the n training rows: the left-tail ECDF F_left(z) = #{i : X_ij <= z} / n, the
 * right-tail ECDF F_right(z) = #{i : X_ij >= z} / n (ties count in both tails), and the sample
 * skewness g_j = m3 / m2^(3/2) (population moments; 0 for a constant feature). For a row x:
 * O_left = -sum_j ln F_left(x_j), O_right = -sum_j ln F_right(x_j), O_auto = -sum_j ln of the left
 * tail where g_j < 0 and of the right tail otherwise; score = max(O_left, O_right, O_auto) (the
 * paper's Algorithm 1, {@code model.aggregation: paper}). {@code per_feature} instead sums over the
 * features the larger of the two tails' -ln F (the skewness-chosen tail is one of them): what PyOD's
 * ECOD computes, a higher score whenever features disagree on the tail.
 *
 * <p>Scoring a new row: the paper scores the rows of the data set the ECDFs are built from. A new
 * row x is scored as if it were added to the training rows: F_left(x_j) = (1 + #{i : X_ij <= x_j})
 * / (n + 1), and likewise on the right. So a value beyond every training value gets 1 / (n + 1), not
 * 0 (whose logarithm is infinite), and a row's score depends on the training rows only, never on the
 * other rows scored with it (PyOD's ECOD rebuilds the ECDFs on training + scored rows together, so
 * its scores change with the batch). Skewness comes from the training rows.
 *
 * <p>Works on the scaled rows (ECDFs and the skewness do not change under the scalers'
 * increasing affine maps). Saved as {@value #FILE_NAME} (n, skewness) and {@value #COLUMNS_FILE} (each
 * feature's sorted training values, one row per feature, a {@link RowsFile}), and as a TensorFlow SavedModel
 * of the same score (the sorted columns as a constant, the counts by TensorFlow's UpperBound and LowerBound).
 */
public final class EcodDetector implements Detector {
  public static final String FILE_NAME = "ecod.json";
  public static final String COLUMNS_FILE = "ecod_columns.bin";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** How the features' tail scores make a row's score (see the class comment). */
  public enum Aggregation { PAPER, PER_FEATURE }

  /** ECOD's one key: how the tails are combined (it has no hyperparameter in the paper's sense). */
  public record Config(
      @Param(value = "paper", doc = "paper: max(O_left, O_right, O_auto) of the summed tails (Li et al.);"
          + " per_feature: the sum over features of the larger tail (PyOD's ECOD)") Aggregation aggregation) {}

  private final Aggregation aggregation;
  private Fitted fitted;

  public EcodDetector(Config c) {
    this.aggregation = c.aggregation();
  }

  /** Each feature's sorted training values and its skewness. */
  private record Fitted(Scaler scaler, float[][] sorted, double[] skewness, Aggregation aggregation) {
    double[] score(float[][] raw) {
      float[][] x = scaler.transform(raw);
      double[] s = new double[x.length];
      IntStream.range(0, x.length).parallel().forEach(i -> {
        double[] o = tails(x[i]);
        s[i] = aggregation == Aggregation.PER_FEATURE ? o[3] : Math.max(o[0], Math.max(o[1], o[2]));
      });
      return s;
    }

    /** {O_left, O_right, O_auto, the sum over features of the larger tail} of a scaled row. */
    double[] tails(float[] row) {
      double left = 0;
      double right = 0;
      double auto = 0;
      double larger = 0;
      for (int j = 0; j < sorted.length; j++) {
        float[] column = sorted[j];
        int n = column.length;
        int atMost = firstAbove(column, row[j]);   // #{X_ij <= x_j}
        int atLeast = n - firstAtLeast(column, row[j]);   // #{X_ij >= x_j}
        double l = -Math.log((atMost + 1.0) / (n + 1.0));
        double r = -Math.log((atLeast + 1.0) / (n + 1.0));
        left += l;
        right += r;
        auto += skewness[j] < 0 ? l : r;
        larger += Math.max(l, r);
      }
      return new double[] {left, right, auto, larger};
    }
  }

  /** The first index whose value is > v (= the count of values <= v) in a sorted array. */
  static int firstAbove(float[] sorted, float v) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] <= v) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** The first index whose value is >= v (= the count of values < v) in a sorted array. */
  static int firstAtLeast(float[] sorted, float v) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] < v) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** g = m3 / m2^(3/2) with the population (1/n) central moments; 0 when the values are all equal. */
  static double skewness(float[] values) {
    double mean = 0;
    for (float v : values) {
      mean += v;
    }
    mean /= values.length;
    double m2 = 0;
    double m3 = 0;
    for (float v : values) {
      double d = v - mean;
      m2 += d * d;
      m3 += d * d * d;
    }
    m2 /= values.length;
    m3 /= values.length;
    return m2 <= 0 ? 0 : m3 / Math.pow(m2, 1.5);
  }

  @Override
  public TrainingHistory fit(float[][] train, Scaler scaler, RunContext context) {
    fitted = null;
    if (train.length == 0) {
      throw new IllegalArgumentException("ECOD needs at least one training row");
    }
    float[][] x = scaler.transform(train);
    int features = x[0].length;
    float[][] sorted = new float[features][x.length];
    double[] skew = new double[features];
    for (int j = 0; j < features; j++) {
      for (int i = 0; i < x.length; i++) {
        sorted[j][i] = x[i][j];
      }
      skew[j] = skewness(sorted[j]);
      java.util.Arrays.sort(sorted[j]);
    }
    fitted = new Fitted(scaler, sorted, skew, aggregation);
    return new TrainingHistory();   // no epochs: counting
  }

  private Fitted fitted() {
    return Detector.requireFitted(fitted);
  }

  @Override
  public double[] score(float[][] rows) {
    return fitted().score(rows);
  }

  /** {O_left, O_right, O_auto, the per-feature sum} of a raw row (for tests). */
  double[] tailScores(float[] raw) {
    return fitted().tails(fitted().scaler().transform(new float[][] {raw})[0]);
  }

  @Override
  public long parameterCount() {
    return (long) fitted().sorted().length * (fitted().sorted()[0].length + 1);
  }

  @Override
  public void save(Path modelDir) throws IOException {
    Fitted f = fitted();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("train_rows", f.sorted()[0].length);
    m.put("features", f.scaler().featureNames());
    m.put("skewness", f.skewness());
    m.put("aggregation", ConfigRecords.name(f.aggregation()));
    m.put("columns_file", COLUMNS_FILE);
    m.put("note", COLUMNS_FILE + " holds, per feature, its sorted training values after " + Scaler.FILE_NAME
        + " (deepad4j RowsFile); F_left(z) = (1 + #{<= z}) / (n + 1), F_right(z) = (1 + #{>= z}) / (n + 1); O_auto takes"
        + " the left tail where skewness < 0; score (aggregation paper) = max(O_left, O_right, O_auto), O = -sum ln F;"
        + " (per_feature) = sum over features of max(-ln F_left, -ln F_right)");
    JSON.writerWithDefaultPrettyPrinter().writeValue(modelDir.resolve(FILE_NAME).toFile(), m);
    RowsFile.write(modelDir.resolve(COLUMNS_FILE), f.sorted());
    io.deepad4j.engine.ScoreGraph.export(modelDir.resolve(TfDetector.SAVED_MODEL_DIR), f.scaler().offset(),
        f.scaler().scale(), (tf, scaled) -> scoreGraph(tf, scaled, f));
  }

  /**
   * The score in a graph: per feature, #{<= x_j} is UpperBound and #{< x_j} LowerBound of the row's values in the
   * sorted training column (TensorFlow's batched binary searches: one batch row per feature), then the tails as
   * {@link Fitted#tails} computes them, in float64.
   */
  private static org.tensorflow.Operand<org.tensorflow.types.TFloat64> scoreGraph(org.tensorflow.op.Ops tf,
      org.tensorflow.Operand<org.tensorflow.types.TFloat32> scaled, Fitted f) {
    int n = f.sorted()[0].length;
    var sorted = io.deepad4j.engine.ScoreGraph.matrix(tf, f.sorted());   // [features, n]
    var values = tf.linalg.transpose(scaled, tf.constant(new int[] {1, 0}));   // [features, -1]
    var atMost = tf.dtypes.cast(tf.upperBound(sorted, values), org.tensorflow.types.TFloat64.class);
    var below = tf.dtypes.cast(tf.lowerBound(sorted, values), org.tensorflow.types.TFloat64.class);
    var one = tf.constant(1.0);
    var total = tf.constant(n + 1.0);
    var l = tf.math.neg(tf.math.log(tf.math.div(tf.math.add(atMost, one), total)));
    var r = tf.math.neg(tf.math.log(tf.math.div(tf.math.add(tf.math.sub(tf.constant((double) n), below), one), total)));
    var axis = tf.constant(0);
    if (f.aggregation() == Aggregation.PER_FEATURE) {
      return tf.reduceSum(tf.math.maximum(l, r), axis);
    }
    double[][] leftTail = new double[f.skewness().length][1];
    double[][] rightTail = new double[f.skewness().length][1];
    for (int j = 0; j < leftTail.length; j++) {
      leftTail[j][0] = f.skewness()[j] < 0 ? 1 : 0;
      rightTail[j][0] = 1 - leftTail[j][0];
    }
    var auto = tf.math.add(tf.math.mul(tf.constant(leftTail), l), tf.math.mul(tf.constant(rightTail), r));
    return tf.math.maximum(tf.reduceSum(l, axis), tf.math.maximum(tf.reduceSum(r, axis), tf.reduceSum(auto, axis)));
  }

  @Override
  public SavedFormat savedFormat() {
    return SavedFormat.javaAndTensorflow(FILE_NAME, "json settings + " + COLUMNS_FILE + " (deepad4j RowsFile)");
  }

  /** Loads a saved ECOD detector; {@code scaler} is the model folder's preprocessing. */
  public static Scorer load(Path modelDir, Scaler scaler) throws IOException {
    Path file = modelDir.resolve(FILE_NAME);
    JsonNode n = ModelFolder.readModelFile(modelDir, FILE_NAME, "an ECOD");
    int features = scaler.featureNames().size();
    if (!n.path("skewness").isArray() || n.get("skewness").size() != features) {
      throw new IOException(file + ": needs 'skewness' with one value per feature (" + features + "); the file is damaged");
    }
    double[] skew = JSON.treeToValue(n.get("skewness"), double[].class);
    Path columns = modelDir.resolve(COLUMNS_FILE);
    float[][] sorted = RowsFile.read(columns, -1);
    if (sorted.length != features || features == 0 || sorted[0].length == 0) {
      throw new IOException(columns + ": " + sorted.length + " rows of sorted values, expected one per feature (" + features + ")");
    }
    for (float[] column : sorted) {
      for (int i = 1; i < column.length; i++) {
        if (column[i - 1] > column[i]) {
          throw new IOException(columns + ": the values are not sorted; the file is damaged");
        }
      }
    }
    Aggregation aggregation;
    try {
      aggregation = Aggregation.valueOf(n.path("aggregation").asText("paper").toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": aggregation '" + n.path("aggregation").asText() + "' is not paper or per_feature");
    }
    return new Fitted(scaler, sorted, skew, aggregation)::score;
  }
}
