package io.deepad4j.engine;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * A fully connected layer: activation(x W + b), or activation(x W) when it has no bias. Its variables are created
 * once, it can be applied many times.
 */
public final class Dense {
  private final Variable<TFloat32> kernel;
  private final Variable<TFloat32> bias;
  private final Activation activation;
  private final int units;

  Dense(Variable<TFloat32> kernel, Variable<TFloat32> bias, Activation activation, int units) {
    this.kernel = kernel;
    this.bias = bias;
    this.activation = activation;
    this.units = units;
  }

  public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x) {
    return activation.apply(tf, preActivation(tf, x));
  }

  /** x W + b, before the activation (e.g. logits for a cross-entropy loss). */
  public Operand<TFloat32> preActivation(Ops tf, Operand<TFloat32> x) {
    Operand<TFloat32> xw = tf.linalg.matMul(x, kernel);
    return bias == null ? xw : tf.math.add(xw, bias);
  }

  public int units() {
    return units;
  }
}
