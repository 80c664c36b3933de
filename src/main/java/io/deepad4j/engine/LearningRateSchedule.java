package io.deepad4j.engine;


/**
 * How every optimizer's learning rate changes over the epochs: a factor on each objective's own
 * rate, held for one epoch. {@code cosine} is Keras' CosineDecay to 0, taken at the middle of each
 * epoch: factor = (1 + cos(pi (e - 1/2) / E)) / 2 for epoch e of E, so the first epoch trains at
 * nearly the full rate and the last at almost none (the weights settle instead of ending
 * wherever the last large steps left them, which matters for GANs).
 */
public enum LearningRateSchedule {
  CONSTANT,
  COSINE;

  /** The factor on the learning rate during 1-based {@code epoch} of {@code epochs}. */
  public double factor(int epoch, int epochs) {
    return switch (this) {
      case CONSTANT -> 1.0;
      case COSINE -> 0.5 * (1 + Math.cos(Math.PI * (epoch - 0.5) / epochs));
    };
  }
}
