package io.deepad4j.bench;

/**
 * The Friedman test on k detectors ranked on N data sets, from their average ranks R_j (Demsar, "Statistical
 * Comparisons of Classifiers over Multiple Data Sets", JMLR 7, 2006, section 3.2.2):
 * chi2_F = 12 N / (k (k + 1)) [sum_j R_j^2 - k (k + 1)^2 / 4], chi-square with k - 1 degrees of freedom under the
 * null hypothesis that all detectors are equivalent; and Iman and Davenport's (1980) less conservative
 * F_F = (N - 1) chi2_F / (N (k - 1) - chi2_F), F-distributed with k - 1 and (k - 1)(N - 1) degrees of freedom.
 * When every data set ranks the detectors the same way, chi2_F = N (k - 1) and F_F is infinite (p = 0).
 *
 * <p>Values that need k >= 2 and N >= 2 are NaN otherwise.
 */
public record Friedman(int k, int n, double chiSquare, double chiSquareP, double imanDavenportF, double fDf1,
    double fDf2, double fP) {

  /** @param averageRanks each detector's average rank over the {@code n} data sets */
  public static Friedman of(double[] averageRanks, int n) {
    int k = averageRanks.length;
    if (k < 2 || n < 2) {
      return new Friedman(k, n, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
    double sumSquares = 0;
    for (double r : averageRanks) {
      sumSquares += r * r;
    }
    double chi = 12.0 * n / (k * (k + 1.0)) * (sumSquares - k * (k + 1.0) * (k + 1.0) / 4);
    chi = Math.max(0, chi); // rounding can leave -1e-15 when all ranks are equal
    double chiP = Distributions.chiSquareSurvival(chi, k - 1);
    double denominator = n * (k - 1.0) - chi;
    double f = denominator <= 1e-12 * n * k ? Double.POSITIVE_INFINITY : (n - 1) * chi / denominator;
    double d1 = k - 1;
    double d2 = (k - 1.0) * (n - 1);
    return new Friedman(k, n, chi, chiP, f, d1, d2, Distributions.fSurvival(f, d1, d2));
  }
}
