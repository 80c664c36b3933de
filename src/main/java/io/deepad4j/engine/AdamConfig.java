package io.deepad4j.engine;

/** Adam hyperparameters, Keras defaults apart from the learning rate. */
public record AdamConfig(float learningRate, float beta1, float beta2, float epsilon) {
  public static AdamConfig of(double learningRate) {
    return new AdamConfig((float) learningRate, 0.9f, 0.999f, 1e-7f);
  }

  public static AdamConfig of(double learningRate, double beta1) {
    return new AdamConfig((float) learningRate, (float) beta1, 0.999f, 1e-7f);
  }
}
