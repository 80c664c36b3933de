package io.deepad4j.models;

import io.deepad4j.engine.Activation;
import io.deepad4j.engine.AdamConfig;
import io.deepad4j.engine.Dense;
import io.deepad4j.engine.Layers;
import io.deepad4j.engine.Objective;
import io.deepad4j.engine.TfModel;
import io.deepad4j.spec.Param;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.train.BatchMatMul;
import org.tensorflow.types.TFloat32;

/**
 * NeuTraL AD (Qiu et al., "Neural Transformation Learning for Deep Anomaly Detection Beyond Images", ICML 2021,
 * arXiv 2103.16440): K learnable transformations T_k (small MLPs M_k: multiplicative, x * sigmoid(M_k(x)), residual,
 * x + M_k(x), or forward, M_k(x)) and one encoder f, trained together on normal rows with the deterministic contrastive
 * loss (DCL). With z = f(x), z_k = f(T_k(x)) and h(a, b) = exp(cos(a, b) / temperature), a row's loss is
 *
 * <pre>  L(x) = sum over k of -log( h(z_k, z) / (h(z_k, z) + sum over l != k of h(z_k, z_l)) )</pre>
 *
 * and the anomaly score is that same per-row loss: the transformed views of a normal row stay close to the row and
 * apart from each other; an anomaly's do not. Defaults: the authors' KDD settings (their config_kdd.yml: K = 11
 * multiplicative transformations of 2 layers, hidden 100; an encoder of 5 layers, hidden 64, latent 32, no biases;
 * temperature 0.1; Adam 5e-4, batch 1000, 10 epochs). Two differences: weights start Glorot-uniform (the project's
 * initialiser, not PyTorch's), and the loss is not multiplied by the authors' constant 1 / (K log K), which changes
 * neither the ranking of rows nor, Adam being scale-invariant, the training.
 *
 * <p>The whole batch goes through one graph: the K transformations' first layers are one [features, K x hidden]
 * matrix (one matmul of the batch), their further layers stacked [K, in, out] kernels applied with batched matmuls,
 * and the K + 1 views of every row pass the encoder as one [(K + 1) x batch, features] matrix.
 */
public final class NeutralAdModel extends TfModel {
  private final Config c;

  /** How a transformation's network output M_k(x) makes the view T_k(x) (the key {@code model.transform_type}). */
  public enum TransformType {
    /** x * sigmoid(M_k(x)): a learned soft mask (the paper's choice for KDD). */
    MUL,
    /** x + M_k(x). */
    RESIDUAL,
    /** M_k(x) itself. */
    FORWARD;

    static final String DOC = "mul: x * sigmoid(M_k(x)), a learned mask (the paper's for KDD); residual: x + M_k(x);"
        + " forward: M_k(x)";
  }

  /** NeuTraL AD's keys (model.*): the authors' KDD settings. */
  @TfDetector.TrainingDefaults(epochs = 10, batchSize = 1000)
  public record Config(
      @Param(value = "11", min = 2, max = 1000, doc = "number of learned transformations K") int numTransforms,
      @Param(value = "mul", doc = TransformType.DOC) TransformType transformType,
      @Param(value = "2", min = 1, max = 100, doc = "layers of each transformation's MLP M_k (the last one linear)")
      int transformLayers,
      @Param(value = "100", min = 1, max = 100_000, doc = "hidden units of each transformation's MLP") int transformHidden,
      @Param(value = "false", doc = "biases in the transformations' layers") boolean transformBias,
      @Param(value = "5", min = 1, max = 100, doc = "layers of the encoder (the last one linear, to the latent code)")
      int encoderLayers,
      @Param(value = "64", min = 1, max = 100_000, doc = "hidden units of the encoder") int encoderHidden,
      @Param(value = "32", min = 1, max = 100_000, doc = "size of the encoder's output z") int latentDim,
      @Param(value = "false", doc = "biases in the encoder's layers") boolean encoderBias,
      @Param(value = "0.1", min = 1e-3, max = 100, doc = "temperature of the contrastive loss") double temperature,
      @Param(value = "5e-4", min = 1e-9, max = 10, doc = "Adam learning rate") double learningRate,
      @Param(value = "0.9", min = 0, max = 0.999999, doc = "Adam beta1") double beta1) {}

