package io.deepad4j.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ThresholdRuleTest {

  @Test
  void parsesTheThreeForms() {
    assertInstanceOf(ThresholdRule.BestAccuracy.class, ThresholdRule.parse("best_accuracy"));
    assertEquals(new ThresholdRule.Percentile(80), ThresholdRule.parse("percentile:80"));
    assertEquals(new ThresholdRule.Percentile(99.5), ThresholdRule.parse(" Percentile : 99.5 "));
    assertEquals(new ThresholdRule.Value(0.05), ThresholdRule.parse("value:0.05"));
    assertEquals(new ThresholdRule.Value(-3), ThresholdRule.parse("value:-3"));
    assertEquals("percentile:80", ThresholdRule.parse("percentile:80").spec());
    assertEquals("value:0.05", ThresholdRule.parse("value:0.05").spec());
    assertEquals("best_accuracy", ThresholdRule.parse("BEST_ACCURACY").spec());
  }

  @Test
  void badRulesNameTheValidForms() {
    for (String bad : new String[] {"best", "percentile", "percentile:", "percentile:abc", "value:", "value:x",
        "best_accuracy:3", "", "median", "percentile:NaN", "value:NaN", "value:-Infinity", "value:2f"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ThresholdRule.parse(bad), bad);
      assertTrue(e.getMessage().contains("best_accuracy") && e.getMessage().contains("percentile:P")
          && e.getMessage().contains("value:X"), e.getMessage());
    }
    for (String outOfRange : new String[] {"percentile:0", "percentile:100", "percentile:-5"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> ThresholdRule.parse(outOfRange), outOfRange);
      assertTrue(e.getMessage().contains("between 0 and 100"), e.getMessage());
    }
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ThresholdRule.parse("value:Infinity"));
    assertTrue(e.getMessage().contains("finite"), e.getMessage());
  }

  @Test
  void percentileInterpolatesLinearlyLikeNumpy() {
    // numpy.percentile([1, 3, 7, 15, 2], 80): sorted 1 2 3 7 15, index (5 - 1) * 0.8 = 3.2,
    // 7 + 0.2 * (15 - 7) = 8.6 (numpy prints 8.600000000000001)
    double[] scores = {1, 3, 7, 15, 2};
    assertEquals(8.6, new ThresholdRule.Percentile(80).choose(null, null, scores), 1e-12);
    // numpy.percentile([1, 2, 3, 4], 25): index 3 * 0.25 = 0.75 -> 1 + 0.75 * 1 = 1.75
    assertEquals(1.75, new ThresholdRule.Percentile(25).choose(null, null, new double[] {4, 3, 2, 1}), 1e-12);
    // an index that lands on a rank takes that value: [10, 20, 30], 50 -> index 1 -> 20
    assertEquals(20, new ThresholdRule.Percentile(50).choose(null, null, new double[] {30, 10, 20}), 0);
    // one score: every percentile is that score
    assertEquals(4.2, new ThresholdRule.Percentile(80).choose(null, null, new double[] {4.2}), 0);
    // bit for bit as numpy 2.4.6 (its lerp from the nearer end): on MetricsTest's 40 tied scores
    // np.percentile(s, 80) = 1.1400000000000006 and np.percentile(s, 33.3) = -0.0013000000000001678
    double[] tied = {-0.1, 0.1, 0.1, -0.0, 0.1, 1.4, -0.3, 0.9, 0.1, -0.6, 2.0, 2.0, 0.0, 0.1, 0.6, -0.2, 0.7, -0.1,
        0.7, 1.4, 0.5, 1.4, -0.5, 1.3, 0.0, -0.6, -0.2, 0.9, 1.1, -1.3, -0.8, 1.8, -0.8, 0.7, -0.1, 2.5, 0.7, 0.9, -0.4,
        0.9};
    assertEquals(1.1400000000000006, ThresholdRule.Percentile.of(tied, 80), 0);
    assertEquals(-0.0013000000000001678, ThresholdRule.Percentile.of(tied, 33.3), 0);
  }

  @Test
  void percentileFlagsTheTopShareOfTestRows() {
    // Zenati protocol: 80th percentile of 1..100 -> 80.2; exactly 20 rows (81..100) lie above it
    double[] test = new double[100];
    Arrays.setAll(test, i -> i + 1);
    double t = ThresholdRule.parse("percentile:80").choose(new double[0], new int[0], test);
    assertEquals(80.2, t, 1e-9);
    assertEquals(20, Arrays.stream(test).filter(s -> s > t).count());
  }

  @Test
  void percentileNeedsTestScores() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ThresholdRule.Percentile(80).choose(null, null, new double[0]));
    assertTrue(e.getMessage().contains("needs test scores"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new ThresholdRule.Percentile(80).choose(null, null, new double[] {1, Double.POSITIVE_INFINITY}));
    assertTrue(e.getMessage().contains("test score at index 1 is Infinity"), e.getMessage());
  }

  @Test
  void bestAccuracyUsesOnlyTheValidationSplit() {
    // validation normals 0.1 0.2 0.3, anomalies 0.7 0.8 0.9: only a threshold in [0.3, 0.7) is 100% accurate;
    // the midpoint of 0.3 and 0.7 is 0.5, a value that occurs in neither split
    double[] val = {0.9, 0.1, 0.3, 0.8, 0.2, 0.7};
    int[] valLabels = {1, 0, 0, 1, 0, 1};
    ThresholdRule rule = ThresholdRule.parse("best_accuracy");
    double[] test = {0.45, 0.55, 0.05, 0.95};
    double t = rule.choose(val, valLabels, test);
    assertEquals(0.5, t, 1e-12);
    assertTrue(Arrays.stream(test).noneMatch(s -> s == t) && Arrays.stream(val).noneMatch(s -> s == t));
    // the test scores play no part
    assertEquals(t, rule.choose(val, valLabels, new double[] {100, 200}), 0);
    assertEquals(t, rule.choose(val, valLabels, null), 0);
  }

  @Test
  void bestAccuracyBreaksTiesTowardsTheLowerThreshold() {
    // scores 1 2 3 4 with labels 0 1 0 1. Correct rows per candidate (score > t flagged):
    // t=4 (none flagged) 2; t=3.5 {4} 3; t=2.5 {3,4} 2; t=1.5 {2,3,4} 3; t just below 1 (all flagged) 2.
    // 3.5 and 1.5 tie at 3/4; the lower one, 1.5, is chosen
    assertEquals(1.5, ThresholdRule.parse("best_accuracy").choose(new double[] {1, 2, 3, 4},
        new int[] {0, 1, 0, 1}, null), 0);
  }

  @Test
  void bestAccuracyExtremes() {
    // only normals: flag nothing -> the highest score, and score > t flags none of them
    double t = ThresholdRule.parse("best_accuracy").choose(new double[] {0.2, 0.4, 0.3}, new int[] {0, 0, 0}, null);
    assertEquals(0.4, t, 0);
    // only anomalies: flag everything -> just below the lowest score
    t = ThresholdRule.parse("best_accuracy").choose(new double[] {0.2, 0.4, 0.3}, new int[] {1, 1, 1}, null);
    assertTrue(t < 0.2 && t > 0.2 - 1e-12, "threshold " + t);
    // inverted scores, normals 0.9 0.8 0.7 above anomalies 0.2 0.1. Correct rows: none flagged 3; cuts at 0.85,
    // 0.75, 0.45, 0.15 give 2, 1, 0, 1; all flagged 2 -> flag nothing, t = 0.9
    t = ThresholdRule.parse("best_accuracy").choose(new double[] {0.9, 0.8, 0.7, 0.1, 0.2},
        new int[] {0, 0, 0, 1, 1}, null);
    assertEquals(0.9, t, 0);
  }

  @Test
  void bestAccuracySeparatesAdjacentDoubles() {
    // no double lies strictly between 1 and the next double up: the threshold falls back to the lower score,
    // which score > t still separates
    double upper = Math.nextUp(1.0);
    double t = ThresholdRule.parse("best_accuracy").choose(new double[] {upper, 1.0}, new int[] {1, 0}, null);
    assertTrue(1.0 <= t && t < upper, "threshold " + t);
    assertEquals(new Confusion(1, 0, 1, 0), Metrics.confusion(new double[] {upper, 1.0}, new int[] {1, 0}, t));
  }

  @Test
  void bestAccuracyWithoutValidationDataSaysWhatToUse() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ThresholdRule.parse("best_accuracy").choose(new double[0], new int[0], new double[] {1, 2}));
    assertTrue(e.getMessage().contains("percentile:P") && e.getMessage().contains("value:X"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> ThresholdRule.parse("best_accuracy").choose(new double[] {1, 2}, new int[] {0}, null));
    assertTrue(e.getMessage().contains("validation scores and labels differ in length"), e.getMessage());
  }

  @Test
  void valueIsReturnedAsGiven() {
    assertEquals(0.05, ThresholdRule.parse("value:0.05").choose(null, null, null), 0);
  }

  @Test
  void anomalyRatioFlagsAsManyTestRowsAsThereAreAnomalies() {
    ThresholdRule rule = ThresholdRule.parse(" Anomaly_Ratio ");
    assertEquals("anomaly_ratio", rule.spec());
    double[] scores = {0.1, 0.9, 0.3, 0.8, 0.2, 0.7};
    int[] labels = {0, 1, 0, 0, 0, 1}; // a third anomalous: the 66.7th percentile, between 0.3 and 0.7
    double t = rule.choose(null, null, scores, labels);
    assertEquals(new ThresholdRule.Percentile(100 * (1 - 2.0 / 6)).choose(null, null, scores), t, 0);
    assertEquals(2, Arrays.stream(scores).filter(v -> v > t).count());
    // which rows are anomalous does not matter, only how many
    assertEquals(t, rule.choose(null, null, scores, new int[] {1, 0, 0, 1, 0, 0}), 0);
    // with 20% anomalies it is Zenati et al.'s percentile:80
    double[] ten = {5, 1, 9, 3, 7, 2, 8, 4, 6, 10};
    int[] two = {0, 0, 1, 0, 0, 0, 0, 0, 0, 1};
    assertEquals(new ThresholdRule.Percentile(80).choose(null, null, ten), rule.choose(null, null, ten, two), 1e-12);
    assertThrows(IllegalArgumentException.class, () -> rule.choose(null, null, scores));
    assertThrows(IllegalArgumentException.class, () -> ThresholdRule.parse("anomaly_ratio:20"));
  }
}
