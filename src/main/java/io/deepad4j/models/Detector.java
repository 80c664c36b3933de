package io.deepad4j.models;

import io.deepad4j.engine.TrainingHistory;
import io.deepad4j.preprocessing.Scaler;
import java.io.IOException;
import java.nio.file.Path;

/**
 * An anomaly detector, PyOD style: fit on normal rows, score rows (higher = more anomalous), save.
 * Adding a method is one class implementing this plus its entry in {@link ModelRegistry}.
 */
public interface Detector extends Scorer {
  /** Trains on raw normal rows; {@code scaler} is already fitted on them and belongs to the model. */
  TrainingHistory fit(float[][] train, Scaler scaler, RunContext context);

  /** Number of trained parameters (weights; support vectors x features for an SVM). */
  long parameterCount();

  /**
   * Writes the model's own files into {@code modelDir} (which exists): e.g. tfmodel/ for a
   * SavedModel. {@link ModelFolder} adds MLmodel, detector.json and preprocessing.json.
   */
  void save(Path modelDir) throws IOException;

  /** What {@link #save} writes, for the model folder's description (MLflow's MLmodel is made from it). */
  SavedFormat savedFormat();

  /** {@code model}, or the error every detector gives when it is used before {@link #fit}. */
  static <T> T requireFitted(T model) {
    if (model == null) {
      throw new IllegalStateException("fit the detector first");
    }
    return model;
  }
}
