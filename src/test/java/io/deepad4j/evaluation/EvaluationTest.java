package io.deepad4j.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluationTest {
  private static final double EPS = 1e-12;
  private static final PlotTitle TITLE = new PlotTitle("ae", "kdd_ae-20261207-021500", null);

  @TempDir
  Path dir;

  @Test
  void validationAucOnlyWhenTheValidationSplitHasBothClasses() {
    double[] test = {0.5, 0.45, 0.9, 0.3, 0.1, 0.2};
    int[] testLabels = {1, 0, 1, 1, 0, 0};
    ThresholdRule percentile = ThresholdRule.parse("percentile:50");
    assertTrue(!Evaluation.evaluate(new double[0], new int[0], test, testLabels, percentile).metrics().containsKey("val_roc_auc"));
    assertTrue(!Evaluation.evaluate(new double[] {0.1, 0.2}, new int[] {0, 0}, test, testLabels, percentile)
        .metrics().containsKey("val_roc_auc"));
    // validation: anomaly 0.3 below normal 0.4, above normal 0.1 -> 1 of 2 pairs ordered = 0.5; independent of the test split
    Map<String, Double> m = Evaluation.evaluate(new double[] {0.4, 0.3, 0.1}, new int[] {0, 1, 0}, test, testLabels, percentile).metrics();
    assertEquals(0.5, m.get("val_roc_auc"), EPS);
    assertEquals(8.0 / 9, m.get("roc_auc"), EPS);
  }

  @Test
  void metricsHaveMlflowNamesInOrderAndHandComputedValues() {
    // validation: normals 0.1 0.2, anomalies 0.6 0.7 -> best_accuracy threshold = (0.2 + 0.6) / 2 = 0.4
    double[] val = {0.1, 0.6, 0.2, 0.7};
    int[] valLabels = {0, 1, 0, 1};
    // test, > 0.4 flagged: 0.5(1) tp, 0.45(0) fp, 0.9(1) tp, 0.3(1) fn, 0.1(0) tn, 0.2(0) tn
    // -> tp 2, fp 1, tn 2, fn 1: accuracy 4/6, precision 2/3, recall 2/3, F1 2/3, F2 = 5*2 / (5*2 + 4*1 + 1) = 2/3
    double[] test = {0.5, 0.45, 0.9, 0.3, 0.1, 0.2};
    int[] testLabels = {1, 0, 1, 1, 0, 0};
    EvaluationResult result = Evaluation.evaluate(val, valLabels, test, testLabels, ThresholdRule.parse("best_accuracy"));
    Map<String, Double> m = result.metrics();
    assertEquals(List.of("roc_auc", "precision_recall_auc", "average_precision", "accuracy_score", "precision_score",
        "recall_score", "f1_score", "f2_score", "threshold", "val_roc_auc"), List.copyOf(m.keySet()));
    assertEquals(0.4, m.get("threshold"), EPS);
    assertEquals(1.0, m.get("val_roc_auc"), EPS); // validation anomalies 0.6 0.7 above both normals
    assertEquals(new Confusion(2, 1, 2, 1), result.confusion());
    assertEquals(4.0 / 6, m.get("accuracy_score"), EPS);
    assertEquals(2.0 / 3, m.get("precision_score"), EPS);
    assertEquals(2.0 / 3, m.get("recall_score"), EPS);
    assertEquals(2.0 / 3, m.get("f1_score"), EPS);
    assertEquals(2.0 / 3, m.get("f2_score"), EPS);
    // ROC AUC: anomalies 0.9 0.5 0.3 vs normals 0.45 0.2 0.1: 0.9 beats 3, 0.5 beats 3, 0.3 beats 2 -> 8/9
    assertEquals(8.0 / 9, m.get("roc_auc"), EPS);
    // PR, thresholds descending 0.9 0.5 0.45 0.3 0.2 0.1 -> (recall, precision): (1/3, 1) (2/3, 1) (2/3, 2/3)
    // (1, 3/4) (1, 3/5) (1, 1/2), plus (0, 1). Trapezoids over recall: 1/3 * 1 + 1/3 * 1 + 0
    // + 1/3 * (2/3 + 3/4) / 2 + 0 + 0 = 2/3 + 17/72 = 65/72
    assertEquals(65.0 / 72, m.get("precision_recall_auc"), EPS);
    assertEquals(m.get("precision_recall_auc"), result.metric("precision_recall_auc"), 0);
    // average precision: the anomalies at 0.9, 0.5, 0.3 come in at precision 1, 1, 3/4 -> (1 + 1 + 3/4) / 3
    assertEquals(11.0 / 12, m.get("average_precision"), EPS);
    // metrics() hands out a copy
    result.metrics().clear();
    assertEquals(10, result.metrics().size());
  }

  @Test
  void percentileRuleNeedsNoValidationSplit() {
    double[] test = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    int[] labels = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1};
    // numpy.percentile(1..10, 80) = index 9 * 0.8 = 7.2 -> 8 + 0.2 * 1 = 8.2; flags 9 and 10 -> perfect
    EvaluationResult result = Evaluation.evaluate(null, null, test, labels, ThresholdRule.parse("percentile:80"));
    assertEquals(8.2, result.threshold(), 1e-12);
    assertEquals(1.0, result.metric("f1_score"), EPS);
    assertEquals(1.0, result.metric("roc_auc"), EPS);
  }

  @Test
  void invalidTestInputIsRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Evaluation.evaluate(null, null,
        new double[] {1, 2}, new int[] {0, 0}, ThresholdRule.parse("value:1")));
    assertTrue(e.getMessage().contains("test split needs both classes"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Evaluation.evaluate(null, null,
        new double[] {1, 2}, new int[] {0}, ThresholdRule.parse("value:1")));
    assertTrue(e.getMessage().startsWith("test scores and labels differ in length"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Evaluation.evaluate(new double[0], new int[0],
        new double[] {1, 2}, new int[] {0, 1}, ThresholdRule.parse("best_accuracy")));
    assertTrue(e.getMessage().contains("use percentile:P"), e.getMessage());
  }

  @Test
  void writeArtifactsWritesCsvsAndReadablePngs() throws IOException {
    double[] test = {0.5, 0.45, 0.9, 0.3, 0.1, 0.2};
    int[] labels = {1, 0, 1, 1, 0, 0};
    EvaluationResult result = Evaluation.evaluate(null, null, test, labels, ThresholdRule.parse("value:0.4"));
    Path runDir = dir.resolve("run-1"); // not there yet: created
    result.writeArtifacts(runDir, test, labels, TITLE);

    List<String> scores = Files.readAllLines(runDir.resolve("scores.csv"), StandardCharsets.UTF_8);
    assertEquals(List.of("score,label", "0.5,1", "0.45,0", "0.9,1", "0.3,1", "0.1,0", "0.2,0"), scores);

    List<String> roc = Files.readAllLines(runDir.resolve("roc_curve.csv"));
    assertEquals("fpr,tpr,threshold", roc.get(0));
    assertEquals(result.rocCurve().size() + 1, roc.size());
    assertEquals("0.0,0.0,Infinity", roc.get(1));
    assertCurveRowsMatch(result.rocCurve(), roc);

    List<String> pr = Files.readAllLines(runDir.resolve("precision_recall_curve.csv"));
    assertEquals("recall,precision,threshold", pr.get(0));
    assertEquals(7 + 1, pr.size()); // 6 distinct scores + the (0, 1) end point, plus the header
    assertEquals("0.0,1.0,Infinity", pr.get(pr.size() - 1));
    assertCurveRowsMatch(result.precisionRecallCurve(), pr);

    for (String png : List.of("roc_curve_plot.png", "precision_recall_curve_plot.png", "score_histogram.png")) {
      assertPng(runDir.resolve(png));
    }
    assertEquals(EvaluationArtifacts.FILES.size(), Files.list(runDir).count());
  }

  @Test
  void plotsSurviveDegenerateScores() throws IOException {
    double[] test = {0.7, 0.7, 0.7, 0.7};
    int[] labels = {0, 1, 0, 1};
    EvaluationResult result = Evaluation.evaluate(null, null, test, labels, ThresholdRule.parse("percentile:80"));
    assertEquals(0.5, result.metric("roc_auc"), EPS);
    result.writeArtifacts(dir, test, labels, TITLE);
    for (String png : List.of("roc_curve_plot.png", "precision_recall_curve_plot.png", "score_histogram.png")) {
      assertPng(dir.resolve(png));
    }
    // zero scores, a threshold far outside the data
    double[] zeros = {0, 0, 0};
    int[] zeroLabels = {1, 0, 0};
    Path other = dir.resolve("zeros");
    Evaluation.evaluate(null, null, zeros, zeroLabels, ThresholdRule.parse("value:1e6"))
        .writeArtifacts(other, zeros, zeroLabels, TITLE);
    assertPng(other.resolve("score_histogram.png"));
  }

  @Test
  void largeCurvesAreThinnedForPlotsButNotForCsvs() throws IOException {
    Random random = new Random(3);
    int n = 10_000;
    double[] test = new double[n];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = i % 5 == 0 ? 1 : 0;
      test[i] = random.nextGaussian() + 1.5 * labels[i];
    }
    EvaluationResult result = Evaluation.evaluate(null, null, test, labels, ThresholdRule.parse("percentile:80"));
    result.writeArtifacts(dir, test, labels, TITLE);
    // distinct scores: n steps, + the (0, 1) end point
    assertEquals(n + 1 + 1, Files.readAllLines(dir.resolve("precision_recall_curve.csv")).size());
    assertEquals(n + 1, Files.readAllLines(dir.resolve("scores.csv")).size());
    assertEquals(result.rocCurve().size() + 1, Files.readAllLines(dir.resolve("roc_curve.csv")).size());
    assertPng(dir.resolve("precision_recall_curve_plot.png"));
    assertPng(dir.resolve("score_histogram.png"));

    double[][] thinned = EvaluationCharts.thin(result.precisionRecallCurve().x(), result.precisionRecallCurve().y());
    assertTrue(thinned[0].length <= EvaluationCharts.MAX_PLOTTED_POINTS + 1, "" + thinned[0].length);
    assertEquals(0.0, thinned[0][thinned[0].length - 1]); // the end point (recall 0) is kept
    assertEquals(1.0, thinned[0][0]);
  }

  @Test
  void writeArtifactsRejectsOtherTestRows() {
    double[] test = {0.1, 0.9};
    int[] labels = {0, 1};
    EvaluationResult result = Evaluation.evaluate(null, null, test, labels, ThresholdRule.parse("value:0.5"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> result.writeArtifacts(dir, new double[] {0.1, 0.9, 0.3}, new int[] {0, 1, 0}, TITLE));
    assertTrue(e.getMessage().contains("pass the same test scores"), e.getMessage());
  }

  private static void assertCurveRowsMatch(Curve curve, List<String> lines) {
    for (int i = 0; i < curve.size(); i++) {
      String[] cells = lines.get(i + 1).split(",");
      assertEquals(curve.x()[i], Double.parseDouble(cells[0]), 0);
      assertEquals(curve.y()[i], Double.parseDouble(cells[1]), 0);
      assertEquals(curve.thresholds()[i], Double.parseDouble(cells[2]), 0);
    }
  }

  private static void assertPng(Path file) throws IOException {
    assertTrue(Files.size(file) > 1000, file + " is " + Files.size(file) + " bytes");
    BufferedImage image = ImageIO.read(file.toFile());
    assertNotNull(image, file + " is not a readable image");
    assertEquals(EvaluationCharts.WIDTH, image.getWidth());
    assertEquals(EvaluationCharts.HEIGHT, image.getHeight());
    // drawn, not blank: more than a handful of distinct colours
    java.util.Set<Integer> colours = new java.util.HashSet<>();
    for (int x = 0; x < image.getWidth(); x += 4) {
      for (int y = 0; y < image.getHeight(); y += 4) {
        colours.add(image.getRGB(x, y));
      }
    }
    assertTrue(colours.size() > 5, file + " has " + colours.size() + " colours");
  }

  @Test
  void rowsScoringExactlyTheThresholdAreCountedAndNotFlagged() {
    double[] test = {1, 2, 6, 6, 6, 6, 6, 6, 9, 9};
    int[] labels = {0, 0, 0, 0, 0, 1, 1, 0, 1, 1};
    // numpy.percentile(test, 50) = 6: the six rows scoring 6 tie with the threshold and count as normal
    EvaluationResult r = Evaluation.evaluate(null, null, test, labels, ThresholdRule.parse("percentile:50"));
    assertEquals(6.0, r.threshold());
    assertEquals(6.0, r.metrics().get(MetricName.THRESHOLD_TIES.key()));
    assertEquals(1.0, r.metrics().get("precision_score"));
    assertEquals(0.5, r.metrics().get("recall_score"));
    // no row on the threshold: no such metric
    EvaluationResult clean = Evaluation.evaluate(null, null, new double[] {1, 2, 3, 4}, new int[] {0, 0, 1, 1},
        ThresholdRule.parse("percentile:50"));
    assertTrue(!clean.metrics().containsKey(MetricName.THRESHOLD_TIES.key()));
  }
}
