package io.deepad4j.engine;

import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TFloat32;

/**
 * A dense layer x W / sigma(W) + b with spectral normalisation (Miyato et al., "Spectral
 * Normalization for Generative Adversarial Networks", ICLR 2018): sigma(W), the largest singular
 * value of the kernel, is estimated by one power iteration from a vector u kept between steps.
 * As in the paper, u and v are constants for the gradient. Made by {@link Layers#spectralDense}.
 */
public final class SpectralDense {
  private static final float EPSILON = 1e-12f;
  private final Variable<TFloat32> kernel;
  private final Variable<TFloat32> bias;
  private final Variable<TFloat32> u;
  private final int units;

  SpectralDense(Variable<TFloat32> kernel, Variable<TFloat32> bias, Variable<TFloat32> u, int units) {
    this.kernel = kernel;
    this.bias = bias;
    this.u = u;
    this.units = units;
  }

  /** x W / sigma(W) + b, before any activation. */
  public Operand<TFloat32> preActivation(Ops tf, Operand<TFloat32> x) {
    PowerStep p = powerIteration(tf);
    // sigma = v W u^T, differentiable in W only
    Operand<TFloat32> sigma = tf.reduceSum(
        tf.math.mul(tf.linalg.matMul(p.v(), kernel), p.u()), tf.constant(new int[] {0, 1}));
    return tf.math.add(tf.linalg.matMul(x, tf.math.div(kernel, sigma)), bias);
  }

  /** Stores the power iteration's new u; run after each training step (TfModel.afterStep). */
  public Op updateState(Ops tf) {
    return tf.assign(u, powerIteration(tf).u());
  }

  private record PowerStep(Operand<TFloat32> v, Operand<TFloat32> u) {}

  /** One power iteration from u [1, units]: v = norm(u W^T) [1, inputs], u' = norm(v W). */
  private PowerStep powerIteration(Ops tf) {
    Operand<TFloat32> v = normalised(tf, tf.linalg.matMul(u, kernel, MatMul.transposeB(true)));
    Operand<TFloat32> next = normalised(tf, tf.linalg.matMul(v, kernel));
    return new PowerStep(tf.stopGradient(v), tf.stopGradient(next));
  }

  private static Operand<TFloat32> normalised(Ops tf, Operand<TFloat32> row) {
    Operand<TFloat32> norm = tf.math.sqrt(tf.reduceSum(tf.math.square(row), tf.constant(new int[] {0, 1})));
    return tf.math.div(row, tf.math.add(norm, tf.constant(EPSILON)));
  }

  public int units() {
    return units;
  }
}
