package io.deepad4j.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deepad4j.engine.ScoreGraph;
import io.deepad4j.engine.TrainingHistory;
import io.deepad4j.preprocessing.Scaler;
import io.deepad4j.spec.ConfigRecords;
import io.deepad4j.spec.Param;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat64;

/**
 * Principal component analysis as an anomaly detector, the FF12 report's linear baseline
 * (models/pca.py of github.com/fastforwardlabs/deepad): k components fitted on the scaled normal
 * rows (Pearson 1901; Jolliffe, "Principal Component Analysis", 2002).
 *
 * <p>Scores ({@code model.score}):
 * <ul>
 *   <li>{@code reconstruction} (default): the squared error of the scaled row after projecting it
 *       onto the k components and back, i.e. its squared distance to the principal plane. The
 *       FF12 code's {@code compute_anomaly_score} is the same divided by the number of features
 *       (a mean): the same ranking.
 *   <li>{@code distance}: what the FF12 report's PCA numbers use ({@code
 *       compute_anomaly_score_unsupervised}, called by its train.py): the sum of the Euclidean
 *       distances between the row and each component's unit vector taken as a point; see {@link
 *       PrincipalComponents#componentDistance}.
 * </ul>
 *
 * <p>Saved as {@value #FILE_NAME} (mean, components, explained variance, score) next to the
 * scaler, which deepad4j's scorer reads, and as a TensorFlow SavedModel of the same score ({@link
 * #scoreGraph}: the projection as matrix products), so that {@code mlflow.pyfunc} and {@code mlflow
 * models serve} load it as they load the TensorFlow models.
 */
public final class PcaDetector implements Detector {
  public static final String FILE_NAME = "pca.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The anomaly score (see the class comment). */
  public enum Score { RECONSTRUCTION, DISTANCE }

  /** The PCA's keys (model.*). */
  public record Config(
      @Param(value = "2", min = 1, max = 100_000, doc = "principal components kept (at most the number of features)") int nComponents,
      @Param(value = "reconstruction", doc = "reconstruction: squared distance to the principal plane; distance: the FF12"
          + " code's sum of distances to the components") Score score,
      @Param(value = "0", min = 0, max = 1, doc = "when above 0, replaces n_components: keep this share of the"
          + " features, round(share x features), at least 1 and at most features - 1 (so that one configuration fits"
          + " data sets of 3 to 1,555 features)") double componentsFraction) {}

  private final int numComponents;
  private final double componentsFraction;
  private final Score scoreKind;
  private Scaler scaler;
  private PrincipalComponents pca;

  public PcaDetector(Config c) {
    this.numComponents = c.nComponents();
    this.componentsFraction = c.componentsFraction();
    this.scoreKind = c.score();
  }

  @Override
  public TrainingHistory fit(float[][] train, Scaler scaler, RunContext context) {
    int features = scaler.featureNames().size();
    int k = componentsFraction > 0 ? components(componentsFraction, features) : numComponents;
    if (k > features) {
      throw new IllegalArgumentException("model.n_components = " + numComponents + " but the data has only "
          + features + " features; choose at most " + features);
    }
    this.scaler = scaler;
    this.pca = PrincipalComponents.fit(scaler.transform(train), k);
    return new TrainingHistory();   // no epochs: one closed-form fit
  }

  /** round(fraction x features), at least 1 and, when there are two features or more, at most features - 1. */
  static int components(double fraction, int features) {
    return (int) Math.max(1, Math.min(Math.max(1, features - 1), Math.round(fraction * features)));
  }

  private PrincipalComponents pca() {
    return Detector.requireFitted(pca);
  }

  @Override
  public double[] score(float[][] rows) {
    return score(pca(), scoreKind, scaler, rows);
  }

  private static double[] score(PrincipalComponents pca, Score kind, Scaler scaler, float[][] rows) {
    float[][] x = scaler.transform(rows);
    double[] s = new double[x.length];
    boolean reconstruction = kind == Score.RECONSTRUCTION;
    for (int i = 0; i < x.length; i++) {
      s[i] = reconstruction ? pca.reconstructionError(x[i]) : pca.componentDistance(x[i]);
    }
    return s;
  }

  /** The components and the mean: k x features + features. */
  @Override
  public long parameterCount() {
    return (long) (pca().numComponents() + 1) * pca().numFeatures();
  }

