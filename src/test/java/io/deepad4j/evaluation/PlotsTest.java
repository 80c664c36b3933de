package io.deepad4j.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

/** Issue 21: titled plots, the score histogram's log count axis, the loss curve. */
class PlotsTest {
  private static final PlotTitle TITLE = new PlotTitle("bigan", "kdd_bigan-20261207-021500", null);
  private static final PlotTitle TRACKED = new PlotTitle("bigan", "kdd_bigan", "0123456789abcdef0123456789abcdef");

  @TempDir
  Path dir;

  @Test
  void everyPlotIsTitledWithWhatItShowsTheModelTypeAndTheRun() throws IOException {
    double[] test = {0.5, 0.45, 0.9, 0.3, 0.1, 0.2};
    int[] labels = {1, 0, 1, 1, 0, 0};
    EvaluationResult result = Evaluation.evaluate(null, null, test, labels, ThresholdRule.parse("value:0.4"));
    String run = " - bigan - kdd_bigan-20261207-021500";
    assertEquals("ROC curve (test split)" + run,
        EvaluationCharts.rocChart(result.rocCurve(), 0.9, TITLE).getTitle());
    assertEquals("Precision-recall (test split)" + run,
        EvaluationCharts.precisionRecallChart(result.precisionRecallCurve(), 0.9, 0.5, TITLE).getTitle());
    assertEquals("Anomaly scores (test split)" + run,
        EvaluationCharts.scoreHistogram(test, labels, 0.4, TITLE).getTitle());
    XYChart loss = EvaluationCharts.lossChart(Map.of("loss", new double[] {1, 0.5}), null, "val_score", TITLE);
    assertEquals("Training loss" + run, loss.getTitle());
    assertEquals(loss.getTitle(), LossCurvePlot.title(TITLE));
    assertEquals("ROC curve (test split) - bigan - kdd_bigan (run 0123456789abcdef0123456789abcdef)",
        EvaluationCharts.rocChart(result.rocCurve(), 0.9, TRACKED).getTitle(), "a tracked run: its name and id");
  }

