package io.deepad4j.engine;

/** Passes each epoch to an {@link EpochListener}: the CLI's progress display and the tracker's logEpoch. */
final class ProgressReporter implements Callback {
  private final EpochListener listener;

  ProgressReporter(EpochListener listener) {
    this.listener = listener;
  }

  @Override
  public void onEpochEnd(EpochLogs logs) {
    listener.onEpochEnd(logs.epoch(), logs.epochs(), logs.values(), logs.seconds());
  }
}
