package io.deepad4j.models;

/**
 * What a detector's own saved files are, in the detector's terms: the run layer turns this into
 * MLflow's flavors (tracking knows MLflow; detectors do not).
 *
 * @param kind how the files load
 * @param path the file or folder inside the model folder that deepad4j's Java scorer reads
 * @param format a description of a Java-read file's format, or null
 * @param savedModelDir the TensorFlow SavedModel folder inside the model folder (signature serving_default:
 *     {@code x} float32 [-1, features] -> {@code score} float32 [-1]), or null when there is none
 */
public record SavedFormat(Kind kind, String path, String format, String savedModelDir) {
  /** How the saved files load. */
  public enum Kind {
    /** a TensorFlow SavedModel (serve tag, serving_default signature) that any TensorFlow runtime loads */
    TENSORFLOW_SAVED_MODEL,
    /**
     * a file that deepad4j's Java scorer reads (a JSON or a Tribuo model) next to the folder's preprocessing, and a
     * SavedModel of the same score, built from the fitted parameters, for every other TensorFlow runtime
     */
    JAVA_AND_TENSORFLOW,
    /** a file that only deepad4j reads (a JSON or a Tribuo model) next to the folder's preprocessing */
    JAVA_ONLY
  }

  public static SavedFormat tensorflow(String savedModelDir) {
    return new SavedFormat(Kind.TENSORFLOW_SAVED_MODEL, savedModelDir, null, savedModelDir);
  }

  public static SavedFormat javaOnly(String file, String format) {
    return new SavedFormat(Kind.JAVA_ONLY, file, format, null);
  }

  /** A Java-read {@code file} plus the SavedModel {@value TfDetector#SAVED_MODEL_DIR} of the same score. */
  public static SavedFormat javaAndTensorflow(String file, String format) {
    return new SavedFormat(Kind.JAVA_AND_TENSORFLOW, file, format, TfDetector.SAVED_MODEL_DIR);
  }
}
