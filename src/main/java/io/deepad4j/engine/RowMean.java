package io.deepad4j.engine;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * A statistic of the training rows that a model keeps in a state variable ({@link Layers#state}): the
 * mean over all training rows of a per-row value, computed in batches by a forward pass, before the
 * first training step (Deep SVDD's centre, from the initial weights) or after the last (GOAD's
 * centres, from the trained weights, after the best weights or moving averages are in place).
 *
 * @param when before or after training
 * @param perRow the value of each row of the model's {@link TfModel#rowMeans} input, shape [rows, ...]
 * @param target the state variable assigned, shape perRow's without its first axis
 * @param finish what is assigned, from the mean (e.g. Deep SVDD's guard against a coordinate near 0)
 */
public record RowMean(When when, Operand<TFloat32> perRow, Variable<TFloat32> target, Finish finish) {
  /** When the pass runs. */
  public enum When { BEFORE_TRAINING, AFTER_TRAINING }

  /** The value to assign, built from the mean's operand. */
  @FunctionalInterface
  public interface Finish {
    Operand<TFloat32> apply(Ops tf, Operand<TFloat32> mean);
  }

  /** The mean itself, unchanged. */
  public static RowMean of(When when, Operand<TFloat32> perRow, Variable<TFloat32> target) {
    return new RowMean(when, perRow, target, (tf, mean) -> mean);
  }
}
