package io.deepad4j.evaluation;

import java.util.Arrays;

/**
 * Ranking and threshold metrics for anomaly scores, computed as scikit-learn computes them so that numbers agree
 * with Python baselines and with mlflow.evaluate. Scores: higher = more anomalous. Labels: 1 = anomaly, 0 = normal.
 * A row is predicted anomalous iff its score is strictly greater than the threshold.
 */
public final class Metrics {
  private Metrics() {}

  /**
   * Area under the ROC curve, exact, with tied scores counted as half a correct ordering (as roc_auc_score does).
   * Equals the probability that a random anomaly scores higher than a random normal row. O(n log n).
   *
   * @throws IllegalArgumentException on mismatched lengths, labels other than 0/1, non-finite scores, or when
   *     either class is missing
   */
  public static double rocAuc(double[] scores, int[] labels) {
    RankedScores ranked = rankedWithBothClasses("ROC AUC", scores, labels);
    // trapezoids between consecutive steps, in integer counts so that the sum is exact: 2 * area * P * N
    long twiceArea = 0;
    long prevTp = 0;
    long prevFp = 0;
    for (int i = 0; i < ranked.steps(); i++) {
      twiceArea += (ranked.fps[i] - prevFp) * (ranked.tps[i] + prevTp);
      prevTp = ranked.tps[i];
      prevFp = ranked.fps[i];
    }
    return twiceArea / (2.0 * ranked.positives * ranked.negatives);
  }

  /**
   * The ROC curve as sklearn.metrics.roc_curve (drop_intermediate=True) returns it: x = false positive rate,
   * y = true positive rate, thresholds decreasing, starting at (0, 0) with threshold +Infinity. Points in the middle
   * of a straight horizontal or vertical run are dropped; they do not change the area.
   */
  public static Curve rocCurve(double[] scores, int[] labels) {
    RankedScores ranked = rankedWithBothClasses("ROC curve", scores, labels);
    int n = ranked.steps();
    long[] tps = ranked.tps;
    long[] fps = ranked.fps;
    int[] kept = new int[n];
    int k = 0;
    for (int i = 0; i < n; i++) {
      boolean corner = i == 0 || i == n - 1
          || fps[i - 1] - 2 * fps[i] + fps[i + 1] != 0
          || tps[i - 1] - 2 * tps[i] + tps[i + 1] != 0;
      if (corner) {
        kept[k++] = i;
      }
    }
    double[] fpr = new double[k + 1];
    double[] tpr = new double[k + 1];
    double[] thresholds = new double[k + 1];
    thresholds[0] = Double.POSITIVE_INFINITY;
    for (int j = 0; j < k; j++) {
      int i = kept[j];
      fpr[j + 1] = (double) fps[i] / ranked.negatives;
      tpr[j + 1] = (double) tps[i] / ranked.positives;
      thresholds[j + 1] = ranked.thresholds[i];
    }
    return new Curve(fpr, tpr, thresholds);
  }

  /**
   * The precision-recall curve as sklearn.metrics.precision_recall_curve returns it: x = recall (decreasing),
   * y = precision, thresholds increasing, ending with the point recall 0, precision 1. scikit-learn gives that last
   * point no threshold; here it has +Infinity so that the three arrays have the same length.
   */
  public static Curve prCurve(double[] scores, int[] labels) {
    RankedScores ranked = rankedWithBothClasses("precision-recall curve", scores, labels);
    int n = ranked.steps();
    double[] recall = new double[n + 1];
    double[] precision = new double[n + 1];
    double[] thresholds = new double[n + 1];
    for (int j = 0; j < n; j++) {
      int i = n - 1 - j;
      long tp = ranked.tps[i];
      recall[j] = (double) tp / ranked.positives;
      precision[j] = (double) tp / (tp + ranked.fps[i]); // tp + fp >= 1 at every step
      thresholds[j] = ranked.thresholds[i];
    }
    recall[n] = 0.0;
    precision[n] = 1.0;
    thresholds[n] = Double.POSITIVE_INFINITY;
    return new Curve(recall, precision, thresholds);
  }

  /**
   * Area under the precision-recall curve by the trapezoid rule over recall: sklearn.metrics.auc(recall, precision),
   * which is mlflow.evaluate's {@code precision_recall_auc}. (It is not average precision, which uses steps: see
   * {@link #averagePrecision}.)
   */
  public static double precisionRecallAuc(double[] scores, int[] labels) {
    return trapezoidArea(prCurve(scores, labels));
  }

  /**
   * Average precision as sklearn.metrics.average_precision_score defines it, which is ADBench's "PR AUC": the sum,
   * over the thresholds from the highest score down, of (recall step) x (precision at that threshold), i.e.
   * {@code sum_n (R_n - R_(n-1)) P_n}, with no interpolation between points (unlike {@link #precisionRecallAuc}).
   * Equivalently the mean, over the anomalies, of the precision among the rows scoring at least that anomaly's score.
   *
   * <p>Ties: rows with equal scores form one threshold (one step), so every anomaly in a tied block gets the
   * precision of the whole block, normal rows included: the value does not depend on the order of tied rows, and a
   * block mixing anomalies and normals scores lower than the best ordering of that block would, higher than the
   * worst. That is scikit-learn's convention (its ranking by distinct thresholds); a per-row "precision at k" that
   * breaks ties by row order would depend on the input order.
   */
  public static double averagePrecision(double[] scores, int[] labels) {
    RankedScores ranked = rankedWithBothClasses("average precision", scores, labels);
    double sum = 0;
    long prevTp = 0;
    for (int i = 0; i < ranked.steps(); i++) {
      long tp = ranked.tps[i];
      if (tp > prevTp) {
        sum += (tp - prevTp) * ((double) tp / (tp + ranked.fps[i]));
      }
      prevTp = tp;
    }
    return sum / ranked.positives;
  }

  /** Area under a curve whose x is monotone (either direction), by the trapezoid rule; sklearn.metrics.auc. */
  public static double trapezoidArea(Curve curve) {
    double[] x = curve.x();
    double[] y = curve.y();
    double area = 0;
    for (int i = 1; i < x.length; i++) {
      area += (x[i] - x[i - 1]) * (y[i] + y[i - 1]) / 2.0;
    }
    return Math.abs(area);
  }

  /** Confusion counts when rows with {@code score > threshold} are predicted anomalous. */
  public static Confusion confusion(double[] scores, int[] labels, double threshold) {
    Inputs.checkScoresAndLabels("", scores, labels);
    if (Double.isNaN(threshold)) {
      throw new IllegalArgumentException("threshold is NaN; it must be a number");
    }
    long tp = 0;
    long fp = 0;
    long tn = 0;
    long fn = 0;
    for (int i = 0; i < scores.length; i++) {
      boolean flagged = scores[i] > threshold;
      if (labels[i] == 1) {
        if (flagged) {
          tp++;
        } else {
          fn++;
        }
      } else if (flagged) {
        fp++;
      } else {
        tn++;
      }
    }
    return new Confusion(tp, fp, tn, fn);
  }

  private static RankedScores rankedWithBothClasses(String what, double[] scores, int[] labels) {
    Inputs.checkScoresAndLabels("", scores, labels);
    long positives = Arrays.stream(labels).asLongStream().sum();
    Inputs.checkBothClasses(what, positives, labels.length - positives);
    return RankedScores.of(scores, labels);
  }
}
