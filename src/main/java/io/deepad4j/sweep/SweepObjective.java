package io.deepad4j.sweep;

import java.util.Comparator;
import java.util.List;

/** What a sweep optimises: a final metric of each run (metrics.json) and whether higher or lower is better. */
public record SweepObjective(String metric, boolean maximize) {

  /** The final metrics every run writes (docs/SPECS.md, MLflow). */
  public static final List<String> METRICS = List.of("roc_auc", "precision_recall_auc", "average_precision",
      "accuracy_score", "precision_score", "recall_score", "f1_score", "f2_score", "threshold", "train_time_s",
      "inference_time_s", "num_params", "model_size_kb", "epoch_time_median_s", "val_roc_auc");

  public static final SweepObjective DEFAULT = new SweepObjective("roc_auc", true);

  public String mode() {
    return maximize ? "max" : "min";
  }

  /** Orders values best first; NaN (no finished trial) last. */
  public Comparator<Double> bestFirst() {
    return (a, b) -> {
      boolean na = a == null || a.isNaN();
      boolean nb = b == null || b.isNaN();
      if (na || nb) {
        return Boolean.compare(na, nb);
      }
      return maximize ? Double.compare(b, a) : Double.compare(a, b);
    };
  }

  @Override
  public String toString() {
    return metric + " (" + mode() + ")";
  }
}
