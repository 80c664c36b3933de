package io.deepad4j.bench;

import io.deepad4j.evaluation.MetricName;
import java.util.Locale;

/**
 * One row of the benchmark results contract: one detector fitted on one data set's training part under one seed and
 * scored on its test part. A failed row ({@link Status#FAILED}) carries no metrics and no times (NaN here, empty
 * cells in the CSV); its row counts are still given.
 *
 * @param dataset the data set's name (an ADBench file name without {@code .npz}, e.g. {@code 6_cardio})
 * @param detector the detector's name (our model type: iforest, ecod, knn, lof, pca, ocsvm, ae, vae)
 * @param seed the seed of the split (and of the detector)
 * @param rocAuc ROC AUC on the test part, in [0, 1]
 * @param averagePrecision average precision on the test part ({@code evaluation.Metrics.averagePrecision}), [0, 1]
 * @param fitTimeS seconds to fit, at least 0
 * @param scoreTimeS seconds to score the test part, at least 0
 * @param trainRows rows of the training part
 * @param trainRowsUsed training rows the detector was fitted on (fewer when capped, as the one-class SVM is)
 * @param status whether the fit and scoring finished
 */
public record BenchResult(String dataset, String detector, int seed, double rocAuc, double averagePrecision,
    double fitTimeS, double scoreTimeS, int trainRows, int trainRowsUsed, Status status) {

  /** Whether the detector fitted and scored. */
  public enum Status {
    OK, FAILED;

    /** The name in the CSV: {@code ok} or {@code failed}. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** @throws IllegalArgumentException naming the field that breaks the contract */
  public BenchResult {
    if (dataset == null || dataset.isBlank() || detector == null || detector.isBlank()) {
      throw new IllegalArgumentException("dataset and detector must be non-empty names");
    }
    if (status == null) {
      throw new IllegalArgumentException("status must be ok or failed");
    }
    if (trainRows < 1 || trainRowsUsed < 1 || trainRowsUsed > trainRows) {
      throw new IllegalArgumentException("train_rows_used must be between 1 and train_rows (" + trainRows
          + "), got " + trainRowsUsed);
    }
    double[] measured = {rocAuc, averagePrecision, fitTimeS, scoreTimeS};
    if (status == Status.OK) {
      checkUnit(MetricName.ROC_AUC.key(), rocAuc);
      checkUnit(MetricName.AVERAGE_PRECISION.key(), averagePrecision);
      checkTime("fit_time_s", fitTimeS);
      checkTime("score_time_s", scoreTimeS);
    } else {
      for (double v : measured) {
        if (!Double.isNaN(v)) {
          throw new IllegalArgumentException("a failed row carries no metrics or times (empty cells), got " + v);
        }
      }
    }
  }

  /** A finished row. */
  public static BenchResult ok(String dataset, String detector, int seed, double rocAuc, double averagePrecision,
      double fitTimeS, double scoreTimeS, int trainRows, int trainRowsUsed) {
    return new BenchResult(dataset, detector, seed, rocAuc, averagePrecision, fitTimeS, scoreTimeS, trainRows,
        trainRowsUsed, Status.OK);
  }

  /** A failed row: no metrics, no times. */
  public static BenchResult failed(String dataset, String detector, int seed, int trainRows, int trainRowsUsed) {
    return new BenchResult(dataset, detector, seed, Double.NaN, Double.NaN, Double.NaN, Double.NaN, trainRows,
        trainRowsUsed, Status.FAILED);
  }

  public boolean isOk() {
    return status == Status.OK;
  }

  /** Fit plus score time, seconds. */
  public double totalTimeS() {
    return fitTimeS + scoreTimeS;
  }

  private static void checkUnit(String name, double v) {
    if (!(v >= 0 && v <= 1)) {
      throw new IllegalArgumentException(name + " must be in [0, 1], got " + v);
    }
  }

  private static void checkTime(String name, double v) {
    if (!(v >= 0) || Double.isInfinite(v)) {
      throw new IllegalArgumentException(name + " must be a number of seconds, at least 0, got " + v);
    }
  }
}
