package io.deepad4j.models;

import io.deepad4j.engine.TrainingHistory;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seeded samples of training rows: the cap of detectors whose cost grows faster than their
 * training rows (kNN, LOF: every scored row against every kept row; the one-class SVM: libsvm's
 * solver), and the isolation forest's per-tree samples. The same seed draws the same rows.
 */
public final class TrainingRows {
  /** Metric: the training rows the model kept (after the cap). */
  public static final String ROWS_METRIC = "train_rows";
  /** Metric: 1 when the cap applied (fewer rows kept than given), else 0. */
  public static final String CAPPED_METRIC = "train_rows_capped";
  private static final Logger log = LoggerFactory.getLogger(TrainingRows.class);

  private TrainingRows() {}

  /**
   * {@code size} distinct indices of 0..n-1 drawn with {@code seed} (a partial Fisher-Yates
   * shuffle), in ascending order; every index when size is 0 or at least n.
   */
  public static int[] sample(int n, int size, long seed) {
    int[] index = new int[n];
    Arrays.setAll(index, i -> i);
    if (size <= 0 || size >= n) {
      return index;
    }
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < size; i++) {
      int j = i + random.nextInt(n - i);
      int t = index[i];
      index[i] = index[j];
      index[j] = t;
    }
    int[] chosen = Arrays.copyOf(index, size);
    Arrays.sort(chosen);
    return chosen;
  }

  /** A seeded sample of {@code size} rows in their original order; the same array when size is 0 or too large. */
  public static float[][] subsample(float[][] rows, int size, long seed) {
    if (size <= 0 || size >= rows.length) {
      return rows;
    }
    int[] chosen = sample(rows.length, size, seed);
    float[][] out = new float[size][];
    for (int i = 0; i < size; i++) {
      out[i] = rows[chosen[i]];
    }
    return out;
  }

  /**
   * At most {@code max} of {@code rows} (0 = all), drawn with {@code seed}; logs whether the cap
   * applied and records it in {@code history} as the metrics {@value #ROWS_METRIC} and {@value
   * #CAPPED_METRIC}, so that a run's metrics say how many rows the model saw.
   *
   * @param key the spec key of the cap, for the log line (e.g. model.max_train_rows)
   */
  public static float[][] cap(float[][] rows, int max, long seed, String model, String key, TrainingHistory history) {
    float[][] kept = subsample(rows, max, seed);
    boolean capped = kept.length < rows.length;
    if (capped) {
      log.info("{}: trained on {} of {} training rows drawn with the seed ({} = {})", model, kept.length, rows.length, key, max);
    } else {
      log.info("{}: trained on all {} training rows ({} = {})", model, rows.length, key, max);
    }
    history.putMetric(ROWS_METRIC, kept.length).putMetric(CAPPED_METRIC, capped ? 1 : 0);
    return kept;
  }
}
