package io.deepad4j.engine;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sets the learning-rate factor of a {@link LearningRateSchedule} before each epoch (nothing for constant), and
 * records the rate each epoch trained at in its logs, as Keras' LearningRateScheduler puts {@code learning_rate}
 * in them: {@value TrainingLoop#LEARNING_RATE} when every objective has the same configured rate (the usual
 * case, and every single-objective model), else one column per objective, its loss's name with {@code loss}
 * replaced by {@code lr} ({@code d_loss} gives {@code d_lr}). The value is the configured rate (as the spec
 * gives it) times the epoch's factor; the graph multiplies the same two numbers in float32.
 */
final class LearningRateScheduler implements Callback {
  private final CompiledModel model;
  private final LearningRateSchedule schedule;
  private final Map<String, Double> rateColumns;
  private int epochs;
  private double factor = 1.0;

  LearningRateScheduler(CompiledModel model, LearningRateSchedule schedule) {
    this.model = model;
    this.schedule = schedule;
    this.rateColumns = rateColumns(model.learningRates());
  }

  /** The history's learning-rate columns and each one's configured rate. */
  static Map<String, Double> rateColumns(Map<String, Float> ratesByObjective) {
    Map<String, Double> columns = new LinkedHashMap<>();
    if (ratesByObjective.values().stream().distinct().count() <= 1) {
      ratesByObjective.values().stream().findFirst()
          .ifPresent(rate -> columns.put(TrainingLoop.LEARNING_RATE, decimal(rate)));
      return columns;
    }
    ratesByObjective.forEach((objective, rate) -> columns.put(columnName(objective), decimal(rate)));
    return columns;
  }

  /** {@code loss} -> {@code lr}, {@code d_loss} -> {@code d_lr}; another name gets {@code _lr} appended. */
  static String columnName(String objective) {
    return objective.endsWith("loss")
        ? objective.substring(0, objective.length() - "loss".length()) + TrainingLoop.LEARNING_RATE
        : objective + "_" + TrainingLoop.LEARNING_RATE;
  }

  /** The float rate as the decimal it was written as (0.001f gives 0.001, not 0.0010000000474974513). */
  private static double decimal(float rate) {
    return Double.parseDouble(Float.toString(rate));
  }

  @Override
  public void onTrainBegin(int epochs) {
    this.epochs = epochs;
  }

  @Override
  public void onEpochBegin(int epoch) {
    factor = schedule.factor(epoch, epochs);
    if (schedule != LearningRateSchedule.CONSTANT) {
      model.setLearningRateFactor(factor);
    }
  }

  @Override
  public void onEpochEnd(EpochLogs logs) {
    rateColumns.forEach((column, rate) -> logs.values().put(column, rate * factor));
  }
}
