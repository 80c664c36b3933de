package io.deepad4j.engine;

/**
 * Keras' EarlyStopping(monitor=val_score, mode=min, patience, restore_best_weights) after a {@link
 * HeldOutScore}: remembers the epoch with the lowest val_score (in the history as its best epoch),
 * snapshots its weights inside the graph with restore-best, asks to stop after {@code patience}
 * epochs without a lower one, and when training ends puts the best weights back if a later epoch
 * was the last.
 */
final class EarlyStopping implements Callback {
  private final CompiledModel model;
  private final TrainingOptions.Validation validation;
  private final TrainingHistory history;
  private double bestScore = Double.POSITIVE_INFINITY;
  private int bestEpoch;

  EarlyStopping(CompiledModel model, TrainingOptions.Validation validation, TrainingHistory history) {
    this.model = model;
    this.validation = validation;
    this.history = history;
  }

  @Override
  public void onEpochEnd(EpochLogs logs) {
    Double valScore = logs.values().get(TrainingLoop.VAL_SCORE);
    if (valScore == null) {
      return;
    }
    if (valScore < bestScore) { // NaN never improves
      bestScore = valScore;
      bestEpoch = logs.epoch();
      if (model.keepsBestWeights()) {
        model.saveBestWeights();
      }
    }
    if (validation.patience() > 0 && logs.epoch() - bestEpoch >= validation.patience()) {
      logs.stopTraining();
    }
  }

  @Override
  public void onTrainEnd(int epochsRun) {
    if (bestEpoch > 0) {
      if (model.keepsBestWeights() && bestEpoch < epochsRun) {
        model.restoreBestWeights();
      }
      history.setBestEpoch(bestEpoch);
    }
  }
}