  /** One layer of the K transformations: a kernel [in, K x out] for the first, [K, in, out] for the others. */
  private record StackedLayer(Variable<TFloat32> kernel, Variable<TFloat32> bias, int in, int out) {}

  private final List<StackedLayer> transforms = new ArrayList<>();
  private final List<Dense> encoder = new ArrayList<>();
  private Layers vars;
  private int features;

  public NeutralAdModel(Config config) {
    this.c = config;
  }

  @Override
  protected void build(Layers l, int numFeatures) {
    vars = l;
    features = numFeatures;
    transforms.clear(); // a refit builds a new graph
    encoder.clear();
    int k = c.numTransforms();
    int in = numFeatures;
    for (int layer = 0; layer < c.transformLayers(); layer++) {
      int out = layer == c.transformLayers() - 1 ? numFeatures : c.transformHidden();
      transforms.add(stackedLayer(l, k, in, out, layer == 0));
      in = out;
    }
    in = numFeatures;
    for (int layer = 0; layer < c.encoderLayers(); layer++) {
      boolean last = layer == c.encoderLayers() - 1;
      int out = last ? c.latentDim() : c.encoderHidden();
      encoder.add(c.encoderBias()
          ? l.dense("encoder", in, out, last ? Activation.LINEAR : Activation.RELU)
          : l.denseWithoutBias("encoder", in, out, last ? Activation.LINEAR : Activation.RELU));
      in = out;
    }
  }

  /**
   * K kernels [in, out], each drawn Glorot-uniform as its own layer would be, stored side by side ([in, K x out], the
   * first layer, which reads the same row for every k) or stacked ([K, in, out]).
   */
  private StackedLayer stackedLayer(Layers l, int k, int in, int out, boolean first) {
    float[] values = new float[k * in * out];
    for (int t = 0; t < k; t++) {
      float[][] w = l.glorotUniform(in, out);
      for (int i = 0; i < in; i++) {
        for (int j = 0; j < out; j++) {
          values[first ? (i * k + t) * out + j : (t * in + i) * out + j] = w[i][j];
        }
      }
    }
    Variable<TFloat32> kernel = l.variable("transforms", first ? Shape.of(in, (long) k * out) : Shape.of(k, in, out), values);
    Variable<TFloat32> bias = c.transformBias()
        ? l.variable("transforms", first ? Shape.of((long) k * out) : Shape.of(k, 1, out), new float[k * out])
        : null;
    return new StackedLayer(kernel, bias, in, out);
  }

  /** The K transformations' networks M_k(x) of rows x [n, features], as [K, n, features]. */
  private Operand<TFloat32> transformNetworks(Ops tf, Operand<TFloat32> x) {
    int k = c.numTransforms();
    StackedLayer first = transforms.get(0);
    Operand<TFloat32> h = tf.linalg.matMul(x, first.kernel());                    // [n, K x out]
    if (first.bias() != null) {
      h = tf.math.add(h, first.bias());
    }
    h = tf.reshape(h, tf.constant(new long[] {-1, k, first.out()}));            // [n, K, out]
    h = tf.linalg.transpose(h, tf.constant(new int[] {1, 0, 2}));               // [K, n, out]
    for (int layer = 1; layer < transforms.size(); layer++) {
      StackedLayer s = transforms.get(layer);
      h = tf.nn.relu(h);
      // the kernel read through identity: BatchMatMulV3's gradient copies its inputs' types, and a variable's is a
      // reference type
      h = tf.train.batchMatMul(h, tf.identity(s.kernel()), TFloat32.class);    // [K, n, in] x [K, in, out]
      if (s.bias() != null) {
        h = tf.math.add(h, s.bias());
      }
    }
    return h;
  }

