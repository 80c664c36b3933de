package io.deepad4j.engine;

import java.util.Map;

/**
 * What one epoch's {@link Callback#onEpochEnd} calls share: the epoch's values (mean loss of each
 * objective, then what callbacks add, in the order of the history's columns), its wall time once
 * the timing callback has set it, and whether a callback asked training to stop.
 */
public final class EpochLogs {
  private final int epoch;
  private final int epochs;
  private final Map<String, Double> values;
  private double seconds = Double.NaN;
  private double stepSeconds = Double.NaN;
  private boolean stop;

  EpochLogs(int epoch, int epochs, Map<String, Double> values) {
    this.epoch = epoch;
    this.epochs = epochs;
    this.values = values;
  }

  /** 1-based epoch number. */
  public int epoch() {
    return epoch;
  }

  /** Epochs asked for. */
  public int epochs() {
    return epochs;
  }

  /** The epoch's values by name, in insertion order; callbacks may add to it. */
  public Map<String, Double> values() {
    return values;
  }

  /** Wall time of the epoch in seconds, NaN until the timing callback has run. */
  public double seconds() {
    return seconds;
  }

  void setSeconds(double s) {
    seconds = s;
  }

  /** Mean wall time of one training step in this epoch (the steps' Session.run calls only), NaN until timed. */
  public double stepSeconds() {
    return stepSeconds;
  }

  void setStepSeconds(double s) {
    stepSeconds = s;
  }

  /** Ends training after this epoch (Keras' {@code model.stop_training = True}); every callback still sees it. */
  public void stopTraining() {
    stop = true;
  }

  public boolean stopRequested() {
    return stop;
  }
}
