package io.deepad4j.engine;

/**
 * Something that takes part in training without being part of the graph, as Keras' callbacks:
 * the {@link TrainingLoop} calls each hook of every callback in the order the callbacks were
 * given, from the training thread. History, held-out scoring, early stopping with the best
 * weights, the learning-rate schedule, epoch timing, progress and the moving average's assignment
 * are all callbacks; a new behaviour is one more (see {@link TrainingLoop}).
 *
 * <p>The steps run inside TensorFlow, {@code stepsPerExecution} per Session.run, so the finest hook is
 * {@link #onStepsEnd}, after each such call (Keras' {@code on_train_batch_end} with
 * {@code steps_per_execution}); what must happen after every single step (a moving average's update,
 * spectral normalisation's state) is part of the step's graph ({@link TfModel#afterStep}).
 */
public interface Callback {
  /** Before the first epoch; {@code epochs} is the number asked for. */
  default void onTrainBegin(int epochs) {}

  /** Before the 1-based {@code epoch}'s learning rate is set and its rows are shuffled. */
  default void onEpochBegin(int epoch) {}

  /**
   * After each Session.run of training steps: {@code done} of the epoch's {@code total} steps have run,
   * {@code steps} of them in this call.
   */
  default void onStepsEnd(int epoch, long steps, long done, long total) {}

  /**
   * After the epoch's steps: {@code logs} holds the mean losses, and what the callbacks before this
   * one added (a held-out score, the epoch's time); a callback may add values or ask to stop.
   */
  default void onEpochEnd(EpochLogs logs) {}

  /** After the last epoch run (fewer than asked for after a stop); not called when training fails. */
  default void onTrainEnd(int epochsRun) {}
}
