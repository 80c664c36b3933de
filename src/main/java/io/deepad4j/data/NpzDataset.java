package io.deepad4j.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * An {@code .npz} file with arrays {@code X} (rows x features) and {@code y} (one label per row,
 * 1 = anomaly, 0 = normal), as ADBench ships its data sets, under ADBench's protocol: a stratified
 * 70/30 train/test split drawn from the seed ({@link StratifiedSplit}), in one of two settings:
 *
 * <ul>
 *   <li>{@code unsupervised} (ADBench's): the detector is fitted on every training row, anomalies
 *       included; it never sees a label.
 *   <li>{@code semi_supervised}: fitted on the normal training rows only (the one-class setting of
 *       the FF12 report).
 * </ul>
 *
 * <p>ADBench has no validation split. Threshold rules that need one ({@code best_accuracy}) get the
 * labelled training part: the threshold is then chosen on rows the detector was fitted on (their
 * labels were never used for fitting), never on the test part. Its ROC AUC ({@code val_roc_auc})
 * is an in-sample figure, optimistic in the semi-supervised setting where the normal rows of that
 * part were fitted on.
 */
public final class NpzDataset {

  /** The settings {@link #load} accepts. */
  public static final List<String> SETTINGS = List.of("unsupervised", "semi_supervised");

  /**
   * The rows and labels of an .npz file, checked.
   *
   * @param x rows x features, finite float values
   * @param y one label per row, 0 or 1
   */
  public record Labelled(float[][] x, int[] y) {}

  private NpzDataset() {}

  /**
   * Loads {@code file} and splits it.
   *
   * @param name the data set's name in logs and outputs, e.g. "adbench/6_cardio"
   * @param setting one of {@link #SETTINGS}
   * @param seed draws the split
   * @throws DataException for anything {@link #read} refuses, or a class too small to appear in
   *     both parts
   */
  public static Dataset load(Path file, String name, String setting, long seed) {
    if (!SETTINGS.contains(setting)) {
      throw new IllegalArgumentException("setting '" + setting + "' is not one of " + SETTINGS);
    }
    Labelled data = read(file);
    long anomalies = IntStream.of(data.y).filter(v -> v == 1).count();
    long normals = data.y.length - anomalies;
    if (anomalies < 2 || normals < 2) {
      throw new DataException(file + ": y holds " + anomalies + " anomalies and " + normals + " normal rows; the"
          + " 70/30 split needs at least 2 of each, so that the test part holds both classes.");
    }
    StratifiedSplit.Parts parts = StratifiedSplit.of(data.y, seed);
    float[][] trainPart = StratifiedSplit.pick(data.x, parts.train());
    int[] trainLabels = StratifiedSplit.pick(data.y, parts.train());
    float[][] train = setting.equals("unsupervised") ? trainPart.clone() // its own array, so that reordering it cannot move validation rows
        : IntStream.range(0, trainPart.length).filter(i -> trainLabels[i] == 0).mapToObj(i -> trainPart[i])
            .toArray(float[][]::new);
    List<String> features = IntStream.range(0, data.x[0].length).mapToObj(j -> "x" + j).toList();
    return new Dataset(name + "/" + setting, features, train, trainPart, trainLabels,
        StratifiedSplit.pick(data.x, parts.test()), StratifiedSplit.pick(data.y, parts.test()), List.of());
  }

  /**
   * Reads and checks {@code X} and {@code y}: X 2-D with finite values (as floats), y 1-D with one
   * label per row of X, each 0 or 1 (integers, floats or booleans).
   *
   * @throws DataException naming the file, the entry and what is wrong
   */
  public static Labelled read(Path file) {
    Map<String, NpyArray> arrays = Npz.read(file, List.of("X", "y"));
    NpyArray x = arrays.get("X");
    NpyArray y = arrays.get("y");
    if (x.shape().length != 2) {
      throw new DataException(x.where() + ": X has shape " + x.shapeText() + "; expected 2-D (rows x features),"
          + " e.g. X.reshape(-1, 1) for a single feature.");
    }
    if (x.rows() == 0 || x.columns() == 0) {
      throw new DataException(x.where() + ": X has shape " + x.shapeText() + ": no rows or no features.");
    }
    if (y.shape().length != 1 || y.rows() != x.rows()) {
      throw new DataException(y.where() + ": y has shape " + y.shapeText() + ", but X has " + x.rows() + " rows;"
          + " y must be 1-D with one label per row of X (y.reshape(-1)).");
    }
    int[] labels = new int[y.rows()];
    for (int i = 0; i < labels.length; i++) {
      double v = y.values()[i];
      if (v != 0 && v != 1) {
        throw new DataException(y.where() + ": y[" + i + "] is " + v + "; labels must be 0 (normal) or 1"
            + " (anomaly). Map the classes first, e.g. y = (y != normal_class).astype('int64').");
      }
      labels[i] = (int) v;
    }
    float[][] rows = new float[x.rows()][x.columns()];
    double[] values = x.values();
    for (int i = 0, k = 0; i < rows.length; i++) {
      for (int j = 0; j < rows[i].length; j++, k++) {
        float f = (float) values[k];
        if (!Float.isFinite(f)) {
          throw new DataException(x.where() + ": X[" + i + ", " + j + "] is " + values[k]
              + (Double.isFinite(values[k]) ? ", beyond a float," : "") + " but every value must be a finite"
              + " number. Drop or impute missing and infinite values before saving the file.");
        }
        rows[i][j] = f;
      }
    }
    return new Labelled(rows, labels);
  }
}
