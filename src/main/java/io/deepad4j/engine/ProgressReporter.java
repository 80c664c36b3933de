package io.deepad4j.engine;

/**
 * Passes training to an {@link EpochListener}: the CLI's progress display (from the first step on) and
 * the tracker's logEpoch.
 */
final class ProgressReporter implements Callback {
  private final EpochListener listener;
  private int epochs;

  ProgressReporter(EpochListener listener) {
    this.listener = listener;
  }

  @Override
  public void onTrainBegin(int epochs) {
    this.epochs = epochs;
    listener.onTrainBegin(epochs);
  }

  @Override
  public void onStepsEnd(int epoch, long steps, long done, long total) {
    listener.onSteps(epoch, epochs, done, total);
  }

  @Override
  public void onEpochEnd(EpochLogs logs) {
    listener.onEpochEnd(logs.epoch(), logs.epochs(), logs.values(), logs.seconds());
  }
}
