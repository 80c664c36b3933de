package io.deepad4j.models;

import io.deepad4j.engine.Activation;
import io.deepad4j.engine.AdamConfig;
import io.deepad4j.engine.Dense;
import io.deepad4j.engine.Layers;
import io.deepad4j.engine.Objective;
import io.deepad4j.engine.RowMean;
import io.deepad4j.engine.TfModel;
import io.deepad4j.spec.Param;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * GOAD (Bergman and Hoshen, "Classification-Based Anomaly Detection for General Data", ICLR 2020) on
 * tabular rows: M random affine maps T_m(x) = x W_m (entries N(0, 1), drawn from the run's seed and
 * part of the graph, so the SavedModel applies them to raw rows alone); a shared network f (no bias,
 * leaky ReLU 0.2 between layers) embeds each T_m(x), and a head tells which m was applied. Loss =
 * cross-entropy of the head + tc_weight x the paper's centre triplet loss: max(0, ||f - c_m||^2 + margin -
 * min_{k != m} ||f - c_k||^2), the batch's per-transformation mean embeddings as centres. After training,
 * the centres c_m are the mean embeddings over the training rows; a row's score is -sum_m log
 * softmax_m(-||f(T_m(x)) - c_.||^2), the negative log-likelihood of the right transformations.
 *
 * <p>All M transformations of a batch go through one graph call: x [rows, d] times the matrices
 * side by side [d, M x d_out] gives [rows x M, d_out], which the network reads as one batch. Defaults:
 * the authors' KDD settings (lironber/GOAD: 64 transformations to 64 dimensions, 5 layers of 32, margin
 * 1, weight 0.1, Adam 1e-3 with beta1 0.5, batch 64, 25 epochs).
 */
public final class GoadModel extends TfModel {
  private static final String GROUP = "goad";
  /** Name of the transformation matrices' constant in the graph, [d, M x d_out]. */
  public static final String TRANSFORMATIONS = "goad_transformations";
  private static final long TRANSFORMATION_SALT = 0x60AD7A45L;
  private static final float NOT_A_NEIGHBOUR = 1e6f;

  private final Config c;
  private final List<Dense> trunk = new ArrayList<>();
  private Variable<TFloat32> headKernel;
  private Variable<TFloat32> headBias;
  private Operand<TFloat32> transformations;
  private Operand<TFloat32> identity;
  private Variable<TFloat32> centres;
  private List<Variable<TFloat32>> weights;

  /** GOAD's keys (model.*): the authors' KDD settings. */
  @TfDetector.TrainingDefaults(epochs = 25, batchSize = 64)
  public record Config(
      @Param(value = "64", min = 2, max = 4096, doc = "number M of random affine transformations (n_rots)") int transformations,
      @Param(value = "64", min = 1, max = 100_000, doc = "output size of each transformation (d_out)") int transformDim,
      @Param(value = "32", min = 1, max = 100_000, doc = "width of the shared network's layers (ndf)") int hidden,
      @Param(value = "5", min = 1, max = 100, doc = "layers of the shared network (KDD: 5; the authors' small data"
          + " sets: 1)") int depth,
      @Param(value = "1.0", min = 0, max = 1e6, doc = "margin m of the centre triplet loss") double margin,
      @Param(value = "0.1", min = 0, max = 1e6, doc = "weight lambda of the centre triplet loss") double tcWeight,
      @Param(value = "0.0", min = 0, max = 1e6, doc = "floor of the squared distances in the score (eps)") double eps,
      @Param(value = "0.001", min = 1e-9, max = 10, doc = "Adam learning rate") double learningRate,
      @Param(value = "0.5", min = 0, max = 0.999999, doc = "Adam beta1") double beta1) {}

  public GoadModel(Config config) {
    this.c = config;
  }

  /**
   * The M transformation matrices drawn from {@code seed}: [m][row of d][column of d_out], entries N(0, 1).
   * The same seed gives the same matrices.
   */
  public static float[][][] drawTransformations(long seed, int m, int inputs, int outputs) {
    SplittableRandom r = new SplittableRandom(seed ^ TRANSFORMATION_SALT);
    float[][][] w = new float[m][inputs][outputs];
    for (float[][] matrix : w) {
      for (float[] row : matrix) {
        for (int j = 0; j < outputs; j++) {
          row[j] = (float) r.nextGaussian();
        }
      }
    }
    return w;
  }

  /** The matrices side by side, [d, M x d_out]: column m x d_out + j is column j of matrix m. */
  static float[][] sideBySide(float[][][] w) {
    int m = w.length;
    int d = w[0].length;
    int out = w[0][0].length;
    float[][] all = new float[d][m * out];
    for (int t = 0; t < m; t++) {
      for (int i = 0; i < d; i++) {
        System.arraycopy(w[t][i], 0, all[i], t * out, out);
      }
    }
    return all;
  }

