package io.deepad4j.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * A copy of a model's variables kept inside the graph, for Keras' {@code restore_best_weights}:
 * {@link #save} copies every variable into its shadow, {@link #restore} copies them back. Both
 * are plain assigns in one Session.run; nothing leaves the graph.
 */
final class WeightSnapshot {
  private final List<Op> save = new ArrayList<>();
  private final List<Op> restore = new ArrayList<>();

  /** A copy of each variable, created with zeros of its shape. */
  WeightSnapshot(Ops tf, Map<Variable<TFloat32>, Shape> variables) {
    Ops scope = tf.withSubScope("best_weights");
    variables.forEach((v, shape) -> {
      Variable<TFloat32> copy = scope.variable(scope.zeros(scope.constant(shape), TFloat32.class));
      save.add(scope.assign(copy, v));
      restore.add(scope.assign(v, copy));
    });
  }

  /** The ops that copy the variables into the snapshot. */
  List<Op> save() {
    return List.copyOf(save);
  }

  /** The ops that copy the snapshot back into the variables. */
  List<Op> restore() {
    return List.copyOf(restore);
  }
}
