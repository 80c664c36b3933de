package io.deepad4j.engine;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.LeakyRelu;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** Small graph functions the adversarial models (EGBAD, ALAD) share; each reads like its formula. */
public final class GanOps {
  private GanOps() {}

  /**
   * Sigmoid cross-entropy of logits [rows, 1] against a constant label, per row [rows]: with label
   * 1, softplus(-l) = -log sigmoid(l); with label 0, softplus(l). Written as relu(s) + log1p(exp(-|s|))
   * (stable for large |l|, and every op has a gradient in the C API).
   */
  public static Operand<TFloat32> sigmoidCrossEntropy(Ops tf, Operand<TFloat32> logits, boolean label) {
    Operand<TFloat32> l = tf.reshape(logits, tf.constant(new int[] {-1}));
    Operand<TFloat32> s = label ? tf.math.neg(l) : l;
    return tf.math.add(tf.nn.relu(s), tf.math.log1p(tf.math.exp(tf.math.neg(tf.math.abs(s)))));
  }

  /** Mean over all elements. */
  public static Operand<TFloat32> mean(Ops tf, Operand<TFloat32> x) {
    return tf.math.mean(tf.reshape(x, tf.constant(new int[] {-1})), tf.constant(0));
  }

  /** LeakyReLU with slope {@code alpha} for negative inputs. */
  public static Operand<TFloat32> leakyRelu(Ops tf, Operand<TFloat32> x, float alpha) {
    return tf.nn.leakyRelu(x, LeakyRelu.alpha(alpha));
  }

  /** [a, b] side by side (along the feature axis). */
  public static Operand<TFloat32> concat(Ops tf, Operand<TFloat32> a, Operand<TFloat32> b) {
    return tf.concat(List.of(a, b), tf.constant(1));
  }

  /**
   * weight x mean over rows and columns of |x - reconstruction|: the reconstruction term the
   * {@code model.reconstruction_weight} key adds to a GAN's generator and encoder losses.
   */
  public static Operand<TFloat32> reconstructionTerm(Ops tf, double weight, Operand<TFloat32> x,
      Operand<TFloat32> reconstruction) {
    return tf.math.mul(tf.constant((float) weight), mean(tf, tf.math.abs(tf.math.sub(x, reconstruction))));
  }

  /** L1 norm of each row: sum |x|, shape [rows]. */
  public static Operand<TFloat32> rowL1(Ops tf, Operand<TFloat32> x) {
    return tf.reduceSum(tf.math.abs(x), tf.constant(1));
  }

  /** L2 norm of each row: sqrt(sum x^2), shape [rows]. */
  public static Operand<TFloat32> rowL2(Ops tf, Operand<TFloat32> x) {
    return tf.math.sqrt(tf.reduceSum(tf.math.square(x), tf.constant(1)));
  }

  /** The shape [rows of x, cols], e.g. for latent noise with one row per input row. */
  public static Operand<TInt32> rowsBy(Ops tf, Operand<TFloat32> x, int cols) {
    Operand<TInt32> rows = tf.slice(tf.shape(x), tf.constant(new int[] {0}), tf.constant(new int[] {1}));
    return tf.concat(List.of(rows, tf.constant(new int[] {cols})), tf.constant(0));
  }
}
