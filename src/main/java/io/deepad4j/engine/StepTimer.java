package io.deepad4j.engine;

/**
 * Times the training steps of each epoch ({@link EpochLogs#stepSeconds}): the wall time of the steps'
 * Session.run calls divided by the number of steps, leaving out what callbacks do between epochs
 * (held-out scoring, checkpoints), so that it compares across models and batch sizes.
 */
final class StepTimer implements Callback {
  private long last;
  private long stepNanos;
  private long steps;

  @Override
  public void onEpochBegin(int epoch) {
    stepNanos = 0;
    steps = 0;
    last = -1;
  }

  @Override
  public void onStepsEnd(int epoch, long stepsRun, long done, long total) {
    long now = System.nanoTime();
    if (last >= 0) {
      stepNanos += now - last;
      steps += stepsRun;
    }
    last = now;
  }

  @Override
  public void onEpochEnd(EpochLogs logs) {
    logs.setStepSeconds(steps == 0 ? Double.NaN : stepNanos / 1e9 / steps);
  }
}
