package io.deepad4j.evaluation;

import java.util.Arrays;
import java.util.List;

/**
 * The final metrics every run writes (metrics.json, MLflow), by the names MLflow and scikit-learn
 * users know. Declared once here: the evaluation, the runner, sweep objectives, bench and compare
 * take their names from this list.
 */
public enum MetricName {
  ROC_AUC("roc_auc"),
  PRECISION_RECALL_AUC("precision_recall_auc"),
  /** average precision (scikit-learn's average_precision_score; ADBench's "PR AUC") */
  AVERAGE_PRECISION("average_precision"),
  ACCURACY("accuracy_score"),
  PRECISION("precision_score"),
  RECALL("recall_score"),
  F1("f1_score"),
  F2("f2_score"),
  THRESHOLD("threshold"),
  /** test rows whose score equals the threshold; written only when there are any */
  THRESHOLD_TIES("threshold_ties"),
  /** ROC AUC on the labelled validation split, for choosing hyperparameters without the test split */
  VAL_ROC_AUC("val_roc_auc"),
  TRAIN_TIME_S("train_time_s"),
  INFERENCE_TIME_S("inference_time_s"),
  NUM_PARAMS("num_params"),
  MODEL_SIZE_KB("model_size_kb"),
  EPOCH_TIME_MEDIAN_S("epoch_time_median_s"),
  /** median over epochs of the mean seconds per training step (the steps only, not held-out scoring) */
  STEP_TIME_MEDIAN_S("step_time_median_s"),
  /** the epoch whose weights were kept (early stopping or best weights); written only for such runs */
  BEST_EPOCH("best_epoch"),
  /** training rows the detector was fitted on; written by detectors that cap them (knn, lof, ocsvm) */
  TRAIN_ROWS("train_rows"),
  /** 1 when the cap applied (fewer rows than the training split), else 0; with {@link #TRAIN_ROWS} */
  TRAIN_ROWS_CAPPED("train_rows_capped");

  private final String key;

  MetricName(String key) {
    this.key = key;
  }

  /** The name in metrics.json and MLflow. */
  public String key() {
    return key;
  }

  /** Every metric's name, in declaration order. */
  public static List<String> keys() {
    return Arrays.stream(values()).map(MetricName::key).toList();
  }

  /** The names of {@code metrics}, in their order. */
  public static List<String> keys(MetricName... metrics) {
    return Arrays.stream(metrics).map(MetricName::key).toList();
  }

  @Override
  public String toString() {
    return key;
  }
}
