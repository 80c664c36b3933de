package io.deepad4j.engine;

import java.util.Arrays;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Batch normalisation with the batch's own statistics (Ioffe and Szegedy, 2015): gamma (x -
 * mean) / sqrt(var + epsilon) + beta, gamma and beta trained. No running averages are kept, so
 * it suits layers used only in training (e.g. a discriminator that scoring never calls).
 * Epsilon 1e-3 as Keras and tf.layers.batch_normalization.
 */
public final class BatchNorm {
  private static final float EPSILON = 1e-3f;
  private final Variable<TFloat32> gamma;
  private final Variable<TFloat32> beta;

  /** Gamma (ones) and beta (zeros) for {@code units} features, in {@code group}. */
  public BatchNorm(Layers layers, String group, int units) {
    float[] ones = new float[units];
    Arrays.fill(ones, 1f);
    this.gamma = layers.variable(group, ones);
    this.beta = layers.variable(group, new float[units]);
  }

  /** Normalises x [rows, units] over its rows. */
  public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x) {
    Operand<TInt32> rows = tf.constant(new int[] {0});
    Operand<TFloat32> mean = tf.math.mean(x, rows, Mean.keepDims(true));
    Operand<TFloat32> variance = tf.math.mean(tf.math.squaredDifference(x, mean), rows, Mean.keepDims(true));
    Operand<TFloat32> normalised =
        tf.math.div(tf.math.sub(x, mean), tf.math.sqrt(tf.math.add(variance, tf.constant(EPSILON))));
    return tf.math.add(tf.math.mul(normalised, gamma), beta);
  }
}
