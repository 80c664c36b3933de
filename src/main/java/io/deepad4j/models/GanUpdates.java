package io.deepad4j.models;

/** How a GAN's networks take turns within a training step (the key {@code model.gan_updates}). */
public enum GanUpdates {
  /** Every network's gradient of a step from the same weights. */
  SIMULTANEOUS,
  /** The discriminator is updated first, then the generator and encoder from it (the GAN papers' code). */
  ALTERNATING;

  static final String DOC = "simultaneous: every network's gradient of a step from the same weights; alternating: the"
      + " discriminator is updated first, then the generator and encoder from it (the GAN papers' code; about 1.5x the"
      + " time per step)";
}
