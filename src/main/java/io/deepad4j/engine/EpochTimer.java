package io.deepad4j.engine;

/**
 * Sets each epoch's wall time ({@link EpochLogs#seconds}), from before its learning rate is set to
 * after the callbacks listed before this one (held-out scoring).
 */
final class EpochTimer implements Callback {
  private long start;

  @Override
  public void onEpochBegin(int epoch) {
    start = System.nanoTime();
  }

  @Override
  public void onEpochEnd(EpochLogs logs) {
    logs.setSeconds((System.nanoTime() - start) / 1e9);
  }
}
