package io.deepad4j.evaluation;

import java.util.Objects;
import java.util.function.ToIntFunction;

/**
 * What every plot of a run names in its title besides what it shows: the model type and the run, so that a PNG
 * downloaded from MLflow or copied out of its folder still says where it comes from. The title is
 * {@code "<what> - <model type> - <run name> (<run id>)"}; a run name too long for the plot's width is shortened in
 * its middle ({@link #fit}), the run id never.
 *
 * @param modelType the spec's model.type (ae, bigan, pca, ...)
 * @param runName the run's name, or its folder's name (name and time stamp) for a run that is not tracked
 * @param runId the MLflow run id; null or blank for a run that is not tracked
 */
public record PlotTitle(String modelType, String runName, String runId) {
  static final String SEPARATOR = " - ";
  static final String ELLIPSIS = "...";

  public PlotTitle {
    Objects.requireNonNull(modelType, "modelType");
    Objects.requireNonNull(runName, "runName");
    runId = runId == null || runId.isBlank() ? null : runId;
  }

  /** The full title of the plot that shows {@code what}. */
  public String of(String what) {
    return title(what, runName);
  }

  private String title(String what, String name) {
    return what + SEPARATOR + modelType + SEPARATOR + name + (runId == null ? "" : " (run " + runId + ")");
  }

  /**
   * {@link #of} if it is at most {@code maxWidth} wide by {@code width}, else the same with the run name cut in its
   * middle (both ends kept: a sweep trial's name begins with the sweep and ends with its point) to the longest that
   * fits.
   *
   * @param width the rendered width of a string (in pixels, for the title's font)
   */
  public String fit(String what, int maxWidth, ToIntFunction<String> width) {
    String full = of(what);
    if (width.applyAsInt(full) <= maxWidth) {
      return full;
    }
    for (int keep = runName.length() - 1; keep > 0; keep--) {
      int head = (keep + 1) / 2;
      String shortened = title(what, runName.substring(0, head) + ELLIPSIS + runName.substring(runName.length() - (keep - head)));
      if (width.applyAsInt(shortened) <= maxWidth) {
        return shortened;
      }
    }
    return title(what, ELLIPSIS);
  }
}
