package io.deepad4j.evaluation;

import io.deepad4j.data.Numbers;
import java.util.Arrays;
import java.util.Locale;

/**
 * How the decision threshold is chosen; rows with {@code score > threshold} are predicted anomalous. Written in a
 * spec as {@code evaluation.threshold}:
 * <ul>
 *   <li>{@code best_accuracy}: the threshold that maximises accuracy on the labelled validation split (FF12);</li>
 *   <li>{@code percentile:P}: the P-th percentile of the test scores, 0 &lt; P &lt; 100 (Zenati et al. 2018 use
 *       percentile:80 with 20% anomalies in the test set); uses the test scores but never the test labels;</li>
 *   <li>{@code anomaly_ratio}: the papers' rule of GOAD and NeuTraL AD (and Zenati et al.'s, whose test split holds
 *       exactly 20% anomalies): flag as many test rows as the test split holds anomalies, i.e. the
 *       {@code 100 * (1 - a)}-th percentile of the test scores, where {@code a} is the test split's anomaly share. It
 *       uses how many test rows are anomalies, never which ones;</li>
 *   <li>{@code value:X}: the fixed threshold X.</li>
 * </ul>
 */
public sealed interface ThresholdRule {
  String VALID_FORMS = "best_accuracy, percentile:P (0 < P < 100, e.g. percentile:80), anomaly_ratio or value:X "
      + "(e.g. value:0.05)";

