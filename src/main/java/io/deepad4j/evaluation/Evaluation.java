package io.deepad4j.evaluation;

import java.util.Arrays;
import java.util.LinkedHashMap;

/** Turns a detector's validation and test scores into the final metrics of a run. */
public final class Evaluation {
  private Evaluation() {}

  /**
   * Chooses the threshold with {@code rule}, then scores the test split: roc_auc, precision_recall_auc,
   * average_precision (scikit-learn's name; ADBench's "PR AUC"), accuracy_score, precision_score, recall_score,
   * f1_score, f2_score and threshold (mlflow.evaluate's names),
   * plus val_roc_auc, the ROC AUC on the validation split, when that split holds both classes, and
   * threshold_ties, the number of test rows that score exactly the threshold, when there are any.
   *
   * @param valScores validation scores; may be null or empty unless the rule is best_accuracy
   * @param valLabels validation labels (1 = anomaly), same length as valScores
   * @param testScores test scores, finite, higher = more anomalous
   * @param testLabels test labels (1 = anomaly, 0 = normal); both classes must be present
   * @throws IllegalArgumentException on invalid input, naming the split and what is wrong
   */
  public static EvaluationResult evaluate(double[] valScores, int[] valLabels, double[] testScores,
      int[] testLabels, ThresholdRule rule) {
    if (rule == null) {
      throw new IllegalArgumentException("threshold rule must not be null; expected " + ThresholdRule.VALID_FORMS);
    }
    Inputs.checkScoresAndLabels("test", testScores, testLabels);
    long anomalies = Inputs.anomalies(testLabels);
    Inputs.checkBothClasses("evaluation of the test split", anomalies, testLabels.length - anomalies);

    double threshold = rule.choose(valScores, valLabels, testScores, testLabels);
    Confusion confusion = Metrics.confusion(testScores, testLabels, threshold);
    Curve roc = Metrics.rocCurve(testScores, testLabels);
    Curve pr = Metrics.prCurve(testScores, testLabels);

    LinkedHashMap<String, Double> metrics = new LinkedHashMap<>();
    metrics.put(MetricName.ROC_AUC.key(), Metrics.rocAuc(testScores, testLabels));
    metrics.put(MetricName.PRECISION_RECALL_AUC.key(), Metrics.trapezoidArea(pr));
    metrics.put(MetricName.AVERAGE_PRECISION.key(), Metrics.averagePrecision(testScores, testLabels));
    metrics.put(MetricName.ACCURACY.key(), confusion.accuracy());
    metrics.put(MetricName.PRECISION.key(), confusion.precision());
    metrics.put(MetricName.RECALL.key(), confusion.recall());
    metrics.put(MetricName.F1.key(), confusion.f1());
    metrics.put(MetricName.F2.key(), confusion.fBeta(2.0));
    metrics.put(MetricName.THRESHOLD.key(), threshold);
    long ties = Arrays.stream(testScores).filter(v -> v == threshold).count();
    if (ties > 0) {
      // rows whose score equals the threshold count as normal (score > threshold flags); a large
      // block of them (duplicate rows) makes precision, recall and F1 depend on that convention
      metrics.put(MetricName.THRESHOLD_TIES.key(), (double) ties);
    }
    if (valScores != null && valLabels != null) {
      Inputs.checkScoresAndLabels("validation", valScores, valLabels);
      long valAnomalies = Inputs.anomalies(valLabels);
      if (valAnomalies > 0 && valAnomalies < valLabels.length) {
        // for choosing hyperparameters without looking at the test split
        metrics.put(MetricName.VAL_ROC_AUC.key(), Metrics.rocAuc(valScores, valLabels));
      }
    }
    return new EvaluationResult(metrics, roc, pr, confusion, threshold, rule);
  }
}
