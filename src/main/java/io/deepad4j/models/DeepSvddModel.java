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
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Deep SVDD (Ruff et al., "Deep One-Class Classification", ICML 2018), its one-class objective: a
 * network phi without bias terms maps normal rows close to a fixed centre c, minimising the mean of
 * ||phi(x) - c||^2 plus weight decay. c is the mean of phi over the training rows from the initial
 * network (a forward pass before the first step), with each coordinate nearer 0 than {@code eps} moved
 * to +-eps; with c and no biases the trivial solution phi = c is out of reach (the paper's guard
 * against collapse). Anomaly score = ||phi(x) - c||^2. Defaults follow the authors' code
 * (lukasruff/Deep-SVDD-PyTorch): Adam 1e-4, weight decay 1e-6, eps 0.1, batch 200, leaky ReLU.
 */
public final class DeepSvddModel extends TfModel {
  private static final String GROUP = "deepsvdd";
  private final Config c;
  private final List<Dense> layers = new ArrayList<>();
  private final List<Variable<TFloat32>> kernels = new ArrayList<>();
  private Variable<TFloat32> centre;

  /** Deep SVDD's keys (model.*). */
  @TfDetector.TrainingDefaults(epochs = 50, batchSize = 200)
  public record Config(
      @Param(value = "[64]", min = 1, max = 100_000, doc = "hidden layer sizes of phi (no bias terms)") List<Integer> hidden,
      @Param(value = "32", min = 1, max = 100_000, doc = "size of the representation phi(x)") int repDim,
      @Param(value = "leaky_relu", doc = "hidden activation (the authors': leaky ReLU; one that maps 0 to 0 keeps"
          + " phi bias-free)") Activation activation,
      @Param(value = "1.0e-4", min = 1e-9, max = 10, doc = "Adam learning rate") double learningRate,
      @Param(value = "1.0e-6", min = 0, max = 10, doc = "weight decay: loss += weight_decay / 2 x the squared"
          + " weights (PyTorch Adam's weight_decay)") double weightDecay,
      @Param(value = "0.1", min = 0, max = 1e6, doc = "a centre coordinate nearer 0 than this is set to +-eps") double eps) {}

  public DeepSvddModel(Config config) {
    this.c = config;
  }

  @Override
  protected void build(Layers l, int numFeatures) {
    layers.clear(); // a refit builds a new graph
    kernels.clear();
    int in = numFeatures;
    List<Integer> sizes = new ArrayList<>(c.hidden());
    sizes.add(c.repDim());
    for (int units : sizes) {
      layers.add(l.denseWithoutBias(GROUP, in, units, Activation.LINEAR));
      in = units;
    }
    kernels.addAll(l.all());
    centre = l.state("deepsvdd_centre", Shape.of(c.repDim()));
  }

  /** phi(x): the hidden layers with their activation, the last one linear; no bias anywhere. */
  Operand<TFloat32> represent(Ops tf, Operand<TFloat32> x) {
    Operand<TFloat32> h = x;
    for (int i = 0; i < layers.size(); i++) {
      h = layers.get(i).preActivation(tf, h);
      if (i < layers.size() - 1) {
        h = c.activation().apply(tf, h);
      }
    }
    return h;
  }

  private Operand<TFloat32> distances(Ops tf, Operand<TFloat32> rows) {
    return rowSum(tf, tf.math.squaredDifference(represent(tf, rows), centre));
  }

  @Override
  protected List<Objective> objectives(Ops tf, Operand<TFloat32> batch) {
    Operand<TFloat32> loss = mean(tf, distances(tf, batch));
    if (c.weightDecay() > 0) {
      Operand<TFloat32> squares = tf.constant(0f);
      for (Variable<TFloat32> k : kernels) {
        squares = tf.math.add(squares, tf.reduceSum(tf.math.mul(k, k), tf.constant(new int[] {0, 1})));
      }
      loss = tf.math.add(loss, tf.math.mul(tf.constant((float) (c.weightDecay() / 2)), squares));
    }
    return List.of(new Objective("loss", loss, List.copyOf(kernels), AdamConfig.of(c.learningRate())));
  }

  @Override
  protected Operand<TFloat32> score(Ops tf, Operand<TFloat32> rows) {
    return distances(tf, rows);
  }

  /** c = the mean of phi over the training rows before training, each coordinate within eps of 0 moved to +-eps. */
  @Override
  protected List<RowMean> rowMeans(Ops tf, Operand<TFloat32> rows) {
    float eps = (float) c.eps();
    return List.of(new RowMean(RowMean.When.BEFORE_TRAINING, represent(tf, rows), centre, (g, mean) -> {
      Operand<TFloat32> sign = g.math.sign(mean);
      Operand<TFloat32> near = g.math.mul(
          g.dtypes.cast(g.math.less(g.math.abs(mean), g.constant(eps)), TFloat32.class), g.math.abs(sign));
      return g.math.add(mean, g.math.mul(near, g.math.sub(g.math.mul(sign, g.constant(eps)), mean)));
    }));
  }
}
