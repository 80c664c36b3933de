package io.deepad4j.engine;

/** Adds each epoch's values and time to a {@link TrainingHistory} (Keras' History). */
final class HistoryRecorder implements Callback {
  private final TrainingHistory history;

  HistoryRecorder(TrainingHistory history) {
    this.history = history;
  }

  @Override
  public void onEpochEnd(EpochLogs logs) {
    history.add(logs.values(), logs.seconds(), logs.stepSeconds());
  }
}
