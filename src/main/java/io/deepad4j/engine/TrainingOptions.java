package io.deepad4j.engine;

/**
 * How a graph model is trained.
 *
 * @param epochs full passes over the training rows
 * @param batchSize rows per step
 * @param stepsPerExecution training steps chained in one Session.run (Keras' steps_per_execution):
 *     fewer JNI round trips, same maths
 * @param shuffle reshuffle the rows every epoch (seeded)
 * @param seed drives initial weights, shuffling, dropout and noise
 * @param threads intra-op threads of the TensorFlow session
 * @param device cpu, gpu or auto
 * @param listener receives per-epoch losses (may be {@link EpochListener#NONE})
 * @param validation held-out training rows scored after every epoch, and what to do with that score
 * @param schedule how the learning rates change from epoch to epoch
 */
public record TrainingOptions(
    int epochs,
    int batchSize,
    int stepsPerExecution,
    boolean shuffle,
    long seed,
    int threads,
    Device device,
    EpochListener listener,
    Validation validation,
    LearningRateSchedule schedule) {

  /**
   * Keras' validation_split with EarlyStopping(monitor=val_score, restore_best_weights, patience).
   * The held-out rows are normal rows, so the lower their mean anomaly score, the better.
   *
   * @param split share of the training rows held out (seeded) and scored after every epoch; 0 = none
   * @param restoreBest end with the weights of the epoch whose held-out rows scored lowest
   * @param patience stop after this many epochs without a lower held-out score; 0 = train every epoch
   */
  public record Validation(double split, boolean restoreBest, int patience) {
    public static final Validation NONE = new Validation(0, false, 0);

    public Validation {
      if (!(split >= 0 && split < 1) || patience < 0) {
        throw new IllegalArgumentException("bad validation options: split=" + split + " patience=" + patience);
      }
      if ((restoreBest || patience > 0) && split == 0) {
        throw new IllegalArgumentException("restore_best and patience need a validation_split above 0");
      }
    }

    boolean enabled() {
      return split > 0;
    }
  }

  public TrainingOptions {
    if (validation == null) {
      validation = Validation.NONE;
    }
    if (schedule == null) {
      schedule = LearningRateSchedule.CONSTANT;
    }
    if (epochs < 0 || batchSize < 1 || stepsPerExecution < 1 || threads < 1) {
      throw new IllegalArgumentException(
          "bad training options: epochs=" + epochs + " batch_size=" + batchSize
              + " steps_per_execution=" + stepsPerExecution + " threads=" + threads);
    }
  }
}