  /**
   * Parses a rule; the kind is case-insensitive and spaces around the parts are ignored.
   *
   * @throws IllegalArgumentException naming the valid forms when the text is none of them
   */
  static ThresholdRule parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("threshold rule is empty; expected " + VALID_FORMS);
    }
    String trimmed = text.trim();
    int colon = trimmed.indexOf(':');
    String kind = (colon < 0 ? trimmed : trimmed.substring(0, colon)).trim().toLowerCase(Locale.ROOT);
    String argument = colon < 0 ? null : trimmed.substring(colon + 1).trim();
    switch (kind) {
      case "best_accuracy":
        if (argument != null) {
          throw new IllegalArgumentException("threshold rule '" + text + "': best_accuracy takes no argument; expected "
              + VALID_FORMS);
        }
        return new BestAccuracy();
      case "anomaly_ratio":
        if (argument != null) {
          throw new IllegalArgumentException("threshold rule '" + text + "': anomaly_ratio takes no argument; expected "
              + VALID_FORMS);
        }
        return new AnomalyRatio();
      case "percentile":
        return new Percentile(number(text, argument));
      case "value":
        return new Value(number(text, argument));
      default:
        throw new IllegalArgumentException("unknown threshold rule '" + text + "'; expected " + VALID_FORMS);
    }
  }

  /**
   * The threshold for the test scores.
   *
   * @param valScores validation scores (used by best_accuracy only; may be null otherwise)
   * @param valLabels validation labels, 1 = anomaly (used by best_accuracy only; may be null otherwise)
   * @param testScores test scores (used by percentile only; may be null otherwise)
   */
  double choose(double[] valScores, int[] valLabels, double[] testScores);

  /**
   * The threshold for the test scores, for the rules that need the test split's anomaly count ({@code
   * anomaly_ratio}); the others ignore {@code testLabels}.
   *
   * @param testLabels test labels, 1 = anomaly, same length as testScores
   */
  default double choose(double[] valScores, int[] valLabels, double[] testScores, int[] testLabels) {
    return choose(valScores, valLabels, testScores);
  }

  /** The rule as written in a spec, e.g. {@code percentile:80}. */
  String spec();

  private static double number(String text, String argument) {
    if (argument == null || argument.isEmpty()) {
      throw new IllegalArgumentException("threshold rule '" + text + "' lacks its number; expected " + VALID_FORMS);
    }
    try {
      return Numbers.parseFinite(argument);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("threshold rule '" + text + "': " + e.getMessage() + "; expected "
          + VALID_FORMS, e);
    }
  }

  /**
   * The threshold with the highest accuracy on the validation split. Candidates are the midpoints between
   * consecutive distinct validation scores, plus one just below the lowest score (flag every row) and the highest
   * score (flag none). Among equally accurate candidates the lowest wins: it flags more rows, and a missed anomaly
   * is usually the costlier error. O(n log n).
   */
  record BestAccuracy() implements ThresholdRule {
    @Override
    public double choose(double[] valScores, int[] valLabels, double[] testScores) {
      if (valScores == null || valScores.length == 0) {
        throw new IllegalArgumentException("threshold rule best_accuracy needs a labelled validation split, but it is "
            + "empty; use percentile:P (e.g. percentile:80) or value:X instead");
      }
      Inputs.checkScoresAndLabels("validation", valScores, valLabels);
      RankedScores ranked = RankedScores.of(valScores, valLabels);
      int steps = ranked.steps();
      // ranked.thresholds[i] runs from the highest score down; a threshold just below it flags ranks 0..i,
      // so correct = tps[i] + (negatives - fps[i]). Flag nothing first: threshold = highest score.
      long bestCorrect = ranked.negatives;
      double best = ranked.thresholds[0];
      for (int i = 0; i < steps; i++) {
        long correct = ranked.tps[i] + ranked.negatives - ranked.fps[i];
        if (correct >= bestCorrect) { // >=: later candidates are lower thresholds
          bestCorrect = correct;
          best = i + 1 < steps ? midpoint(ranked.thresholds[i + 1], ranked.thresholds[i])
              : Math.nextDown(ranked.thresholds[i]);
        }
      }
      return best;
    }

    /** A value t with lower <= t < upper, so that score > t separates the two. */
    private static double midpoint(double lower, double upper) {
      double mid = lower / 2 + upper / 2; // halves first: no overflow near Double.MAX_VALUE
      return mid >= lower && mid < upper ? mid : lower;
    }

    @Override
    public String spec() {
      return "best_accuracy";
    }

    @Override
    public String toString() {
      return spec();
    }
  }

  /** The P-th percentile of the test scores, linear interpolation between ranks as numpy.percentile's default. */
  record Percentile(double percentile) implements ThresholdRule {
    public Percentile {
      if (!(percentile > 0 && percentile < 100)) {
        throw new IllegalArgumentException("threshold rule percentile:" + percentile
            + " is out of range; the percentile must be between 0 and 100 (exclusive), e.g. percentile:80");
      }
    }

    @Override
    public double choose(double[] valScores, int[] valLabels, double[] testScores) {
      Inputs.checkScores("test", testScores);
      if (testScores.length == 0) {
        throw new IllegalArgumentException("threshold rule " + spec() + " needs test scores, but there are none");
      }
      return of(testScores, percentile);
    }

    /** numpy.percentile(values, p) with method='linear': index (n - 1) * p / 100, interpolated as numpy's _lerp. */
    static double of(double[] values, double p) {
      double[] sorted = values.clone();
      Arrays.sort(sorted);
      double index = (sorted.length - 1) * (p / 100);
      int below = (int) Math.floor(index);
      int above = Math.min(below + 1, sorted.length - 1);
      double gamma = index - below;
      double a = sorted[below];
      double b = sorted[above];
      double diff = b - a;
      // numpy interpolates from the nearer end, which keeps the result within [a, b] despite rounding
      return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
    }

    @Override
    public String spec() {
      return "percentile:" + formatNumber(percentile);
    }

    @Override
    public String toString() {
      return spec();
    }
  }

  /** The percentile of the test scores above which as many rows lie as the test split holds anomalies. */
  record AnomalyRatio() implements ThresholdRule {
    @Override
    public double choose(double[] valScores, int[] valLabels, double[] testScores) {
      throw new IllegalArgumentException("threshold rule anomaly_ratio needs the test split's labels");
    }

    @Override
    public double choose(double[] valScores, int[] valLabels, double[] testScores, int[] testLabels) {
      Inputs.checkScoresAndLabels("test", testScores, testLabels);
      if (testScores.length == 0) {
        throw new IllegalArgumentException("threshold rule anomaly_ratio needs test scores, but there are none");
      }
      double share = (double) Inputs.anomalies(testLabels) / testLabels.length;
      return Percentile.of(testScores, 100 * (1 - share));
    }

    @Override
    public String spec() {
      return "anomaly_ratio";
    }

    @Override
    public String toString() {
      return spec();
    }
  }

  /** A fixed threshold. */
  record Value(double value) implements ThresholdRule {
    public Value {
      if (!Double.isFinite(value)) {
        throw new IllegalArgumentException("threshold rule value:" + value + " must be a finite number, e.g. value:0.05");
      }
    }

    @Override
    public double choose(double[] valScores, int[] valLabels, double[] testScores) {
      return value;
    }

    @Override
    public String spec() {
      return "value:" + formatNumber(value);
    }

    @Override
    public String toString() {
      return spec();
    }
  }

  /** 80 rather than 80.0, so that spec() gives back what a user writes. */
  private static String formatNumber(double x) {
    return x == Math.rint(x) && Math.abs(x) < 1e15 ? Long.toString((long) x) : Double.toString(x);
  }
}
