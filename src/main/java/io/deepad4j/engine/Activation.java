package io.deepad4j.engine;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.LeakyRelu;
import org.tensorflow.types.TFloat32;

/** Activation functions by their Keras names. */
public enum Activation {
  LINEAR,
  RELU,
  SIGMOID,
  TANH,
  /** Keras' LeakyReLU default slope is 0.3; the FF12 BiGAN uses 0.2, set through {@link #leakyAlpha}. */
  LEAKY_RELU;

  /** Slope of LEAKY_RELU for negative inputs. */
  public static final float DEFAULT_LEAKY_ALPHA = 0.2f;

  public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x) {
    return switch (this) {
      case LINEAR -> x;
      case RELU -> tf.nn.relu(x);
      case SIGMOID -> tf.math.sigmoid(x);
      case TANH -> tf.math.tanh(x);
      case LEAKY_RELU -> tf.nn.leakyRelu(x, LeakyRelu.alpha(DEFAULT_LEAKY_ALPHA));
    };
  }
}
