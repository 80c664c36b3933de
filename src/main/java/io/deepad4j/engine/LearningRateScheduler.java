package io.deepad4j.engine;

/** Sets the learning-rate factor of a {@link LearningRateSchedule} before each epoch (nothing for constant). */
final class LearningRateScheduler implements Callback {
  private final CompiledModel model;
  private final LearningRateSchedule schedule;
  private int epochs;

  LearningRateScheduler(CompiledModel model, LearningRateSchedule schedule) {
    this.model = model;
    this.schedule = schedule;
  }

  @Override
  public void onTrainBegin(int epochs) {
    this.epochs = epochs;
  }

  @Override
  public void onEpochBegin(int epoch) {
    if (schedule != LearningRateSchedule.CONSTANT) {
      model.setLearningRateFactor(schedule.factor(epoch, epochs));
    }
  }
}
