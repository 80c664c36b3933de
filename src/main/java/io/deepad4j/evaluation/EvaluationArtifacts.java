package io.deepad4j.evaluation;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The files an evaluation leaves in a run folder. CSV numbers are written with {@link Double#toString}, which reads
 * back exactly in Java and Python ({@code Infinity} marks the curve point where nothing is flagged).
 */
public final class EvaluationArtifacts {
  /** Header {@code score,label}: one row per test row, in the input order. */
  public static final String SCORES_CSV = "scores.csv";
  /** Header {@code fpr,tpr,threshold}: {@link Metrics#rocCurve}, every point. */
  public static final String ROC_CURVE_CSV = "roc_curve.csv";
  /** Header {@code recall,precision,threshold}: {@link Metrics#prCurve}, every point. */
  public static final String PR_CURVE_CSV = "precision_recall_curve.csv";
  /** The ROC curve with its AUC in the legend and the chance diagonal (mlflow.evaluate's name). */
  public static final String ROC_PLOT = "roc_curve_plot.png";
  /** The precision-recall curve with its AUC and the chance level (mlflow.evaluate's name). */
  public static final String PR_PLOT = "precision_recall_curve_plot.png";
  /**
   * Overlaid histograms of normal and anomalous test scores with the threshold (the FF12 report's figures), on a
   * logarithmic count axis.
   */
  public static final String SCORE_HISTOGRAM = "score_histogram.png";
  /** Every file written, in writing order. */
  public static final List<String> FILES =
      List.of(SCORES_CSV, ROC_CURVE_CSV, PR_CURVE_CSV, ROC_PLOT, PR_PLOT, SCORE_HISTOGRAM);

  private EvaluationArtifacts() {}

  static void write(EvaluationResult result, Path runDir, double[] testScores, int[] testLabels, PlotTitle title)
      throws IOException {
    Files.createDirectories(runDir);
    writeScores(runDir.resolve(SCORES_CSV), testScores, testLabels);
    writeCurve(runDir.resolve(ROC_CURVE_CSV), "fpr,tpr,threshold", result.rocCurve());
    writeCurve(runDir.resolve(PR_CURVE_CSV), "recall,precision,threshold", result.precisionRecallCurve());
    Confusion confusion = result.confusion();
    double prevalence = (double) (confusion.tp() + confusion.fn()) / confusion.total();
    EvaluationCharts.saveRoc(result.rocCurve(), result.metric(MetricName.ROC_AUC.key()), title,
        runDir.resolve(ROC_PLOT));
    EvaluationCharts.savePrecisionRecall(result.precisionRecallCurve(), result.metric(MetricName.PRECISION_RECALL_AUC.key()),
        prevalence, title, runDir.resolve(PR_PLOT));
    EvaluationCharts.saveScoreHistogram(testScores, testLabels, result.threshold(), title,
        runDir.resolve(SCORE_HISTOGRAM));
  }

  private static void writeScores(Path file, double[] scores, int[] labels) throws IOException {
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      out.write("score,label\n");
      StringBuilder line = new StringBuilder(32);
      for (int i = 0; i < scores.length; i++) {
        line.setLength(0);
        line.append(scores[i]).append(',').append(labels[i]).append('\n');
        out.append(line);
      }
    }
  }

  private static void writeCurve(Path file, String header, Curve curve) throws IOException {
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      out.write(header);
      out.write('\n');
      StringBuilder line = new StringBuilder(64);
      for (int i = 0; i < curve.size(); i++) {
        line.setLength(0);
        line.append(curve.x()[i]).append(',').append(curve.y()[i]).append(',').append(curve.thresholds()[i])
            .append('\n');
        out.append(line);
      }
    }
  }
}
