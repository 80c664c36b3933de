package io.deepad4j.evaluation;

/**
 * A curve traced by moving the decision threshold over the scores: point {@code i} is (x[i], y[i]) obtained at
 * {@code thresholds[i]}. The three arrays have the same length. Like scikit-learn, a point's threshold flags the
 * rows with {@code score >= threshold}; a threshold of {@code +Infinity} marks the point where nothing is flagged.
 *
 * @param x the x coordinates (false positive rate for ROC, recall for precision-recall)
 * @param y the y coordinates (true positive rate for ROC, precision for precision-recall)
 * @param thresholds the score threshold of each point
 */
public record Curve(double[] x, double[] y, double[] thresholds) {
  public Curve {
    if (x.length != y.length || x.length != thresholds.length) {
      throw new IllegalArgumentException("curve arrays differ in length: x " + x.length + ", y " + y.length
          + ", thresholds " + thresholds.length);
    }
  }

  /** The number of points. */
  public int size() {
    return x.length;
  }
}