  @Test
  void aRunTooLongForThePlotIsShortenedInItsMiddle() {
    String name = "kdd_bigan_val d_learning_rate=0.0005 g_learning_rate=0.0005 lr_schedule=cosine seed=2021 p07";
    PlotTitle long_ = new PlotTitle("bigan", name, "0123456789abcdef0123456789abcdef");
    // one "pixel" per character: 80 wide
    String fitted = long_.fit("ROC curve", 80, String::length);
    assertEquals(80, fitted.length(), fitted);
    assertTrue(fitted.startsWith("ROC curve - bigan - kdd_bi"), fitted);
    assertTrue(fitted.endsWith("p07 (run 0123456789abcdef0123456789abcdef)"), "the id is kept whole: " + fitted);
    assertTrue(fitted.contains("..."), fitted);
    assertEquals(long_.of("ROC curve"), long_.fit("ROC curve", 1000, String::length), "fits: unchanged");
    assertEquals("ROC curve - bigan - ... (run 0123456789abcdef0123456789abcdef)",
        long_.fit("ROC curve", 5, String::length), "nothing of the name fits");
    PlotTitle local = new PlotTitle("ae", "kdd_ae-20261207-021500", " ");
    assertEquals("ROC curve - ae - kdd_ae-20261207-021500", local.of("ROC curve"), "no id: the folder's name alone");

    // in the title font, the fitted title fits the plot's width, and the chart uses it
    String title = EvaluationCharts.fitTitle("ROC curve (test split)", long_);
    assertTrue(title.contains("...") && title.endsWith("p07 (run 0123456789abcdef0123456789abcdef)"), title);
    XYChart chart = EvaluationCharts.rocChart(new Curve(new double[] {0, 1}, new double[] {0, 1},
        new double[] {Double.POSITIVE_INFINITY, 0}), 0.5, long_);
    assertEquals(title, chart.getTitle());
    BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB);
    int width = probe.createGraphics().getFontMetrics(chart.getStyler().getChartTitleFont()).stringWidth(title);
    assertTrue(width <= EvaluationCharts.TITLE_WIDTH, width + " px");
  }

  @Test
  void logAxisHeightIsTheCountWithEmptyBinsAtTheFloor() {
    assertEquals(0.5, EvaluationCharts.logAxisHeight(0));
    assertEquals(1.0, EvaluationCharts.logAxisHeight(1));
    assertEquals(2.0, EvaluationCharts.logAxisHeight(2));
    assertEquals(7_999.0, EvaluationCharts.logAxisHeight(7_999));
    assertTrue(EvaluationCharts.logAxisHeight(0) < EvaluationCharts.logAxisHeight(1), "an empty bin is below one row");
    assertEquals(EvaluationCharts.EMPTY_BIN, EvaluationCharts.logAxisHeight(0));
    assertThrows(IllegalArgumentException.class, () -> EvaluationCharts.logAxisHeight(-1));
  }

  @Test
  void histogramCountsAreOnALogAxisSoTheFewOverlappingRowsShow() throws IOException {
    // 8,000 normal rows near 0, 20 anomalies near 1 and 2 anomalies inside the normal rows
    Random random = new Random(7);
    int n = 8_022;
    double[] scores = new double[n];
    int[] labels = new int[n];
    for (int i = 0; i < 8_000; i++) {
      scores[i] = Math.abs(random.nextGaussian()) * 0.1;
    }
    for (int i = 8_000; i < n; i++) {
      labels[i] = 1;
      scores[i] = i < 8_020 ? 1 + random.nextGaussian() * 0.05 : 0.05;
    }
    XYChart chart = EvaluationCharts.scoreHistogram(scores, labels, 0.5, TITLE);
    assertTrue(chart.getStyler().isYAxisLogarithmic());
    assertEquals("count (log)", chart.getYAxisTitle());
    XYSeries anomalies = chart.getSeriesMap().get("Anomaly (22)");
    assertNotNull(anomalies, chart.getSeriesMap().keySet().toString());
    double[] heights = anomalies.getYData();
    double sum = 0;
    for (int i = 1; i < heights.length - 1; i += 2) { // each bin's height, once (the polygon repeats it)
      assertTrue(heights[i] == 0.5 || heights[i] >= 1, "a count or the floor: " + heights[i]);
      sum += heights[i] == 0.5 ? 0 : heights[i];
    }
    assertEquals(22, sum, 0, "every anomaly in some bin");
    double[] edges = anomalies.getXData();
    int overlap = -1;
    for (int i = 1; i < heights.length - 1; i += 2) {
      if (edges[i] <= 0.05 && 0.05 < edges[i + 1]) {
        overlap = i;
      }
    }
    assertEquals(2.0, heights[overlap], 0, "the 2 anomalies among the normal rows share a bin, drawn at height 2");
    for (double h : chart.getSeriesMap().get("Normal (8000)").getYData()) {
      assertTrue(h > 0, "nothing at or below 0 on a log axis: " + h);
    }
    Path file = dir.resolve("h.png");
    EvaluationCharts.save(chart, file);
    assertPng(file);
  }

  @Test
  void lossCurveIsAReadablePngOfTheRightSize() throws IOException {
    Map<String, double[]> losses = new LinkedHashMap<>();
    losses.put("loss", new double[] {0.9, 0.5, 0.3, 0.25, 0.2});
    Path file = LossCurvePlot.write(dir.resolve("run"), losses, new double[] {0.8, 0.6, 0.5, 0.45, 0.44}, "val_score",
        TITLE);
    assertEquals(dir.resolve("run").resolve("loss_curve_plot.png"), file);
    assertPng(file);

    XYChart chart = EvaluationCharts.lossChart(losses, new double[] {0.8, 0.6, 0.5, 0.45, 0.44}, "val_score", TITLE);
    assertEquals(List.of("loss", "val_score (right axis)"), List.copyOf(chart.getSeriesMap().keySet()));
    assertEquals(1, chart.getSeriesMap().get("val_score (right axis)").getYAxisGroup(), "its own axis");
    assertArrayEquals(new double[] {1, 2, 3, 4, 5}, chart.getSeriesMap().get("loss").getXData(), "epochs from 1");

    // a GAN's losses, no validation split; one epoch
    Map<String, double[]> gan = new LinkedHashMap<>();
    gan.put("d_loss", new double[] {1.3});
    gan.put("g_loss", new double[] {4.1});
    Path ganFile = LossCurvePlot.write(dir.resolve("gan"), gan, null, "val_score", TITLE);
    assertPng(ganFile);
    assertEquals(List.of("d_loss", "g_loss"),
        List.copyOf(EvaluationCharts.lossChart(gan, null, "val_score", TITLE).getSeriesMap().keySet()));

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LossCurvePlot.write(dir, Map.of(), null, "val_score", TITLE));
    assertTrue(e.getMessage().contains("no epochs"), e.getMessage());
    assertFalse(Files.exists(dir.resolve("loss_curve_plot.png")));
  }

  private static void assertPng(Path file) throws IOException {
    assertTrue(Files.size(file) > 1000, file + " is " + Files.size(file) + " bytes");
    BufferedImage image = ImageIO.read(file.toFile());
    assertNotNull(image, file + " is not a readable image");
    assertEquals(EvaluationCharts.WIDTH, image.getWidth());
    assertEquals(EvaluationCharts.HEIGHT, image.getHeight());
    Set<Integer> colours = new HashSet<>();
    for (int x = 0; x < image.getWidth(); x += 4) {
      for (int y = 0; y < image.getHeight(); y += 4) {
        colours.add(image.getRGB(x, y));
      }
    }
    assertTrue(colours.size() > 5, "drawn, not blank: " + colours.size() + " colours");
  }
}
