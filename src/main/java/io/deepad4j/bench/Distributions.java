package io.deepad4j.bench;

/**
 * Tail probabilities of the chi-square and F distributions, for the Friedman test's p-values, through the
 * regularized incomplete gamma and beta functions. Written from their definitions: the gamma function by Lanczos'
 * approximation (g = 7, 9 terms; about 15 significant digits), P(a, x) by its power series below x = a + 1 and
 * Q(a, x) by its continued fraction above, I_x(a, b) by its continued fraction (evaluated with the modified Lentz
 * method, on the side of x where it converges fast). See Abramowitz and Stegun, Handbook of Mathematical Functions,
 * 6.5 and 26.5, for the expansions.
 */
public final class Distributions {
  private static final double[] LANCZOS = {0.99999999999980993, 676.5203681218851, -1259.1392167224028,
      771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
      1.5056327351493116e-7};
  private static final double EPSILON = 1e-15;
  private static final double TINY = 1e-300;
  private static final int MAX_ITERATIONS = 10_000;

  private Distributions() {}

  /** log Gamma(x) for x > 0. */
  public static double logGamma(double x) {
    if (!(x > 0)) {
      throw new IllegalArgumentException("logGamma needs x > 0, got " + x);
    }
    if (x < 0.5) { // reflection: Gamma(x) Gamma(1 - x) = pi / sin(pi x)
      return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
    }
    double z = x - 1;
    double sum = LANCZOS[0];
    for (int i = 1; i < LANCZOS.length; i++) {
      sum += LANCZOS[i] / (z + i);
    }
    double t = z + 7.5;
    return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
  }

  /** The regularized lower incomplete gamma function P(a, x) = gamma(a, x) / Gamma(a), a > 0, x >= 0. */
  public static double regularizedGammaP(double a, double x) {
    checkGamma(a, x);
    if (x == 0) {
      return 0;
    }
    return x < a + 1 ? gammaSeries(a, x) : 1 - gammaContinuedFraction(a, x);
  }

  /** The regularized upper incomplete gamma function Q(a, x) = 1 - P(a, x), accurate when small. */
  public static double regularizedGammaQ(double a, double x) {
    checkGamma(a, x);
    if (x == 0) {
      return 1;
    }
    return x < a + 1 ? 1 - gammaSeries(a, x) : gammaContinuedFraction(a, x);
  }

  /** The regularized incomplete beta function I_x(a, b), a, b > 0, 0 <= x <= 1. */
  public static double regularizedBeta(double x, double a, double b) {
    if (!(a > 0 && b > 0 && x >= 0 && x <= 1)) {
      throw new IllegalArgumentException("regularizedBeta needs a, b > 0 and x in [0, 1], got x=" + x + " a=" + a
          + " b=" + b);
    }
    if (x == 0 || x == 1) {
      return x;
    }
    double logFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x);
    // the continued fraction converges fast for x < (a + 1) / (a + b + 2); otherwise use I_x(a, b) = 1 - I_(1-x)(b, a)
    if (x < (a + 1) / (a + b + 2)) {
      return Math.exp(logFront) * betaContinuedFraction(x, a, b) / a;
    }
    return 1 - Math.exp(logFront) * betaContinuedFraction(1 - x, b, a) / b;
  }

  /** P(X >= x) for X ~ chi-square with {@code df} degrees of freedom: Q(df / 2, x / 2). */
  public static double chiSquareSurvival(double x, double df) {
    if (!(df > 0)) {
      throw new IllegalArgumentException("chi-square needs df > 0, got " + df);
    }
    return x <= 0 ? 1 : regularizedGammaQ(df / 2, x / 2);
  }

  /** P(X >= f) for X ~ F(d1, d2): I_(d2 / (d2 + d1 f))(d2 / 2, d1 / 2). +Infinity gives 0. */
  public static double fSurvival(double f, double d1, double d2) {
    if (!(d1 > 0 && d2 > 0)) {
      throw new IllegalArgumentException("the F distribution needs d1, d2 > 0, got " + d1 + ", " + d2);
    }
    if (f <= 0) {
      return 1;
    }
    if (f == Double.POSITIVE_INFINITY) {
      return 0;
    }
    return regularizedBeta(d2 / (d2 + d1 * f), d2 / 2, d1 / 2);
  }

  private static void checkGamma(double a, double x) {
    if (!(a > 0 && x >= 0)) {
      throw new IllegalArgumentException("the incomplete gamma function needs a > 0 and x >= 0, got a=" + a + " x="
          + x);
    }
  }

  /** P(a, x) = e^-x x^a / Gamma(a + 1) * sum_n x^n / ((a + 1) ... (a + n)). */
  private static double gammaSeries(double a, double x) {
    double term = 1 / a;
    double sum = term;
    for (int n = 1; n < MAX_ITERATIONS; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * EPSILON) {
        break;
      }
    }
    return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
  }

  /** Q(a, x) = e^-x x^a / Gamma(a) * 1 / (x + 1 - a - 1 (1 - a) / (x + 3 - a - 2 (2 - a) / (x + 5 - a - ...))). */
  private static double gammaContinuedFraction(double a, double x) {
    double b = x + 1 - a;
    Lentz fraction = new Lentz(1 / TINY, 1 / b);
    for (int n = 1; n < MAX_ITERATIONS; n++) {
      b += 2;
      if (fraction.converged(fraction.step(-n * (n - a), b))) {
        break;
      }
    }
    return fraction.value * Math.exp(-x + a * Math.log(x) - logGamma(a));
  }

  /**
   * The continued fraction 1 / (1 + d1 / (1 + d2 / (1 + ...))) of I_x(a, b), with d(2m + 1) = -(a + m)(a + b + m) x
   * / ((a + 2m)(a + 2m + 1)) and d(2m) = m (b - m) x / ((a + 2m - 1)(a + 2m)).
   */
  private static double betaContinuedFraction(double x, double a, double b) {
    Lentz fraction = new Lentz(1, 1 / nonZero(1 - (a + b) * x / (a + 1)));
    for (int m = 1; m < MAX_ITERATIONS; m++) {
      fraction.step(m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)), 1);
      if (fraction.converged(fraction.step(-(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)), 1))) {
        break;
      }
    }
    return fraction.value;
  }

  private static double nonZero(double v) {
    return Math.abs(v) < TINY ? TINY : v;
  }

  /**
   * The modified Lentz method for a continued fraction b0 + a1 / (b1 + a2 / (b2 + ...)): the running value is the
   * product of the factors each step returns; a zero denominator is nudged to 1e-300 (Lentz 1976, with the
   * modification of Thompson and Barnett, J. Comput. Phys. 64, 1986).
   */
  private static final class Lentz {
    private double c;
    private double d;
    private double value;

    Lentz(double c, double d) {
      this.c = c;
      this.d = d;
      this.value = d;
    }

    /** Takes in the next term a_n / b_n and returns the factor it changed the value by. */
    double step(double an, double bn) {
      d = 1 / nonZero(bn + an * d);
      c = nonZero(bn + an / c);
      double delta = d * c;
      value *= delta;
      return delta;
    }

    boolean converged(double delta) {
      return Math.abs(delta - 1) < EPSILON;
    }
  }
}
