package io.deepad4j.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The Nemenyi post-hoc test after a Friedman test: two detectors differ significantly (alpha = 0.05) when their
 * average ranks differ by at least the critical difference CD = q_0.05 sqrt(k (k + 1) / (6 N)) (Demsar 2006, JMLR 7,
 * section 3.2.2).
 */
public final class Nemenyi {
  /**
   * q_0.05 for k = 2..20 (index k - 2): the 0.95 quantile of the studentized range of k means with infinite degrees
   * of freedom, divided by sqrt(2). k = 2..10: Demsar (2006), Table 5(a). k = 11..20: the same statistic beyond
   * Demsar's table, from the studentized range tables for infinite degrees of freedom (q = 4.55 ... 5.01). The test
   * checks every value by integrating the range distribution, k phi(z) [Phi(z) - Phi(z - q sqrt 2)]^(k-1), to 0.95.
   */
  static final double[] Q_05 = {1.960, 2.343, 2.569, 2.728, 2.850, 2.949, 3.031, 3.102, 3.164, 3.219, 3.268, 3.313,
      3.354, 3.391, 3.426, 3.458, 3.489, 3.517, 3.544};

  /** The largest number of detectors with a q_0.05 value. */
  public static final int MAX_K = Q_05.length + 1;

  private Nemenyi() {}

  /** q_0.05 for {@code k} detectors, 2 <= k <= {@value #MAX_K}. */
  public static double q05(int k) {
    if (k < 2 || k > MAX_K) {
      throw new IllegalArgumentException("the Nemenyi table covers 2 to " + MAX_K + " detectors, got " + k);
    }
    return Q_05[k - 2];
  }

  /** CD for {@code k} detectors on {@code n} data sets; NaN when k is outside 2..20 or n < 1. */
  public static double criticalDifference(int k, int n) {
    if (k < 2 || k > MAX_K || n < 1) {
      return Double.NaN;
    }
    return q05(k) * Math.sqrt(k * (k + 1.0) / (6.0 * n));
  }

  /**
   * The groups of detectors not significantly different from each other, as the bars of a critical-difference
   * diagram: given average ranks in increasing order, each maximal run [first, last] (indices into that order, with
   * last > first) whose ranks span less than {@code cd}. Runs contained in another are left out.
   */
  public static List<int[]> groups(double[] sortedRanks, double cd) {
    List<int[]> groups = new ArrayList<>();
    int lastEnd = 0;
    for (int i = 0; i < sortedRanks.length; i++) {
      int j = i;
      while (j + 1 < sortedRanks.length && sortedRanks[j + 1] - sortedRanks[i] < cd) {
        j++;
      }
      if (j > i && j > lastEnd) {
        groups.add(new int[] {i, j});
        lastEnd = j;
      }
    }
    return groups;
  }
}
