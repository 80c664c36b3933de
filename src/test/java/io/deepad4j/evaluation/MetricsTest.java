package io.deepad4j.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class MetricsTest {
  private static final double EPS = 1e-12;

  // sklearn's precision_recall_curve docstring example
  private static final double[] SMALL_SCORES = {0.1, 0.4, 0.35, 0.8};
  private static final int[] SMALL_LABELS = {0, 0, 1, 1};

  // 40 rows drawn with numpy (default_rng(7): y = random < 0.3, s = round(normal + 1.2 y, 1)); many ties, and
  // both -0.0 and 0.0, which must tie with each other
  private static final double[] TIED_SCORES = {-0.1, 0.1, 0.1, -0.0, 0.1, 1.4, -0.3, 0.9, 0.1, -0.6, 2.0, 2.0, 0.0,
      0.1, 0.6, -0.2, 0.7, -0.1, 0.7, 1.4, 0.5, 1.4, -0.5, 1.3, 0.0, -0.6, -0.2, 0.9, 1.1, -1.3, -0.8, 1.8, -0.8, 0.7,
      -0.1, 2.5, 0.7, 0.9, -0.4, 0.9};
  private static final int[] TIED_LABELS = {0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 1,
      1, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 1, 0, 1, 0, 1};

  @Test
  void rocAucCountsCorrectlyOrderedPairs() {
    // anomalies 0.35, 0.8; normals 0.1, 0.4. Pairs (anomaly > normal): 0.35>0.1 yes, 0.35>0.4 no, 0.8>0.1 yes,
    // 0.8>0.4 yes -> 3 of 4 = 0.75
    assertEquals(0.75, Metrics.rocAuc(SMALL_SCORES, SMALL_LABELS), EPS);
  }

  @Test
  void rocAucGivesTiesHalfCredit() {
    // anomalies 0.5, 0.9; normals 0.5, 0.5, 0.1. 0.9 beats all 3 normals -> 3; 0.5 ties two normals -> 2 * 0.5,
    // beats 0.1 -> 1. (3 + 2) / (2 * 3) = 5/6 (sklearn roc_auc_score: 0.8333333333333334)
    assertEquals(5.0 / 6.0, Metrics.rocAuc(new double[] {0.5, 0.5, 0.5, 0.9, 0.1}, new int[] {1, 0, 0, 1, 0}), EPS);
    // all scores equal: every pair is a tie -> 0.5
    assertEquals(0.5, Metrics.rocAuc(new double[] {3, 3, 3, 3}, new int[] {1, 0, 0, 1}), EPS);
  }

  @Test
  void rocAucOfSeparatedAndInvertedScores() {
    double[] scores = {0.1, 0.2, 0.3, 0.7, 0.8};
    assertEquals(1.0, Metrics.rocAuc(scores, new int[] {0, 0, 0, 1, 1}), EPS);
    assertEquals(0.0, Metrics.rocAuc(scores, new int[] {1, 1, 1, 0, 0}), EPS);
    assertEquals(1.0, Metrics.precisionRecallAuc(scores, new int[] {0, 0, 0, 1, 1}), EPS);
  }

  @Test
  void rocAucEqualsPairCountingOnRandomData() {
    Random random = new Random(11);
    int n = 500;
    double[] scores = new double[n];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = random.nextDouble() < 0.2 ? 1 : 0;
      scores[i] = Math.round((random.nextGaussian() + labels[i]) * 4) / 4.0; // coarse grid: many ties
    }
    double pairs = 0;
    long count = 0;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        if (labels[i] == 1 && labels[j] == 0) {
          count++;
          pairs += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
        }
      }
    }
    assertEquals(pairs / count, Metrics.rocAuc(scores, labels), EPS);
  }

  @Test
  void tiedDataAgreesWithScikitLearn() {
    // numbers from scikit-learn 1.9.1 on the arrays above: roc_auc_score(y, s) = 0.6607142857142857,
    // auc(*precision_recall_curve(y, s)[1::-1]) = 0.55907148323391131 (21 points), roc_curve(y, s) has 20 points
    assertEquals(0.6607142857142857, Metrics.rocAuc(TIED_SCORES, TIED_LABELS), EPS);
    assertEquals(0.55907148323391131, Metrics.precisionRecallAuc(TIED_SCORES, TIED_LABELS), EPS);
    // average_precision_score(y, s) = 0.5514669890775596
    assertEquals(0.5514669890775596, Metrics.averagePrecision(TIED_SCORES, TIED_LABELS), EPS);
    assertEquals(21, Metrics.prCurve(TIED_SCORES, TIED_LABELS).size());
    assertEquals(20, Metrics.rocCurve(TIED_SCORES, TIED_LABELS).size());
    // at threshold 0.5: accuracy 0.6, precision 4/9, recall 4/7, f1 0.5, f2 0.54054054054054057
    Confusion c = Metrics.confusion(TIED_SCORES, TIED_LABELS, 0.5);
    assertEquals(0.6, c.accuracy(), EPS);
    assertEquals(4.0 / 9, c.precision(), EPS);
    assertEquals(4.0 / 7, c.recall(), EPS);
    assertEquals(0.5, c.f1(), EPS);
    assertEquals(0.54054054054054057, c.fBeta(2), EPS);
  }

  @Test
  void rocCurveMatchesScikitLearnWithIntermediatePointsDropped() {
    // descending scores 0.8(1) 0.4(0) 0.35(1) 0.1(0): cumulative (fp, tp) = (0,1) (1,1) (1,2) (2,2), each a corner;
    // with the (0,0) start at +inf: fpr 0, 0, .5, .5, 1; tpr 0, .5, .5, 1, 1 (as sklearn.metrics.roc_curve)
    Curve roc = Metrics.rocCurve(SMALL_SCORES, SMALL_LABELS);
    assertArrayEquals(new double[] {0, 0, 0.5, 0.5, 1}, roc.x(), EPS);
    assertArrayEquals(new double[] {0, 0.5, 0.5, 1, 1}, roc.y(), EPS);
    assertArrayEquals(new double[] {Double.POSITIVE_INFINITY, 0.8, 0.4, 0.35, 0.1}, roc.thresholds(), 0);

    // 0.9(1) 0.7(1) 0.5(0) 0.3(0) 0.1(0): (fp, tp) = (0,1) (0,2) (1,2) (2,2) (3,2). sklearn keeps the ends and the
    // points whose second difference in fp or tp is non-zero: (0,2) (fp 0-0+1); (1,2) and (2,2) lie inside the
    // straight run to (3,2) and go -> fpr 0, 0, 0, 1; tpr 0, .5, 1, 1 (sklearn: thresholds inf, 0.9, 0.7, 0.1)
    Curve straight = Metrics.rocCurve(new double[] {0.9, 0.7, 0.5, 0.3, 0.1}, new int[] {1, 1, 0, 0, 0});
    assertArrayEquals(new double[] {0, 0, 0, 1}, straight.x(), EPS);
    assertArrayEquals(new double[] {0, 0.5, 1, 1}, straight.y(), EPS);
    assertArrayEquals(new double[] {Double.POSITIVE_INFINITY, 0.9, 0.7, 0.1}, straight.thresholds(), 0);
  }

  @Test
  void prCurveAndAreaMatchHandComputation() {
    // thresholds ascending 0.1, 0.35, 0.4, 0.8: flagged (score >= t) tp/fp = 2/2, 2/1, 1/1, 1/0
    // precision .5, 2/3, .5, 1 then 1; recall 1, 1, .5, .5 then 0 (sklearn's docstring example)
    Curve pr = Metrics.prCurve(SMALL_SCORES, SMALL_LABELS);
    assertArrayEquals(new double[] {1, 1, 0.5, 0.5, 0}, pr.x(), EPS);
    assertArrayEquals(new double[] {0.5, 2.0 / 3, 0.5, 1, 1}, pr.y(), EPS);
    assertArrayEquals(new double[] {0.1, 0.35, 0.4, 0.8, Double.POSITIVE_INFINITY}, pr.thresholds(), 0);
    // trapezoids over recall: 0 + 0.5 * (2/3 + 1/2) / 2 + 0 + 0.5 * (1 + 1) / 2 = 7/24 + 12/24 = 19/24
    assertEquals(19.0 / 24, Metrics.precisionRecallAuc(SMALL_SCORES, SMALL_LABELS), EPS);
  }

  @Test
  void averagePrecisionSumsPrecisionAtEachRecallStep() {
    // descending 0.8(1) 0.4(0) 0.35(1) 0.1(0): the anomalies come in at precision 1/1 and 2/3, each a recall step
    // of 1/2 -> (1 + 2/3) / 2 = 5/6 (sklearn's average_precision_score docstring: 0.83...)
    assertEquals(5.0 / 6, Metrics.averagePrecision(SMALL_SCORES, SMALL_LABELS), EPS);
    // it is not the trapezoid area of the same curve (19/24)
    assertTrue(Math.abs(Metrics.averagePrecision(SMALL_SCORES, SMALL_LABELS)
        - Metrics.precisionRecallAuc(SMALL_SCORES, SMALL_LABELS)) > 0.01);
    double[] scores = {0.1, 0.2, 0.3, 0.7, 0.8};
    assertEquals(1.0, Metrics.averagePrecision(scores, new int[] {0, 0, 0, 1, 1}), EPS);
    // anomalies ranked last: precision 1/4 and 2/5 -> (0.25 + 0.4) / 2
    assertEquals(0.325, Metrics.averagePrecision(scores, new int[] {1, 1, 0, 0, 0}), EPS);
  }

  @Test
  void averagePrecisionGivesATiedBlockOnePrecision() {
    // 0.9(1), then a block of four at 0.5 holding two anomalies and two normals, then 0.1(0). The block is one step:
    // both of its anomalies get precision 3/5 (3 anomalies among the 5 rows scoring >= 0.5) -> (1 + 2 * 3/5) / 3.
    // Breaking the tie by row order would give (1 + 1 + 1) / 3 = 1 with the anomalies first and
    // (1 + 2/4 + 3/5) / 3 = 0.7 with them last; the step value lies between and does not depend on the order.
    double[] scores = {0.5, 0.9, 0.5, 0.5, 0.1, 0.5};
    int[] labels = {0, 1, 1, 0, 0, 1};
    double expected = (1 + 2 * 3.0 / 5) / 3;
    assertEquals(expected, Metrics.averagePrecision(scores, labels), EPS);
    assertEquals(expected, Metrics.averagePrecision(new double[] {0.5, 0.5, 0.9, 0.5, 0.1, 0.5},
        new int[] {1, 1, 1, 0, 0, 0}), EPS);
    // all scores equal: the prevalence
    assertEquals(0.5, Metrics.averagePrecision(new double[] {3, 3, 3, 3}, new int[] {1, 0, 0, 1}), EPS);
  }

  @Test
  void averagePrecisionEqualsMeanPrecisionOverAnomaliesOnRandomTiedData() {
    // the definition, pair by pair: for each anomaly, the share of anomalies among the rows scoring at least as high
    Random random = new Random(23);
    for (int trial = 0; trial < 20; trial++) {
      int n = 50 + random.nextInt(400);
      double[] scores = new double[n];
      int[] labels = new int[n];
      for (int i = 0; i < n; i++) {
        labels[i] = i < 2 || random.nextDouble() < 0.15 ? i % 2 : 0; // rows 0 and 1: both classes present
        scores[i] = Math.round((random.nextGaussian() + labels[i]) * 3) / 3.0; // coarse grid: many ties
      }
      double sum = 0;
      int anomalies = 0;
      for (int i = 0; i < n; i++) {
        if (labels[i] == 1) {
          anomalies++;
          int atLeast = 0;
          int anomaliesAtLeast = 0;
          for (int j = 0; j < n; j++) {
            if (scores[j] >= scores[i]) {
              atLeast++;
              anomaliesAtLeast += labels[j];
            }
          }
          sum += (double) anomaliesAtLeast / atLeast;
        }
      }
      assertEquals(sum / anomalies, Metrics.averagePrecision(scores, labels), 1e-12, "trial " + trial);
    }
  }

  @Test
  void confusionFlagsScoresStrictlyAboveThreshold() {
    double[] scores = {0.1, 0.5, 0.5, 0.9, 0.2, 0.7};
    int[] labels = {0, 1, 0, 1, 1, 0};
    // > 0.5 flags 0.9 (anomaly) and 0.7 (normal); 0.5 itself is not flagged
    assertEquals(new Confusion(1, 1, 2, 2), Metrics.confusion(scores, labels, 0.5));
    assertEquals(new Confusion(3, 3, 0, 0), Metrics.confusion(scores, labels, 0.0));
    assertEquals(new Confusion(0, 0, 3, 3), Metrics.confusion(scores, labels, 1.0));
  }

  @Test
  void confusionRatiosAndFBeta() {
    // tp 3, fp 1, tn 4, fn 2: accuracy 7/10, precision 3/4, recall 3/5,
    // F1 = 2 * .75 * .6 / (.75 + .6) = .9 / 1.35 = 2/3, F2 = 5 * .45 / (4 * .75 + .6) = 2.25 / 3.6 = 0.625,
    // F0.5 = 1.25 * .45 / (.25 * .75 + .6) = .5625 / .7875 = 5/7
    Confusion c = new Confusion(3, 1, 4, 2);
    assertEquals(0.7, c.accuracy(), EPS);
    assertEquals(0.75, c.precision(), EPS);
    assertEquals(0.6, c.recall(), EPS);
    assertEquals(2.0 / 3, c.f1(), EPS);
    assertEquals(0.625, c.fBeta(2), EPS);
    assertEquals(5.0 / 7, c.fBeta(0.5), EPS);
    assertEquals(0.75, c.fBeta(0), EPS); // beta 0 is precision
  }

  @Test
  void undefinedRatiosAreZero() {
    Confusion nothingFlagged = new Confusion(0, 0, 5, 3);
    assertEquals(0.0, nothingFlagged.precision());
    assertEquals(0.0, nothingFlagged.recall());
    assertEquals(0.0, nothingFlagged.f1());
    assertEquals(0.0, nothingFlagged.fBeta(2));
    Confusion noAnomalies = new Confusion(0, 2, 5, 0);
    assertEquals(0.0, noAnomalies.recall());
    assertEquals(0.0, noAnomalies.f1());
    assertEquals(0.0, new Confusion(0, 0, 0, 0).accuracy());
    assertThrows(IllegalArgumentException.class, () -> nothingFlagged.fBeta(-1));
    assertThrows(IllegalArgumentException.class, () -> nothingFlagged.fBeta(Double.NaN));
  }

  @Test
  void invalidInputsAreRejectedWithReasons() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Metrics.rocAuc(new double[] {0.1, 0.2}, new int[] {0, 1, 1}));
    assertTrue(e.getMessage().contains("2 scores, 3 labels"), e.getMessage());

    e = assertThrows(IllegalArgumentException.class,
        () -> Metrics.rocAuc(new double[] {0.1, 0.2, 0.3}, new int[] {0, 2, 1}));
    assertTrue(e.getMessage().contains("label at index 1 is 2"), e.getMessage());

    e = assertThrows(IllegalArgumentException.class,
        () -> Metrics.prCurve(new double[] {0.1, Double.NaN}, new int[] {0, 1}));
    assertTrue(e.getMessage().contains("score at index 1 is NaN"), e.getMessage());

    e = assertThrows(IllegalArgumentException.class,
        () -> Metrics.rocAuc(new double[] {0.1, 0.2}, new int[] {0, 0}));
    assertTrue(e.getMessage().contains("needs both classes") && e.getMessage().contains("0 anomalies"),
        e.getMessage());

    e = assertThrows(IllegalArgumentException.class,
        () -> Metrics.precisionRecallAuc(new double[] {0.1, 0.2}, new int[] {1, 1}));
    assertTrue(e.getMessage().contains("0 normal rows"), e.getMessage());

    e = assertThrows(IllegalArgumentException.class,
        () -> Metrics.averagePrecision(new double[] {0.1, 0.2}, new int[] {0, 0}));
    assertTrue(e.getMessage().contains("average precision") && e.getMessage().contains("0 anomalies"),
        e.getMessage());

    e = assertThrows(IllegalArgumentException.class,
        () -> Metrics.confusion(new double[] {0.1}, new int[] {1}, Double.NaN));
    assertTrue(e.getMessage().contains("threshold is NaN"), e.getMessage());
  }
}
