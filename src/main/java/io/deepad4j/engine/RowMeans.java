package io.deepad4j.engine;

/**
 * Computes a model's {@link RowMean}s over the training rows: those of {@link RowMean.When#BEFORE_TRAINING}
 * when training begins (Deep SVDD's centre from the initial network), those of {@link
 * RowMean.When#AFTER_TRAINING} when it ends, after {@link AfterTrainingOps} and the best weights' restore
 * (GOAD's centres from the network that scores).
 */
final class RowMeans implements Callback {
  private final CompiledModel model;
  private final float[][] rows;

  RowMeans(CompiledModel model, float[][] rows) {
    this.model = model;
    this.rows = rows;
  }

  @Override
  public void onTrainBegin(int epochs) {
    model.computeRowMeans(RowMean.When.BEFORE_TRAINING, rows);
  }

  @Override
  public void onTrainEnd(int epochsRun) {
    model.computeRowMeans(RowMean.When.AFTER_TRAINING, rows);
  }
}
