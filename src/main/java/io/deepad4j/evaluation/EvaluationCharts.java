package io.deepad4j.evaluation;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.Styler.YAxisPosition;
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

  /**
   * The widest a title may be drawn: XChart centres it over the plot area, which the axes push right of the
   * image's centre (by about 30 px; the loss curve's second axis less), and neither wraps nor clips it.
   */
  static final int TITLE_WIDTH = WIDTH - 100;
  static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 13);
  static final String ROC_WHAT = "ROC curve (test split)";
  static final String PR_WHAT = "Precision-recall (test split)";
  static final String HISTOGRAM_WHAT = "Anomaly scores (test split)";
  static final String LOSS_WHAT = "Training loss";
  /** The score histogram's y axis. */
  static final String COUNT_LOG = "count (log)";
  /** Where an empty bin is drawn on the histogram's log axis: below a bin of one row (1), at the axis' floor. */
  static final double EMPTY_BIN = 0.5;

  static void saveRoc(Curve roc, double auc, PlotTitle title, Path file) throws IOException {
    save(rocChart(roc, auc, title), file);
  }

  static XYChart rocChart(Curve roc, double auc, PlotTitle title) {
    XYChart chart = unitSquareChart(fitTitle(ROC_WHAT, title), "False positive rate", "True positive rate");
    chart.getStyler().setLegendPosition(LegendPosition.InsideSE);
    double[][] thinned = thin(roc.x(), roc.y());
    line(chart, String.format(Locale.ROOT, "ROC (AUC = %.4f)", auc), thinned[0], thinned[1], CURVE, null);
    line(chart, "Chance (AUC = 0.5)", new double[] {0, 1}, new double[] {0, 1}, Color.GRAY, DASHED);
    return chart;
  }

  static void savePrecisionRecall(Curve pr, double auc, double prevalence, PlotTitle title, Path file)
      throws IOException {
    save(precisionRecallChart(pr, auc, prevalence, title), file);
  }

  static XYChart precisionRecallChart(Curve pr, double auc, double prevalence, PlotTitle title) {
    XYChart chart = unitSquareChart(fitTitle(PR_WHAT, title), "Recall", "Precision");
    chart.getStyler().setLegendPosition(LegendPosition.InsideSW);
    double[][] thinned = thin(pr.x(), pr.y());
    line(chart, String.format(Locale.ROOT, "Precision-recall (AUC = %.4f)", auc), thinned[0], thinned[1], CURVE,
        null);
    line(chart, String.format(Locale.ROOT, "Chance (precision = %.3f)", prevalence), new double[] {0, 1},
        new double[] {prevalence, prevalence}, Color.GRAY, DASHED);
    return chart;
  }

  /**
   * The plot's title for {@code what}, shortened in the run's middle when it would not fit the plot's width in
   * the title font (XChart draws one line and does not wrap).
   */
  static String fitTitle(String what, PlotTitle title) {
    BufferedImage image = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB);
    Graphics2D g = image.createGraphics();
    try {
      FontMetrics metrics = g.getFontMetrics(TITLE_FONT);
      return title.fit(what, TITLE_WIDTH, metrics::stringWidth);
    } finally {
      g.dispose();
    }
  }

  /**
   * The height a histogram bin of {@code count} rows is drawn at on the log axis: the count itself when there are
   * any (a bin of one row shows as 1, of ten as 10), {@link #EMPTY_BIN} (the axis' floor, no bar) when there are
   * none, since log(0) has no place on the axis.
   */
  static double logAxisHeight(long count) {
    if (count < 0) {
      throw new IllegalArgumentException("a bin count cannot be negative: " + count);
    }
    return count == 0 ? EMPTY_BIN : count;
  }

  /**
   * Normal and anomalous test scores as two overlaid histograms over the same bins, and the threshold as a vertical
   * line. Bin count by Rice's rule (2 n^(1/3)), 10 to 100 bins. The count axis is logarithmic: the few rows
   * where normal and anomalous scores overlap, next to thousands of normal rows, would be invisible on a linear
   * one ({@link #logAxisHeight}).
   */
  static void saveScoreHistogram(double[] scores, int[] labels, double threshold, PlotTitle title, Path file)
      throws IOException {
    save(scoreHistogram(scores, labels, threshold, title), file);
  }

  static XYChart scoreHistogram(double[] scores, int[] labels, double threshold, PlotTitle title) {
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

    double top = highest * 2.0; // headroom on a log axis: the legend sits above the highest bar
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(fitTitle(HISTOGRAM_WHAT, title))
        .xAxisTitle("Anomaly score").yAxisTitle(COUNT_LOG).build();
    style(chart);
    chart.getStyler().setLegendPosition(LegendPosition.InsideNE);
    chart.getStyler().setYAxisLogarithmic(true);
    chart.getStyler().setYAxisMin(EMPTY_BIN);
    chart.getStyler().setYAxisMax(top);
    histogram(chart, "Normal (" + count(labels, 0) + ")", normal, min, width, NORMAL);
    histogram(chart, "Anomaly (" + count(labels, 1) + ")", anomalous, min, width, ANOMALY);
    line(chart, String.format(Locale.ROOT, "Threshold = %.4g", threshold), new double[] {threshold, threshold},
        new double[] {EMPTY_BIN, top}, Color.BLACK, DASHED);
    return chart;
  }

  /**
   * Loss per epoch, one line per column of {@code losses} (loss; a GAN's d_loss, g_loss, ...) on the left axis,
   * and the held-out rows' mean score per epoch ({@code valScore}, may be null) on the right axis: it is the
   * model's anomaly score, on another scale than its losses.
   */
  static XYChart lossChart(Map<String, double[]> losses, double[] valScore, String valScoreName, PlotTitle title) {
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(fitTitle(LOSS_WHAT, title))
        .xAxisTitle("Epoch").yAxisTitle("Loss (mean over the epoch's steps)").build();
    style(chart);
    chart.getStyler().setLegendPosition(LegendPosition.InsideNE);
    chart.getStyler().setXAxisDecimalPattern("0");
    int epochs = losses.values().stream().mapToInt(v -> v.length).max().orElse(0);
    if (valScore != null) {
      epochs = Math.max(epochs, valScore.length);
    }
    if (epochs == 1) { // a single point: give the x axis a width
      chart.getStyler().setXAxisMin(0.5).setXAxisMax(1.5);
    }
    int i = 0;
    for (var e : losses.entrySet()) {
      lossLine(chart, e.getKey(), e.getValue(), LOSS_COLORS[i++ % LOSS_COLORS.length], null);
    }
    if (valScore != null) {
      XYSeries series = lossLine(chart, valScoreName + " (right axis)", valScore, Color.BLACK, DASHED);
      series.setYAxisGroup(1);
      chart.setYAxisGroupTitle(1, valScoreName + " (held-out rows' mean score)");
      chart.getStyler().setYAxisGroupPosition(1, YAxisPosition.Right);
    }
    return chart;
  }

  private static final Color[] LOSS_COLORS = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44),
      new Color(214, 39, 40), new Color(148, 103, 189)};

  private static XYSeries lossLine(XYChart chart, String name, double[] values, Color color, BasicStroke stroke) {
    double[] x = new double[values.length];
    for (int e = 0; e < values.length; e++) {
      x[e] = e + 1;
    }
    XYSeries series = chart.addSeries(name, x, values);
    series.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
    series.setLineColor(color);
    series.setMarkerColor(color);
    series.setMarker(values.length <= 50 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
    if (stroke != null) {
      series.setLineStyle(stroke);
    } else {
      series.setLineWidth(2f);
    }
    return series;
  }

  private static void histogram(XYChart chart, String name, long[] counts, double min, double width, Color color) {
    // the outline of the bars as one closed polygon: (edge0, floor), (edge0, c0), (edge1, c0), (edge1, c1), ...
    // with each count at its log-axis height
    int bins = counts.length;
    double[] x = new double[2 * bins + 2];
    double[] y = new double[2 * bins + 2];
    x[0] = min;
    y[0] = EMPTY_BIN;
    for (int b = 0; b < bins; b++) {
      x[2 * b + 1] = min + b * width;
      y[2 * b + 1] = logAxisHeight(counts[b]);
      x[2 * b + 2] = min + (b + 1) * width;
      y[2 * b + 2] = logAxisHeight(counts[b]);
    }
    x[2 * bins + 1] = min + bins * width;
    y[2 * bins + 1] = EMPTY_BIN;
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
    chart.getStyler().setChartTitleFont(TITLE_FONT);
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

  static void save(XYChart chart, Path file) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
    }
  }
}
