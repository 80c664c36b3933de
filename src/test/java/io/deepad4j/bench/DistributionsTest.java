package io.deepad4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The tail probabilities against closed forms and against printed table values. */
class DistributionsTest {

  @Test
  void logGammaMatchesFactorialsAndHalfIntegers() {
    assertEquals(Math.log(24), Distributions.logGamma(5), 1e-13);
    assertEquals(Math.log(362880), Distributions.logGamma(10), 1e-12);
    assertEquals(Math.log(Math.sqrt(Math.PI)), Distributions.logGamma(0.5), 1e-13); // Gamma(1/2) = sqrt(pi)
    assertEquals(Math.log(0.75 * Math.sqrt(Math.PI)), Distributions.logGamma(2.5), 1e-13); // 3/2 * 1/2 * sqrt(pi)
    assertEquals(Math.log(Math.PI / Math.sin(Math.PI * 0.2)) - Distributions.logGamma(0.8),
        Distributions.logGamma(0.2), 1e-12);
    // log 100! = 363.73937555556347 (Stirling's series to many terms)
    assertEquals(363.73937555556347, Distributions.logGamma(101), 1e-9);
  }

  @Test
  void chiSquareTailAgainstClosedFormsAndTables() {
    // 2 degrees of freedom: P(X >= x) = exp(-x / 2) exactly
    for (double x : new double[] {0.1, 1, 3.7, 9.21, 40}) {
      assertEquals(Math.exp(-x / 2), Distributions.chiSquareSurvival(x, 2), 1e-14 + 1e-12 * Math.exp(-x / 2));
    }
    // 4 degrees of freedom: exp(-x/2) (1 + x/2)
    assertEquals(Math.exp(-5) * 6, Distributions.chiSquareSurvival(10, 4), 1e-14);
    // upper critical values of the chi-square distribution (any statistics table, e.g. NIST/SEMATECH e-Handbook,
    // 1.3.6.7.4): the tail there is the table's alpha to the table's 3 decimals
    double[][] table = { // df, critical value, alpha
        {1, 3.841, 0.05}, {1, 6.635, 0.01}, {3, 7.815, 0.05}, {5, 11.070, 0.05}, {10, 18.307, 0.05},
        {10, 23.209, 0.01}, {19, 30.144, 0.05}, {30, 43.773, 0.05}, {3, 0.352, 0.95}};
    for (double[] row : table) {
      assertEquals(row[2], Distributions.chiSquareSurvival(row[1], row[0]), 5e-5, "df " + row[0] + " at " + row[1]);
    }
    assertEquals(1.0, Distributions.chiSquareSurvival(0, 3), 0);
  }

  @Test
  void fTailAgainstClosedFormsAndTables() {
    // d1 = 2: P(F >= f) = (1 + 2 f / d2)^(-d2 / 2) exactly
    for (double d2 : new double[] {1, 5, 12, 39}) {
      for (double f : new double[] {0.3, 1, 2.5, 8}) {
        assertEquals(Math.pow(1 + 2 * f / d2, -d2 / 2), Distributions.fSurvival(f, 2, d2), 1e-13, d2 + " " + f);
      }
    }
    // F(1, d2) is t^2 with d2 df: with d2 = 1 (Cauchy) P(F >= f) = 1 - 2 atan(sqrt f) / pi
    assertEquals(1 - 2 * Math.atan(Math.sqrt(3)) / Math.PI, Distributions.fSurvival(3, 1, 1), 1e-13);
    // upper 5% and 1% points of F (NIST/SEMATECH e-Handbook 1.3.6.7.3; Demsar 2006 uses F(3, 39) = 2.85 at 5%)
    double[][] table = { // d1, d2, critical value, alpha
        {1, 10, 4.965, 0.05}, {3, 39, 2.845, 0.05}, {5, 20, 2.711, 0.05}, {4, 12, 3.259, 0.05},
        {10, 10, 2.978, 0.05}, {3, 10, 6.552, 0.01}, {7, 30, 3.304, 0.01}};
    for (double[] row : table) {
      assertEquals(row[3], Distributions.fSurvival(row[2], row[0], row[1]), 1e-4, row[0] + ", " + row[1]);
    }
    assertEquals(0.0, Distributions.fSurvival(Double.POSITIVE_INFINITY, 3, 9), 0);
    assertEquals(1.0, Distributions.fSurvival(0, 3, 9), 0);
  }

  @Test
  void incompleteBetaSymmetryAndSpecialCases() {
    // I_x(1, 1) = x; I_x(a, 1) = x^a; I_x(a, b) = 1 - I_(1-x)(b, a)
    assertEquals(0.3, Distributions.regularizedBeta(0.3, 1, 1), 1e-14);
    assertEquals(Math.pow(0.7, 4.5), Distributions.regularizedBeta(0.7, 4.5, 1), 1e-14);
    assertEquals(1 - Distributions.regularizedBeta(0.65, 7, 2.5), Distributions.regularizedBeta(0.35, 2.5, 7),
        1e-14);
    assertThrows(IllegalArgumentException.class, () -> Distributions.regularizedBeta(1.5, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> Distributions.regularizedGammaP(-1, 1));
  }

  @Test
  void incompleteGammaSidesAgree() {
    // P + Q = 1 on both sides of the series / continued-fraction switch (x = a + 1)
    for (double a : new double[] {0.5, 1, 3.5, 20}) {
      for (double x : new double[] {0.2, a, a + 0.999, a + 1.001, 3 * a + 2}) {
        assertEquals(1.0, Distributions.regularizedGammaP(a, x) + Distributions.regularizedGammaQ(a, x), 1e-14);
      }
    }
    // P(1, x) = 1 - exp(-x)
    assertEquals(1 - Math.exp(-2.5), Distributions.regularizedGammaP(1, 2.5), 1e-14);
  }
}
