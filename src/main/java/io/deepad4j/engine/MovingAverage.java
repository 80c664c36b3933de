package io.deepad4j.engine;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Exponential moving average of weights (Polyak averaging), as the EGBAD and ALAD code scores
 * with (tf.train.ExponentialMovingAverage). Shadow variables start at zero and the average is
 * bias-corrected, avg = shadow / (1 - decay^t), as Adam corrects its moments: TensorFlow's class
 * starts the shadows at the initial weights instead, which with decay 0.9999 and a few thousand
 * steps per epoch keeps most of the random initialisation in the average for several epochs.
 *
 * <p>Use from a {@link TfModel}: create it in {@code build}, return {@link #update} from {@code
 * afterStep} and {@link #assignAverages} from {@code afterTraining}; the trained (and exported)
 * model then holds the averaged weights.
 */
public final class MovingAverage {
  private final float decay;
  private final List<Variable<TFloat32>> variables;
  private final List<Variable<TFloat32>> shadows = new ArrayList<>();
  private final Variable<TFloat32> updates;

  /** Shadows for {@code variables} (created by {@code layers}) with the given decay in (0, 1). */
  MovingAverage(Ops tf, Layers layers, List<Variable<TFloat32>> variables, double decay) {
    if (!(decay > 0 && decay < 1)) {
      throw new IllegalArgumentException("moving-average decay must be in (0, 1), got " + decay);
    }
    this.decay = (float) decay;
    this.variables = List.copyOf(variables);
    Ops scope = tf.withSubScope("moving_average");
    for (Variable<TFloat32> v : this.variables) {
      shadows.add(scope.variable(scope.zeros(scope.constant(layers.shapeOf(v)), TFloat32.class)));
    }
    updates = scope.variable(scope.constant(0f));
  }

  /** shadow = decay * shadow + (1 - decay) * weight for every variable; {@code tf} must wait for the step's updates. */
  public List<Op> update(Ops tf) {
    List<Op> ops = new ArrayList<>();
    Operand<TFloat32> d = tf.constant(decay);
    Operand<TFloat32> rest = tf.constant(1 - decay);
    for (int i = 0; i < variables.size(); i++) {
      Variable<TFloat32> s = shadows.get(i);
      ops.add(tf.assign(s, tf.math.add(tf.math.mul(d, s), tf.math.mul(rest, variables.get(i)))));
    }
    ops.add(tf.assignAdd(updates, tf.constant(1f)));
    return ops;
  }

  /** Replaces every weight by its bias-corrected average; leaves the weights alone before the first update. */
  public List<Op> assignAverages(Ops tf) {
    Operand<TFloat32> t = tf.math.maximum(updates, tf.constant(1f));
    Operand<TFloat32> correction = tf.math.sub(tf.constant(1f), tf.math.pow(tf.constant(decay), t));
    Operand<org.tensorflow.types.TBool> trained = tf.math.greater(updates, tf.constant(0f));
    List<Op> ops = new ArrayList<>();
    for (int i = 0; i < variables.size(); i++) {
      Variable<TFloat32> v = variables.get(i);
      Operand<TFloat32> average = tf.math.div(shadows.get(i), correction);
      ops.add(tf.assign(v, tf.select(trained, average, v)));
    }
    return ops;
  }
}
