package io.deepad4j.evaluation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The training history as a PNG in the run folder, beside the evaluation's plots (Keras users plot {@code
 * history.history['loss']} and {@code ['val_loss']}): each loss per epoch (loss; a GAN's d_loss, g_loss, e_loss)
 * and, with a validation split, the held-out rows' mean score per epoch on a second axis. The numbers are
 * history.csv's.
 */
public final class LossCurvePlot {
  /** The file in the run folder (mlflow.evaluate's naming, as roc_curve_plot.png). */
  public static final String FILE_NAME = "loss_curve_plot.png";

  private LossCurvePlot() {}

  /**
   * Writes {@link #FILE_NAME} into {@code runDir} (created if missing).
   *
   * @param losses each loss's values, epoch 1 first, in the order to draw them; at least one epoch
   * @param valScore the held-out rows' mean score per epoch, or null without a validation split
   * @param valScoreName its name in the history (val_score)
   */
  public static Path write(Path runDir, Map<String, double[]> losses, double[] valScore, String valScoreName,
      PlotTitle title) throws IOException {
    if (losses.isEmpty() || losses.values().stream().allMatch(v -> v.length == 0)) {
      throw new IllegalArgumentException("no epochs to plot: a loss curve needs at least one epoch of one loss");
    }
    Files.createDirectories(runDir);
    Path file = runDir.resolve(FILE_NAME);
    EvaluationCharts.save(EvaluationCharts.lossChart(new LinkedHashMap<>(losses), valScore, valScoreName, title), file);
    return file;
  }

  /** The title {@link #write} gives the plot. */
  public static String title(PlotTitle title) {
    return EvaluationCharts.fitTitle(EvaluationCharts.LOSS_WHAT, title);
  }
}
