package io.deepad4j.engine;

import java.util.Map;

/**
 * Called as training goes, from the training thread: after each epoch, and (for a progress display)
 * when training begins and after each Session.run of steps. Only the epoch hook is required; the
 * others only read, so what a listener does can never change training results.
 */
@FunctionalInterface
public interface EpochListener {
  EpochListener NONE = (epoch, epochs, losses, seconds) -> {};

  /** Before the first epoch; {@code epochs} is the number asked for. */
  default void onTrainBegin(int epochs) {}

  /**
   * After each Session.run of training steps (Keras' {@code on_train_batch_end}).
   *
   * @param epoch 1-based epoch number
   * @param epochs total epochs
   * @param done steps of this epoch run so far
   * @param total steps of one epoch
   */
  default void onSteps(int epoch, int epochs, long done, long total) {}

  /**
   * @param epoch 1-based epoch number
   * @param epochs total epochs
   * @param losses mean loss of each objective over the epoch
   * @param seconds wall time of the epoch
   */
  void onEpochEnd(int epoch, int epochs, Map<String, Double> losses, double seconds);
}
