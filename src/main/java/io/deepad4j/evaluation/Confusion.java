package io.deepad4j.evaluation;

/**
 * Confusion counts of a thresholded detector, with the anomaly class (label 1) as the positive class. Ratios whose
 * denominator is zero are 0, like scikit-learn's {@code zero_division=0}.
 */
public record Confusion(long tp, long fp, long tn, long fn) {
  public Confusion {
    if (tp < 0 || fp < 0 || tn < 0 || fn < 0) {
      throw new IllegalArgumentException("confusion counts must be >= 0, got tp=" + tp + " fp=" + fp
          + " tn=" + tn + " fn=" + fn);
    }
  }

  /** Number of rows counted. */
  public long total() {
    return tp + fp + tn + fn;
  }

  /** (tp + tn) / total. */
  public double accuracy() {
    return ratio(tp + tn, total());
  }

  /** tp / (tp + fp): the share of flagged rows that are anomalies. */
  public double precision() {
    return ratio(tp, tp + fp);
  }

  /** tp / (tp + fn): the share of anomalies that are flagged. */
  public double recall() {
    return ratio(tp, tp + fn);
  }

  /** The harmonic mean of precision and recall. */
  public double f1() {
    return fBeta(1.0);
  }

  /**
   * F-beta: (1 + b²) tp / ((1 + b²) tp + b² fn + fp), which equals (1 + b²) P R / (b² P + R) whenever precision and
   * recall are defined, and is 0 when tp = 0 (scikit-learn's fbeta_score with zero_division=0).
   *
   * @param beta weight of recall relative to precision (2 counts recall twice as much); finite and >= 0
   */
  public double fBeta(double beta) {
    if (!(beta >= 0) || Double.isInfinite(beta)) {
      throw new IllegalArgumentException("beta must be a finite number >= 0, got " + beta);
    }
    double b2 = beta * beta;
    double numerator = (1 + b2) * tp;
    return numerator == 0 ? 0.0 : numerator / (numerator + b2 * fn + fp);
  }

  private static double ratio(long numerator, long denominator) {
    return denominator == 0 ? 0.0 : (double) numerator / denominator;
  }
}
