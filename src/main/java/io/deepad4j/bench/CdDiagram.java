package io.deepad4j.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Line2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * A critical-difference diagram (Demsar 2006, figure 1) drawn with Java2D: an axis of average ranks from 1 (best,
 * left) to k, each detector's name joined to its rank by a line (the better half to the left edge, the rest to the
 * right), a thick bar under each group of detectors whose ranks differ by less than the critical difference (not
 * significantly different), and the CD as a scale bar above the axis.
 */
public final class CdDiagram {
  /** The image's width in pixels. */
  public static final int WIDTH = 800;
  static final int TOP = 70;
  static final int ROW = 22;
  static final int MARGIN = 170;

  static {
    // no display on a server: an unset property would make AWT look for one
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  private CdDiagram() {}

  /** The image's height for {@code k} detectors and {@code groups} bars. */
  public static int height(int k, int groups) {
    return TOP + 30 + Math.max(groups * 8, 0) + ((k + 1) / 2) * ROW + 20;
  }

  /**
   * The diagram as PNG bytes.
   *
   * @param names detector names, in increasing order of {@code ranks}
   * @param ranks average ranks, increasing
   * @param cd the critical difference (NaN: no scale bar and no groups)
   * @param title a line above the diagram
   */
  public static byte[] png(List<String> names, double[] ranks, double cd, String title) {
    int k = names.size();
    List<int[]> groups = Nemenyi.groups(ranks, cd);
    BufferedImage image = new BufferedImage(WIDTH, height(k, groups.size()), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, image.getWidth(), image.getHeight());
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
      FontMetrics fm = g.getFontMetrics();
      g.drawString(title, (WIDTH - fm.stringWidth(title)) / 2, 18);

      int maxRank = Math.max(k, 2);
      double left = MARGIN;
      double right = WIDTH - MARGIN;
      java.util.function.DoubleUnaryOperator x = r -> left + (r - 1) / (maxRank - 1) * (right - left);

      // the axis and its ticks, rank 1 on the left
      g.setStroke(new BasicStroke(1.5f));
      g.draw(new Line2D.Double(left, TOP, right, TOP));
      for (int r = 1; r <= maxRank; r++) {
        double xr = x.applyAsDouble(r);
        g.draw(new Line2D.Double(xr, TOP - 6, xr, TOP));
        String label = Integer.toString(r);
        g.drawString(label, (float) (xr - fm.stringWidth(label) / 2.0), TOP - 10);
      }
      if (Double.isFinite(cd)) {
        double x0 = x.applyAsDouble(1);
        double x1 = x.applyAsDouble(1 + Math.min(cd, maxRank - 1));
        double y = TOP - 34;
        g.draw(new Line2D.Double(x0, y, x1, y));
        g.draw(new Line2D.Double(x0, y - 4, x0, y + 4));
        g.draw(new Line2D.Double(x1, y - 4, x1, y + 4));
        String label = String.format(Locale.ROOT, "CD = %.3f", cd);
        g.drawString(label, (float) (x1 + 8), (float) (y + 5));
      }

      // group bars just under the axis
      g.setStroke(new BasicStroke(4f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
      for (int i = 0; i < groups.size(); i++) {
        int[] grp = groups.get(i);
        double y = TOP + 12 + i * 8;
        g.draw(new Line2D.Double(x.applyAsDouble(ranks[grp[0]]) - 3, y, x.applyAsDouble(ranks[grp[1]]) + 3, y));
      }

      // names: the better half to the left, the rest to the right, each on its own row
      g.setStroke(new BasicStroke(1f));
      int firstRow = TOP + 30 + groups.size() * 8;
      int half = (k + 1) / 2;
      for (int i = 0; i < k; i++) {
        boolean onLeft = i < half;
        int row = onLeft ? i : k - 1 - i;
        double y = firstRow + row * ROW;
        double xr = x.applyAsDouble(ranks[i]);
        double edge = onLeft ? left - 12 : right + 12;
        g.draw(new Line2D.Double(xr, TOP, xr, y));
        g.draw(new Line2D.Double(xr, y, edge, y));
        String label = String.format(Locale.ROOT, "%s (%.2f)", names.get(i), ranks[i]);
        float tx = onLeft ? (float) (edge - 4 - fm.stringWidth(label)) : (float) (edge + 4);
        g.drawString(label, tx, (float) (y + fm.getAscent() / 2.0 - 1));
      }
    } finally {
      g.dispose();
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode the critical-difference diagram: " + e.getMessage(), e);
    }
    return bytes.toByteArray();
  }
}
