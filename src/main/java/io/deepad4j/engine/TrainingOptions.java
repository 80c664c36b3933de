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
 */
public record TrainingOptions(
    int epochs,
    int batchSize,
    int stepsPerExecution,
    boolean shuffle,
    long seed,
    int threads,
    Device device,
    EpochListener listener) {

  public TrainingOptions {
    if (epochs < 0 || batchSize < 1 || stepsPerExecution < 1 || threads < 1) {
      throw new IllegalArgumentException(
          "bad training options: epochs=" + epochs + " batch_size=" + batchSize
              + " steps_per_execution=" + stepsPerExecution + " threads=" + threads);
    }
  }

  public TrainingOptions withListener(EpochListener l) {
    return new TrainingOptions(epochs, batchSize, stepsPerExecution, shuffle, seed, threads, device, l);
  }
}
