package io.deepad4j.evaluation;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;

/** The outcome of {@link Evaluation#evaluate}: final metrics, the test curves, the confusion at the threshold. */
public final class EvaluationResult {
  private final LinkedHashMap<String, Double> metrics;
  private final Curve rocCurve;
  private final Curve precisionRecallCurve;
  private final Confusion confusion;
  private final double threshold;
  private final ThresholdRule rule;

  EvaluationResult(LinkedHashMap<String, Double> metrics, Curve rocCurve, Curve precisionRecallCurve,
      Confusion confusion, double threshold, ThresholdRule rule) {
    this.metrics = metrics;
    this.rocCurve = rocCurve;
    this.precisionRecallCurve = precisionRecallCurve;
    this.confusion = confusion;
    this.threshold = threshold;
    this.rule = rule;
  }

  /**
   * The final metrics in this order: roc_auc, precision_recall_auc, average_precision, accuracy_score,
   * precision_score, recall_score, f1_score, f2_score, threshold, then val_roc_auc when the validation split has
   * both classes. A fresh copy on each call.
   */
  public LinkedHashMap<String, Double> metrics() {
    return new LinkedHashMap<>(metrics);
  }

  /** One metric by name, e.g. {@code roc_auc}. */
  public double metric(String name) {
    Double value = metrics.get(name);
    if (value == null) {
      throw new IllegalArgumentException("no metric '" + name + "'; the metrics are " + metrics.keySet());
    }
    return value;
  }

  /** ROC curve of the test split (x = false positive rate, y = true positive rate). */
  public Curve rocCurve() {
    return rocCurve;
  }

  /** Precision-recall curve of the test split (x = recall, y = precision). */
  public Curve precisionRecallCurve() {
    return precisionRecallCurve;
  }

  /** Confusion counts on the test split at {@link #threshold()}. */
  public Confusion confusion() {
    return confusion;
  }

  /** The chosen threshold; rows with score &gt; threshold are predicted anomalous. */
  public double threshold() {
    return threshold;
  }

  /** The rule that chose the threshold. */
  public ThresholdRule rule() {
    return rule;
  }

  /**
   * Writes the evaluation files into {@code runDir} (created if missing): scores.csv, roc_curve.csv,
   * precision_recall_curve.csv, roc_curve_plot.png, precision_recall_curve_plot.png and score_histogram.png; see
   * {@link EvaluationArtifacts}. Works headless.
   *
   * @param testScores the test scores this result was computed from
   * @param testLabels the test labels this result was computed from
   * @param title the model type and run that every plot's title names
   */
  public void writeArtifacts(Path runDir, double[] testScores, int[] testLabels, PlotTitle title) throws IOException {
    Inputs.checkScoresAndLabels("test", testScores, testLabels);
    if (testScores.length != confusion.total()) {
      throw new IllegalArgumentException("writeArtifacts got " + testScores.length + " test rows, but this result "
          + "was computed from " + confusion.total() + "; pass the same test scores and labels as to evaluate()");
    }
    EvaluationArtifacts.write(this, runDir, testScores, testLabels, java.util.Objects.requireNonNull(title, "title"));
  }

  @Override
  public String toString() {
    return "EvaluationResult" + metrics + " rule=" + rule.spec() + " " + confusion;
  }
}
