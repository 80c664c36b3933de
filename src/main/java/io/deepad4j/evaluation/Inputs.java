package io.deepad4j.evaluation;

/** Checks on the arrays handed to the evaluation layer; messages name the array, the index and the rule broken. */
final class Inputs {
  private Inputs() {}

  /**
   * Scores and labels of one split: same length, finite scores, labels 0 or 1.
   *
   * @param split a word for the messages ("test", "validation") or "" when there is no split
   */
  static void checkScoresAndLabels(String split, double[] scores, int[] labels) {
    String prefix = split.isEmpty() ? "" : split + " ";
    if (scores == null || labels == null) {
      throw new IllegalArgumentException(prefix + "scores and labels must not be null");
    }
    if (scores.length != labels.length) {
      throw new IllegalArgumentException(prefix + "scores and labels differ in length: "
          + scores.length + " scores, " + labels.length + " labels; they must describe the same rows");
    }
    checkScores(split, scores);
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] != 0 && labels[i] != 1) {
        throw new IllegalArgumentException(prefix + "label at index " + i + " is " + labels[i]
            + "; labels must be 0 (normal) or 1 (anomaly)");
      }
    }
  }

  /** Finite scores only: a NaN or infinite score means the model diverged or overflowed, and has no rank. */
  static void checkScores(String split, double[] scores) {
    String prefix = split.isEmpty() ? "" : split + " ";
    if (scores == null) {
      throw new IllegalArgumentException(prefix + "scores must not be null");
    }
    for (int i = 0; i < scores.length; i++) {
      if (!Double.isFinite(scores[i])) {
        throw new IllegalArgumentException(prefix + "score at index " + i + " is " + scores[i]
            + "; scores must be finite numbers (a NaN or infinite score usually means the model's loss diverged)");
      }
    }
  }

  /** The number of anomalies (label 1) among labels already checked to be 0 or 1. */
  static long anomalies(int[] labels) {
    long n = 0;
    for (int label : labels) {
      n += label;
    }
    return n;
  }

  /** AUCs and curves compare anomalies with normal rows, so both must be present. */
  static void checkBothClasses(String what, long positives, long negatives) {
    if (positives == 0 || negatives == 0) {
      throw new IllegalArgumentException(what + " needs both classes, but the labels hold "
          + positives + " anomalies (1) and " + negatives + " normal rows (0)");
    }
  }
}
