package io.deepad4j.engine;

import java.util.Map;

/** Called after each training epoch, from the training thread. */
@FunctionalInterface
public interface EpochListener {
  EpochListener NONE = (epoch, epochs, losses, seconds) -> {};

  /**
   * @param epoch 1-based epoch number
   * @param epochs total epochs
   * @param losses mean loss of each objective over the epoch
   * @param seconds wall time of the epoch
   */
  void onEpochEnd(int epoch, int epochs, Map<String, Double> losses, double seconds);
}
