package io.deepad4j.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-epoch losses and times of one training run, and the few numbers a fit reports about itself
 * (e.g. how many training rows it used), which the run adds to its metrics.
 */
public final class TrainingHistory {
  private final List<Map<String, Double>> epochs = new ArrayList<>();
  private final List<Double> seconds = new ArrayList<>();
  private final Map<String, Double> fitMetrics = new LinkedHashMap<>();
  private int bestEpoch;

  /** Records a number about the fit under an MLflow metric name (metrics.json and MLflow). */
  public TrainingHistory putMetric(String name, double value) {
    fitMetrics.put(name, value);
    return this;
  }

  /** The numbers the fit reported, in the order put. */
  public Map<String, Double> fitMetrics() {
    return java.util.Collections.unmodifiableMap(fitMetrics);
  }

  public void add(Map<String, Double> losses, double epochSeconds) {
    epochs.add(new LinkedHashMap<>(losses));
    seconds.add(epochSeconds);
  }

  /** The 1-based epoch whose held-out rows scored lowest; 0 without a validation split. */
  public int bestEpoch() {
    return bestEpoch;
  }

  public void setBestEpoch(int epoch) {
    if (epoch < 1 || epoch > epochs.size()) {
      throw new IllegalArgumentException("best epoch " + epoch + " outside 1.." + epochs.size());
    }
    bestEpoch = epoch;
  }

  public int size() {
    return epochs.size();
  }

  /** Losses of epoch {@code i} (0-based). */
  public Map<String, Double> epoch(int i) {
    return Map.copyOf(epochs.get(i));
  }

  public double epochSeconds(int i) {
    return seconds.get(i);
  }

  public List<Double> epochSeconds() {
    return List.copyOf(seconds);
  }

  /** Column names in first-seen order. */
  public List<String> lossNames() {
    LinkedHashMap<String, Boolean> names = new LinkedHashMap<>();
    for (Map<String, Double> e : epochs) {
      for (String k : e.keySet()) {
        names.put(k, true);
      }
    }
    return List.copyOf(names.keySet());
  }

  /** history.csv: epoch, one column per loss, seconds. */
  public String toCsv() {
    List<String> names = lossNames();
    StringBuilder sb = new StringBuilder("epoch");
    for (String n : names) {
      sb.append(',').append(n);
    }
    sb.append(",epoch_time_s\n");
    for (int i = 0; i < epochs.size(); i++) {
      sb.append(i + 1);
      for (String n : names) {
        Double v = epochs.get(i).get(n);
        sb.append(',').append(v == null ? "" : Double.toString(v));
      }
      sb.append(',').append(seconds.get(i)).append('\n');
    }
    return sb.toString();
  }
}
