package io.deepad4j.engine;

/**
 * Runs the model's {@link TfModel#afterTraining} ops once training ends: by default the moving
 * average's assignment, which replaces the weights by their averages for scoring and export. The
 * average itself is updated inside every training step's graph ({@link TfModel#afterStep}).
 */
final class AfterTrainingOps implements Callback {
  private final CompiledModel model;

  AfterTrainingOps(CompiledModel model) {
    this.model = model;
  }

  @Override
  public void onTrainEnd(int epochsRun) {
    model.runAfterTraining();
  }
}
