package io.deepad4j.engine;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A network described the way a paper's architecture table reads: which layers it has, what it
 * minimises for one batch, and how it scores a row. {@link CompiledModel} turns it into graphs
 * and exports it, {@link TrainingLoop} trains it. Every op must be created through the {@code Ops}
 * passed in: the compiled model uses that scope to order the steps it chains inside one Session.run.
 */
public abstract class TfModel {
  private MovingAverage weightAverage;
  private final List<SpectralDense> spectralLayers = new ArrayList<>();

  /** A layer's x W + b, before its activation (which the network code applies). */
  @FunctionalInterface
  protected interface Linear {
    Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x);
  }

  /**
   * Call from {@link #build}: a linear layer in {@code group}, spectrally normalised when {@code
   * spectralNorm} is set (the default {@link #afterStep} then keeps its power-iteration state).
   */
  protected final Linear linear(Layers layers, String group, int inputs, int units, boolean spectralNorm) {
    if (spectralNorm) {
      SpectralDense d = layers.spectralDense(group, inputs, units);
      spectralLayers.add(d);
      return d::preActivation;
    }
    return layers.dense(group, inputs, units, Activation.LINEAR)::preActivation;
  }

  /**
   * Call from {@link #build} to score (and export) with a moving average of all weights instead of
   * the last ones; {@code decay} 0 keeps the last weights. The default {@link #afterStep} and
   * {@link #afterTraining} then maintain and assign it.
   */
  protected final void scoreWithMovingAverage(Layers layers, double decay) {
    weightAverage = decay > 0 ? layers.movingAverage(layers.all(), decay) : null;
  }

  /** Whether scoring uses a moving average of the weights (assigned when training ends). */
  final boolean usesMovingAverage() {
    return weightAverage != null;
  }

  /**
   * Whether a training step applies the first objective (a GAN's discriminator) before computing
   * the others from its updated weights, as alternating GAN training does, instead of computing
   * every gradient of the step from the same weights. Default: false (simultaneous).
   */
  protected boolean alternatesUpdates() {
    return false;
  }

  /**
   * Forgets what the previous {@link #build} registered (spectral layers, moving average): each
   * compile builds a new graph, e.g. when a detector is fitted again.
   */
  final void beginBuild() {
    spectralLayers.clear();
    weightAverage = null;
  }

  /** Creates the layers (variables). Called once per graph, before anything else. */
  protected abstract void build(Layers layers, int numFeatures);

  /**
   * The objectives of one training step on a batch of scaled rows. Called once per step that the
   * trainer places in the graph (several when steps are chained inside one Session.run).
   */
  protected abstract List<Objective> objectives(Ops tf, Operand<TFloat32> batch);

  /** The anomaly score of each scaled row, shape [rows]; higher = more anomalous. */
  protected abstract Operand<TFloat32> score(Ops tf, Operand<TFloat32> rows);

  /**
   * Ops to run after each training step's updates, in {@code tf}, which already waits for them:
   * e.g. moving averages of the weights or the power-iteration state of spectral normalisation.
   * The next step waits for these ops too. Called once per step placed in the graph. Default: the
   * update of the spectrally normalised layers' state, then of the moving average, if {@link
   * #scoreWithMovingAverage} set one.
   */
  protected List<Op> afterStep(Ops tf) {
    List<Op> ops = new ArrayList<>();
    for (SpectralDense d : spectralLayers) {
      ops.add(d.updateState(tf));
    }
    if (weightAverage != null) {
      ops.addAll(weightAverage.update(tf));
    }
    return ops;
  }

  /**
   * Ops run once when training ends, e.g. replacing the weights by their moving averages before
   * scoring and export. Called once, when the graph is built. Default: assigning the moving
   * averages, if {@link #scoreWithMovingAverage} set them.
   */
  protected List<Op> afterTraining(Ops tf) {
    return weightAverage == null ? List.of() : weightAverage.assignAverages(tf);
  }

  /**
   * Statistics of the training rows kept in state variables, each the mean of a per-row value of
   * {@code rows} (scaled training rows fed in batches), computed before the first training step or
   * after the last ({@link RowMean}). Called once, when the graph is built. Default: none.
   */
  protected List<RowMean> rowMeans(Ops tf, Operand<TFloat32> rows) {
    return List.of();
  }

  /** Ops in the same scope, with per-row mean over the feature axis. */
  protected static Operand<TFloat32> rowMean(Ops tf, Operand<TFloat32> x) {
    return tf.math.mean(x, tf.constant(1));
  }

  protected static Operand<TFloat32> rowSum(Ops tf, Operand<TFloat32> x) {
    return tf.reduceSum(x, tf.constant(1));
  }

  protected static Operand<TFloat32> mean(Ops tf, Operand<TFloat32> x) {
    return tf.math.mean(tf.reshape(x, tf.constant(new int[] {-1})), tf.constant(0));
  }
}
