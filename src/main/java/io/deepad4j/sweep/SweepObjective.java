package io.deepad4j.sweep;

import io.deepad4j.evaluation.MetricName;
import java.util.Comparator;
import java.util.List;

/** What a sweep optimises: a final metric of each run (metrics.json) and whether higher or lower is better. */
public record SweepObjective(String metric, boolean maximize) {

  /** The final metrics every run writes (docs/SPECS.md, MLflow). */
  public static final List<String> METRICS = MetricName.keys();

  /**
   * The validation split's ROC AUC, highest first: hyperparameters are chosen without looking at the test
   * split (whose roc_auc then reports the chosen point honestly).
   */
  public static final SweepObjective DEFAULT = new SweepObjective(MetricName.VAL_ROC_AUC.key(), true);

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