  @Override
  public void save(Path modelDir) throws IOException {
    PrincipalComponents p = pca();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("score", ConfigRecords.name(scoreKind));
    m.put("n_components", p.numComponents());
    m.put("features", scaler.featureNames());
    m.put("mean", p.mean());
    m.put("components", p.components());
    m.put("explained_variance", p.explainedVariance());
    m.put("explained_variance_ratio", p.explainedVarianceRatio());
    m.put("note", "rows are scaled by preprocessing.json first; components[i] is a unit vector; "
        + "reconstruction = |x - mean - sum_i ((x - mean) . c_i) c_i|^2; distance = sum_i |x - c_i|");
    JSON.writerWithDefaultPrettyPrinter().writeValue(modelDir.resolve(FILE_NAME).toFile(), m);
    ScoreGraph.export(modelDir.resolve(TfDetector.SAVED_MODEL_DIR), scaler.offset(), scaler.scale(),
        (tf, scaled) -> scoreGraph(tf, ScoreGraph.doubles(tf, scaled), p, scoreKind));
  }

  /**
   * The score of scaled rows x [-1, features] in float64, as {@link PrincipalComponents#reconstructionError}
   * (|x - mean - ((x - mean) V^T) V|^2, V the k x features components) or {@link
   * PrincipalComponents#componentDistance} (sum_i |x - v_i|) computes it.
   */
  static Operand<TFloat64> scoreGraph(Ops tf, Operand<TFloat64> x, PrincipalComponents p, Score kind) {
    Operand<TFloat64> v = ScoreGraph.matrix(tf, p.components());   // [k, features]
    if (kind == Score.RECONSTRUCTION) {
      Operand<TFloat64> mean = tf.constant(p.mean());
      Operand<TFloat64> z = tf.linalg.matMul(tf.math.sub(x, mean), v,
          org.tensorflow.op.linalg.MatMul.transposeB(true));   // [-1, k]
      Operand<TFloat64> reconstruction = tf.math.add(mean, tf.linalg.matMul(z, v));
      Operand<TFloat64> e = tf.math.sub(x, reconstruction);
      return tf.reduceSum(tf.math.mul(e, e), tf.constant(1));
    }
    Operand<TFloat64> d = tf.math.sub(tf.expandDims(x, tf.constant(1)), tf.expandDims(v, tf.constant(0)));   // [-1, k, f]
    return tf.reduceSum(tf.math.sqrt(tf.reduceSum(tf.math.mul(d, d), tf.constant(2))), tf.constant(1));
  }

  @Override
  public SavedFormat savedFormat() {
    return SavedFormat.javaAndTensorflow(FILE_NAME, null);
  }

  /** Loads a saved PCA detector; {@code scaler} is the model folder's preprocessing. */
  public static Scorer load(Path modelDir, Scaler scaler) throws IOException {
    Path file = modelDir.resolve(FILE_NAME);
    JsonNode n = ModelFolder.readModelFile(modelDir, FILE_NAME, "a PCA");
    for (String key : List.of("score", "mean", "components", "explained_variance", "explained_variance_ratio")) {
      if (!n.has(key)) {
        throw new IOException(file + ": missing '" + key + "'; the file is damaged or not written by deepad4j");
      }
    }
    String written = n.get("score").asText();
    Score kind = Arrays.stream(Score.values()).filter(k -> ConfigRecords.name(k).equals(written)).findFirst()
        .orElseThrow(() -> new IOException(file + ": score '" + written + "' is not one of " + Arrays.toString(Score.values())));
    PrincipalComponents p = new PrincipalComponents(
        JSON.treeToValue(n.get("mean"), double[].class),
        JSON.treeToValue(n.get("components"), double[][].class),
        JSON.treeToValue(n.get("explained_variance"), double[].class),
        JSON.treeToValue(n.get("explained_variance_ratio"), double[].class));
    int features = scaler.featureNames().size();
    if (p.numFeatures() != features) {
      throw new IOException(file + ": mean has " + p.numFeatures() + " values but " + Scaler.FILE_NAME + " lists " + features + " features");
    }
    for (double[] c : p.components()) {
      if (c.length != features) {
        throw new IOException(file + ": a component has " + c.length + " values, expected " + features);
      }
    }
    return rows -> score(p, kind, scaler, rows);
  }
}
