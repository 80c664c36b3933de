package io.deepad4j.data;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * ADBench's train/test protocol (Han et al., "ADBench: Anomaly Detection Benchmark", NeurIPS 2022):
 * a stratified 70/30 split drawn from a seed. Each class is split on its own, so both parts keep
 * the data set's anomaly ratio.
 *
 * <p>Exactly: for each label value in ascending order, take that class's row indices in ascending
 * order ({@code n} of them); {@code round(0.3 n)} (halves up, i.e. {@code (3n + 5) / 10} in integer
 * arithmetic) go to the test part: a partial Fisher-Yates shuffle draws them, position {@code i}
 * (from 0) swapping with {@code i + nextInt(n - i)} of one {@link SplittableRandom} seeded with the
 * seed and shared by the classes in that order. The rest are the training part. The same labels
 * and seed always give the same parts; {@code ./runner split} writes them for other tools.
 */
public final class StratifiedSplit {

  /** Share of each class in the test part. */
  public static final double TEST_FRACTION = 0.3;

  /**
   * The two parts, each sorted ascending, disjoint, together every row.
   *
   * @param train training row indices
   * @param test test row indices
   */
  public record Parts(int[] train, int[] test) {}

  private StratifiedSplit() {}

  /** Test rows of a class of {@code n} rows: round(0.3 n), halves up. */
  static int testCount(int n) {
    return (int) ((3L * n + 5) / 10);
  }

  /** Splits the rows whose labels are {@code labels} (any integer classes). */
  public static Parts of(int[] labels, long seed) {
    // the row indices grouped by class, classes ascending, rows ascending within a class (a stable sort)
    int[] rows = IntStream.range(0, labels.length).boxed()
        .sorted(Comparator.comparingInt(i -> labels[i])).mapToInt(Integer::intValue).toArray();
    SplittableRandom random = new SplittableRandom(seed);
    boolean[] inTest = new boolean[labels.length];
    int tests = 0;
    for (int start = 0, end; start < rows.length; start = end) {
      end = start;
      while (end < rows.length && labels[rows[end]] == labels[rows[start]]) {
        end++;
      }
      int n = end - start;
      int take = testCount(n);
      for (int i = 0; i < take; i++) {
        int j = start + i + random.nextInt(n - i);
        int t = rows[start + i];
        rows[start + i] = rows[j];
        rows[j] = t;
        inTest[rows[start + i]] = true;
      }
      tests += take;
    }
    int[] train = new int[labels.length - tests];
    int[] test = new int[tests];
    int a = 0;
    int b = 0;
    for (int i = 0; i < labels.length; i++) {
      if (inTest[i]) {
        test[b++] = i;
      } else {
        train[a++] = i;
      }
    }
    return new Parts(train, test);
  }

  /** Rows {@code indices} of {@code rows} (shared, not copied). */
  static float[][] pick(float[][] rows, int[] indices) {
    return Arrays.stream(indices).mapToObj(i -> rows[i]).toArray(float[][]::new);
  }

  /** Labels {@code indices} of {@code labels}. */
  static int[] pick(int[] labels, int[] indices) {
    return Arrays.stream(indices).map(i -> labels[i]).toArray();
  }
}
