package io.deepad4j.models;

/**
 * What a detector's own saved files are, in the detector's terms: the run layer turns this into
 * MLflow's flavors (tracking knows MLflow; detectors do not).
 *
 * @param kind how the files load
 * @param path the file or folder inside the model folder
 * @param format a description of a {@link Kind#JAVA_ONLY} file's format, or null
 */
public record SavedFormat(Kind kind, String path, String format) {
  /** How the saved files load. */
  public enum Kind {
    /** a TensorFlow SavedModel (serve tag, serving_default signature) that any TensorFlow runtime loads */
    TENSORFLOW_SAVED_MODEL,
    /** a file that only deepad4j reads (a JSON or a Tribuo model) next to the folder's preprocessing */
    JAVA_ONLY
  }

  public static SavedFormat tensorflow(String savedModelDir) {
    return new SavedFormat(Kind.TENSORFLOW_SAVED_MODEL, savedModelDir, null);
  }

  public static SavedFormat javaOnly(String file, String format) {
    return new SavedFormat(Kind.JAVA_ONLY, file, format);
  }
}