  /** The K views T_k(x) of rows x [n, features], as [K, n, features]. */
  private Operand<TFloat32> views(Ops tf, Operand<TFloat32> x) {
    Operand<TFloat32> m = transformNetworks(tf, x);
    return switch (c.transformType()) {
      case MUL -> tf.math.mul(tf.math.sigmoid(m), x);
      case RESIDUAL -> tf.math.add(m, x);
      case FORWARD -> m;
    };
  }

  /** The DCL loss of each row x [n, features], shape [n]: the loss and the anomaly score alike. */
  private Operand<TFloat32> rowLosses(Ops tf, Operand<TFloat32> x) {
    int k = c.numTransforms();
    // the row itself, then its K views: [K + 1, n, features] -> one encoder pass of (K + 1) x n rows
    Operand<TFloat32> all = tf.concat(List.of(tf.expandDims(x, tf.constant(0)), views(tf, x)), tf.constant(0));
    Operand<TFloat32> h = tf.reshape(all, tf.constant(new long[] {-1, features}));
    for (Dense d : encoder) {
      h = d.apply(tf, h);
    }
    Operand<TFloat32> z = tf.reshape(h, tf.constant(new long[] {k + 1, -1, c.latentDim()}));
    z = tf.linalg.transpose(z, tf.constant(new int[] {1, 0, 2}));                // [n, K + 1, latent]
    // unit length (PyTorch's F.normalize: divided by max(norm, 1e-12)), so that z_a . z_b is the cosine
    Operand<TFloat32> norm = tf.math.sqrt(tf.reduceSum(tf.math.square(z), tf.constant(2), ReduceSum.keepDims(true)));
    z = tf.math.div(z, tf.math.maximum(norm, tf.constant(1e-12f)));
    float invT = (float) (1.0 / c.temperature());
    Operand<TFloat32> logits = tf.math.mul(                                       // cos(z_a, z_b) / t, [n, K + 1, K + 1]
        tf.train.batchMatMul(z, z, TFloat32.class, BatchMatMul.adjY(true)), tf.constant(invT));
    // log sum over b != a of exp(logit_ab); logits <= 1/t, so exp(logit - 1/t) <= 1 cannot overflow
    float[][] offDiagonal = new float[k + 1][k + 1];
    for (int a = 0; a <= k; a++) {
      for (int b = 0; b <= k; b++) {
        offDiagonal[a][b] = a == b ? 0f : 1f;
      }
    }
    Operand<TFloat32> denominators = tf.math.add(tf.math.log(tf.reduceSum(
        tf.math.mul(tf.math.exp(tf.math.sub(logits, tf.constant(invT))), tf.constant(offDiagonal)), tf.constant(2))),
        tf.constant(invT));                                                     // [n, K + 1]
    // the views only (a = 1..K): -log(exp(logit_a0) / denominator_a) = denominator_a - logit_a0
    Operand<TFloat32> views = tf.slice(denominators, tf.constant(new int[] {0, 1}), tf.constant(new int[] {-1, k}));
    Operand<TFloat32> positives = tf.reshape(
        tf.slice(logits, tf.constant(new int[] {0, 1, 0}), tf.constant(new int[] {-1, k, 1})), tf.constant(new long[] {-1, k}));
    return rowSum(tf, tf.math.sub(views, positives));
  }

  @Override
  protected List<Objective> objectives(Ops tf, Operand<TFloat32> batch) {
    return List.of(new Objective("loss", mean(tf, rowLosses(tf, batch)), vars.all(),
        AdamConfig.of(c.learningRate(), c.beta1())));
  }

  @Override
  protected Operand<TFloat32> score(Ops tf, Operand<TFloat32> rows) {
    return rowLosses(tf, rows);
  }
}