  @Override
  protected void build(Layers l, int numFeatures) {
    trunk.clear(); // a refit builds a new graph
    int m = c.transformations();
    transformations = l.constant(TRANSFORMATIONS, sideBySide(drawTransformations(l.seed(), m, numFeatures, c.transformDim())));
    float[][] eye = new float[m][m];
    for (int i = 0; i < m; i++) {
      eye[i][i] = 1f;
    }
    identity = l.constant("goad_identity", eye);
    int in = c.transformDim();
    for (int i = 0; i < c.depth(); i++) {
      trunk.add(l.denseWithoutBias(GROUP, in, c.hidden(), Activation.LINEAR));
      in = c.hidden();
    }
    headKernel = l.variable(GROUP, l.glorotUniform(c.hidden(), m));
    headBias = l.variable(GROUP, new float[m]);
    centres = l.state("goad_centres", Shape.of(m, c.hidden()));
    weights = l.all();
  }

  /** f(T_m(x)) for every row and transformation: [rows x M, hidden], the M of a row consecutive. */
  Operand<TFloat32> embed(Ops tf, Operand<TFloat32> rows) {
    Operand<TFloat32> h = tf.reshape(tf.linalg.matMul(rows, transformations), tf.constant(new int[] {-1, c.transformDim()}));
    for (int i = 0; i < trunk.size(); i++) {
      if (i > 0) {
        h = Activation.LEAKY_RELU.apply(tf, h);
      }
      h = trunk.get(i).preActivation(tf, h);
    }
    return h;
  }

  /** The head's logits over the M transformations, [rows x M, M]. */
  private Operand<TFloat32> logits(Ops tf, Operand<TFloat32> z) {
    return tf.math.add(tf.linalg.matMul(Activation.LEAKY_RELU.apply(tf, z), headKernel), headBias);
  }

  /**
   * ||z[r, j] - centre[k]||^2 as ||z||^2 - 2 z.c + ||c||^2 (one matrix product; the gradient of Square
   * crashes TensorFlow's C API, so squares are products) for embeddings z [rows x M, hidden] and centres [M, hidden]: [rows, M, M]. */
  private Operand<TFloat32> squaredDistances(Ops tf, Operand<TFloat32> z, Operand<TFloat32> centre) {
    int m = c.transformations();
    Operand<TFloat32> zz = tf.reshape(tf.reduceSum(tf.math.mul(z, z), tf.constant(1)), tf.constant(new int[] {-1, m, 1}));
    Operand<TFloat32> cc = tf.reshape(tf.reduceSum(tf.math.mul(centre, centre), tf.constant(1)), tf.constant(new int[] {1, 1, m}));
    Operand<TFloat32> cross = tf.reshape(tf.linalg.matMul(z, centre, org.tensorflow.op.linalg.MatMul.transposeB(true)),
        tf.constant(new int[] {-1, m, m}));
    return tf.math.add(tf.math.sub(zz, tf.math.mul(tf.constant(2f), cross)), cc);
  }

  /** The [rows, M] diagonal of a [rows, M, M] tensor. */
  private Operand<TFloat32> diagonal(Ops tf, Operand<TFloat32> x) {
    return tf.reduceSum(tf.math.mul(x, identity), tf.constant(2));
  }

  @Override
  protected List<Objective> objectives(Ops tf, Operand<TFloat32> batch) {
    int m = c.transformations();
    Operand<TFloat32> z = embed(tf, batch);
    Operand<TFloat32> logp = tf.reshape(tf.nn.logSoftmax(logits(tf, z)), tf.constant(new int[] {-1, m, m}));
    Operand<TFloat32> crossEntropy = tf.math.neg(mean(tf, diagonal(tf, logp)));
    Operand<TFloat32> batchCentres =
        tf.math.mean(tf.reshape(z, tf.constant(new int[] {-1, m, c.hidden()})), tf.constant(0));
    Operand<TFloat32> d = squaredDistances(tf, z, batchCentres);
    Operand<TFloat32> own = diagonal(tf, d);
    Operand<TFloat32> nearestOther =
        tf.reduceMin(tf.math.add(d, tf.math.mul(identity, tf.constant(NOT_A_NEIGHBOUR))), tf.constant(2));
    Operand<TFloat32> triplet =
        mean(tf, tf.nn.relu(tf.math.sub(tf.math.add(own, tf.constant((float) c.margin())), nearestOther)));
    Operand<TFloat32> loss = tf.math.add(crossEntropy, tf.math.mul(tf.constant((float) c.tcWeight()), triplet));
    return List.of(new Objective("loss", loss, weights, AdamConfig.of(c.learningRate(), c.beta1())));
  }

  @Override
  protected Operand<TFloat32> score(Ops tf, Operand<TFloat32> rows) {
    Operand<TFloat32> d = tf.math.maximum(squaredDistances(tf, embed(tf, rows), centres), tf.constant((float) c.eps()));
    return tf.math.neg(rowSum(tf, diagonal(tf, tf.nn.logSoftmax(tf.math.neg(d)))));
  }

  /** The centres: each transformation's mean embedding over the training rows, from the trained network. */
  @Override
  protected List<RowMean> rowMeans(Ops tf, Operand<TFloat32> rows) {
    Operand<TFloat32> perRow = tf.reshape(embed(tf, rows), tf.constant(new int[] {-1, c.transformations(), c.hidden()}));
    return List.of(RowMean.of(RowMean.When.AFTER_TRAINING, perRow, centres));
  }
}
