package io.deepad4j.evaluation;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The PNG figures of an evaluation, drawn off-screen with XChart. */
final class EvaluationCharts {
  static final int WIDTH = 800;
  static final int HEIGHT = 600;
  /** Curves with more points are thinned for drawing only: a 800 px plot cannot show more, and XChart slows down. */
  static final int MAX_PLOTTED_POINTS = 2000;

  private static final Color CURVE = new Color(31, 119, 180);
  private static final Color NORMAL = new Color(31, 119, 180);
  private static final Color ANOMALY = new Color(214, 39, 40);
  private static final BasicStroke DASHED =
      new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f);

  static {
    // runs go on servers without a display; an unset property would make AWT look for one
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  private EvaluationCharts() {}

  static void saveRoc(Curve roc, double auc, Path file) throws IOException {
    XYChart chart = unitSquareChart("ROC curve (test split)", "False positive rate", "True positive rate");
    chart.getStyler().setLegendPosition(LegendPosition.InsideSE);
    double[][] thinned = thin(roc.x(), roc.y());
    line(chart, String.format(Locale.ROOT, "ROC (AUC = %.4f)", auc), thinned[0], thinned[1], CURVE, null);
    line(chart, "Chance (AUC = 0.5)", new double[] {0, 1}, new double[] {0, 1}, Color.GRAY, DASHED);
    save(chart, file);
  }

  static void savePrecisionRecall(Curve pr, double auc, double prevalence, Path file) throws IOException {
    XYChart chart = unitSquareChart("Precision-recall curve (test split)", "Recall", "Precision");
    chart.getStyler().setLegendPosition(LegendPosition.InsideSW);
    double[][] thinned = thin(pr.x(), pr.y());
    line(chart, String.format(Locale.ROOT, "Precision-recall (AUC = %.4f)", auc), thinned[0], thinned[1], CURVE,
        null);
    line(chart, String.format(Locale.ROOT, "Chance (precision = %.3f)", prevalence), new double[] {0, 1},
        new double[] {prevalence, prevalence}, Color.GRAY, DASHED);
    save(chart, file);
  }

  /**
   * Normal and anomalous test scores as two overlaid histograms over the same bins, and the threshold as a vertical
   * line. Bin count by Rice's rule (2 n^(1/3)), 10 to 100 bins.
   */
  static void saveScoreHistogram(double[] scores, int[] labels, double threshold, Path file) throws IOException {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double s : scores) {
      min = Math.min(min, s);
      max = Math.max(max, s);
    }
    if (scores.length == 0) {
      min = 0;
      max = 1;
    }
    if (!(max > min)) { // all scores equal: give the single bin some width
      double pad = Math.max(Math.abs(min) * 0.05, 0.5);
      min -= pad;
      max += pad;
    }
    int bins = (int) Math.max(10, Math.min(100, Math.ceil(2 * Math.cbrt(scores.length))));
    double width = (max - min) / bins;
    long[] normal = new long[bins];
    long[] anomalous = new long[bins];
    for (int i = 0; i < scores.length; i++) {
      int bin = (int) Math.min(bins - 1, Math.max(0, Math.floor((scores[i] - min) / width)));
      if (labels[i] == 1) {
        anomalous[bin]++;
      } else {
        normal[bin]++;
      }
    }
    long highest = 1;
    for (int b = 0; b < bins; b++) {
      highest = Math.max(highest, Math.max(normal[b], anomalous[b]));
    }

    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title("Anomaly scores on the test split")
        .xAxisTitle("Anomaly score").yAxisTitle("Number of rows").build();
    style(chart);
    chart.getStyler().setLegendPosition(LegendPosition.InsideNE);
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setYAxisMax(highest * 1.05);
    histogram(chart, "Normal (" + count(labels, 0) + ")", normal, min, width, NORMAL);
    histogram(chart, "Anomaly (" + count(labels, 1) + ")", anomalous, min, width, ANOMALY);
    line(chart, String.format(Locale.ROOT, "Threshold = %.4g", threshold), new double[] {threshold, threshold},
        new double[] {0, highest * 1.05}, Color.BLACK, DASHED);
    save(chart, file);
  }

  private static void histogram(XYChart chart, String name, long[] counts, double min, double width, Color color) {
    // the outline of the bars as one closed polygon: (edge0, 0), (edge0, c0), (edge1, c0), (edge1, c1), ...
    int bins = counts.length;
    double[] x = new double[2 * bins + 2];
    double[] y = new double[2 * bins + 2];
    x[0] = min;
    y[0] = 0;
    for (int b = 0; b < bins; b++) {
      x[2 * b + 1] = min + b * width;
      y[2 * b + 1] = counts[b];
      x[2 * b + 2] = min + (b + 1) * width;
      y[2 * b + 2] = counts[b];
    }
    x[2 * bins + 1] = min + bins * width;
    y[2 * bins + 1] = 0;
    XYSeries series = chart.addSeries(name, x, y);
    series.setXYSeriesRenderStyle(XYSeriesRenderStyle.PolygonArea);
    series.setMarker(SeriesMarkers.NONE);
    series.setLineColor(color);
    series.setFillColor(new Color(color.getRed(), color.getGreen(), color.getBlue(), 90));
  }

  private static XYChart unitSquareChart(String title, String xTitle, String yTitle) {
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
        .yAxisTitle(yTitle).build();
    style(chart);
    chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
    return chart;
  }

  private static void style(XYChart chart) {
    chart.getStyler().setChartBackgroundColor(Color.WHITE).setPlotBackgroundColor(Color.WHITE)
        .setLegendBorderColor(Color.LIGHT_GRAY).setPlotBorderVisible(true);
    chart.getStyler().setAntiAlias(true);
  }

  private static void line(XYChart chart, String name, double[] x, double[] y, Color color, BasicStroke stroke) {
    XYSeries series = chart.addSeries(name, x, y);
    series.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
    series.setMarker(SeriesMarkers.NONE);
    series.setLineColor(color);
    if (stroke != null) {
      series.setLineStyle(stroke);
    } else {
      series.setLineWidth(2f);
    }
  }

  /** Every k-th point, always keeping the first and the last, so that at most ~MAX_PLOTTED_POINTS remain. */
  static double[][] thin(double[] x, double[] y) {
    if (x.length <= MAX_PLOTTED_POINTS) {
      return new double[][] {x, y};
    }
    int stride = (int) Math.ceil((double) x.length / MAX_PLOTTED_POINTS);
    int kept = (x.length - 1) / stride + 1 + ((x.length - 1) % stride == 0 ? 0 : 1);
    double[] tx = new double[kept];
    double[] ty = new double[kept];
    int k = 0;
    for (int i = 0; i < x.length; i += stride) {
      tx[k] = x[i];
      ty[k++] = y[i];
    }
    if (k < kept) {
      tx[k] = x[x.length - 1];
      ty[k] = y[y.length - 1];
    }
    return new double[][] {tx, ty};
  }

  private static long count(int[] labels, int label) {
    long n = 0;
    for (int l : labels) {
      if (l == label) {
        n++;
      }
    }
    return n;
  }

  private static void save(XYChart chart, Path file) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
    }
  }
}
