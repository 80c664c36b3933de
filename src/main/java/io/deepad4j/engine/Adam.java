package io.deepad4j.engine;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Adam (Kingma and Ba, 2015, arXiv:1412.6980) for one set of variables. Each variable is updated by
 * TensorFlow's fused ApplyAdam kernel (one op instead of a dozen element-wise ones; measured in
 * docs/PERFORMANCE.md), driven from this class rather than the
 * framework's optimizer so that (1) several optimizers can train disjoint variable sets in one
 * graph (GANs), (2) updates can be chained step after step inside one Session.run, and (3) every
 * update waits for all gradients of its step, which makes training bit-reproducible on CPU.
 */
final class Adam {
  private final AdamConfig config;
  private final List<Variable<TFloat32>> variables;
  private final List<Variable<TFloat32>> firstMoments = new ArrayList<>();
  private final List<Variable<TFloat32>> secondMoments = new ArrayList<>();
  private final Variable<TFloat32> iterations;
  private final Operand<TFloat32> rateFactor;

  /**
   * @param rateFactor a scalar the learning rate is multiplied by (a schedule's factor; 1 = the
   *     configured rate exactly, since x * 1f == x in float arithmetic)
   */
  Adam(Ops tf, String name, AdamConfig config, List<Variable<TFloat32>> variables, List<Shape> shapes,
      Operand<TFloat32> rateFactor) {
    this.config = config;
    this.rateFactor = rateFactor;
    this.variables = List.copyOf(variables);
    Ops scope = tf.withSubScope("adam_" + name);
    for (Shape shape : shapes) {
      firstMoments.add(scope.variable(scope.zeros(scope.constant(shape), TFloat32.class)));
      secondMoments.add(scope.variable(scope.zeros(scope.constant(shape), TFloat32.class)));
    }
    iterations = scope.variable(scope.constant(0f));
  }

  /** The configured learning rate, before any schedule's factor. */
  float learningRate() {
    return config.learningRate();
  }

  /**
   * Update ops for one step. {@code tf} must carry control dependencies on every gradient of the
   * step, so that no variable changes before all gradients are computed.
   */
  List<Op> applyGradients(Ops tf, List<Operand<TFloat32>> gradients) {
    Operand<TFloat32> t = tf.assignAdd(iterations, tf.constant(1f));
    Operand<TFloat32> b1 = tf.constant(config.beta1());
    Operand<TFloat32> b2 = tf.constant(config.beta2());
    Operand<TFloat32> b1Power = tf.math.pow(b1, t);
    Operand<TFloat32> b2Power = tf.math.pow(b2, t);
    Operand<TFloat32> lr = tf.math.mul(tf.constant(config.learningRate()), rateFactor);
    Operand<TFloat32> eps = tf.constant(config.epsilon());
    // TensorFlow's fused ApplyAdam: one kernel per variable instead of a dozen element-wise ops
    // (lr_t = lr sqrt(1 - b2^t) / (1 - b1^t); m += (g - m)(1 - b1); v += (g^2 - v)(1 - b2);
    // var -= lr_t m / (sqrt(v) + eps))
    List<Op> updates = new ArrayList<>();
    for (int i = 0; i < variables.size(); i++) {
      updates.add(tf.train.applyAdam(variables.get(i), firstMoments.get(i), secondMoments.get(i),
          b1Power, b2Power, lr, b1, b2, eps, gradients.get(i)));
    }
    return updates;
  }
}
