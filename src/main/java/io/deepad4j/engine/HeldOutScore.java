package io.deepad4j.engine;

import java.util.Arrays;

/** Scores the held-out rows after every epoch: their mean score is the epoch's {@link TrainingLoop#VAL_SCORE}. */
final class HeldOutScore implements Callback {
  private final CompiledModel model;
  private final float[][] held;

  HeldOutScore(CompiledModel model, float[][] held) {
    this.model = model;
    this.held = held;
  }

  @Override
  public void onEpochEnd(EpochLogs logs) {
    if (held.length > 0) {
      logs.values().put(TrainingLoop.VAL_SCORE, Arrays.stream(model.score(held)).average().orElseThrow());
    }
  }
}
