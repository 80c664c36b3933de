package io.deepad4j.evaluation;

import java.util.Arrays;

/**
 * The distinct score values in decreasing order, each with the number of anomalies (tp) and normal rows (fp) whose
 * score is at least that value: scikit-learn's {@code _binary_clf_curve}. Tied scores form one step, which is what
 * gives a tie half credit in the ROC AUC.
 */
final class RankedScores {
  final double[] thresholds;
  final long[] tps;
  final long[] fps;
  final long positives;
  final long negatives;

  private RankedScores(double[] thresholds, long[] tps, long[] fps, long positives, long negatives) {
    this.thresholds = thresholds;
    this.tps = tps;
    this.fps = fps;
    this.positives = positives;
    this.negatives = negatives;
  }

  /** Validated inputs only. O(n log n): the two classes are sorted apart as primitives, then merged. */
  static RankedScores of(double[] scores, int[] labels) {
    int positives = 0;
    for (int label : labels) {
      positives += label;
    }
    double[] pos = new double[positives];
    double[] neg = new double[labels.length - positives];
    int p = 0;
    int q = 0;
    for (int i = 0; i < scores.length; i++) {
      if (labels[i] == 1) {
        pos[p++] = scores[i];
      } else {
        neg[q++] = scores[i];
      }
    }
    Arrays.sort(pos);
    Arrays.sort(neg);

    double[] thresholds = new double[scores.length];
    long[] tps = new long[scores.length];
    long[] fps = new long[scores.length];
    int steps = 0;
    long tp = 0;
    long fp = 0;
    // walk both sorted arrays from the top; == groups -0.0 with 0.0 like numpy's diff does
    p = pos.length - 1;
    q = neg.length - 1;
    while (p >= 0 || q >= 0) {
      double value = p < 0 ? neg[q] : q < 0 ? pos[p] : Math.max(pos[p], neg[q]);
      while (p >= 0 && pos[p] == value) {
        tp++;
        p--;
      }
      while (q >= 0 && neg[q] == value) {
        fp++;
        q--;
      }
      thresholds[steps] = value;
      tps[steps] = tp;
      fps[steps] = fp;
      steps++;
    }
    return new RankedScores(Arrays.copyOf(thresholds, steps), Arrays.copyOf(tps, steps),
        Arrays.copyOf(fps, steps), positives, neg.length);
  }

  int steps() {
    return thresholds.length;
  }
}
