package io.deepad4j.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class LeaderboardTest {
  private static final double EPS = 1e-12;

  @Test
  void ranksGiveTiesTheAverageRankAndTheHighestValueRankOne() {
    assertArrayEquals(new double[] {1, 2.5, 2.5, 4}, Leaderboard.ranks(new double[] {0.9, 0.8, 0.8, 0.7}), 0);
    assertArrayEquals(new double[] {4, 1.5, 3, 1.5}, Leaderboard.ranks(new double[] {0.1, 0.9, 0.5, 0.9}), 0);
    assertArrayEquals(new double[] {2, 2, 2}, Leaderboard.ranks(new double[] {0.5, 0.5, 0.5}), 0);
    // three tied in the middle share ranks 2, 3, 4
    assertArrayEquals(new double[] {5, 3, 3, 1, 3}, Leaderboard.ranks(new double[] {0.2, 0.6, 0.6, 0.95, 0.6}), 0);
  }

  @Test
  void friedmanOnDemsarsWorkedExample() {
    // Demsar (2006), section 3.2.2: four C4.5 variants on 14 data sets, average ranks 3.143, 2.000, 2.893, 1.964 ->
    // chi2_F = 9.28, F_F = 3.69 with 3 and 39 df (critical value 2.85 at alpha 0.05: the null is rejected)
    Friedman f = Friedman.of(new double[] {3.143, 2.000, 2.893, 1.964}, 14);
    assertEquals(9.28, f.chiSquare(), 0.005);
    assertEquals(3.69, f.imanDavenportF(), 0.005);
    assertEquals(3, f.fDf1(), 0);
    assertEquals(39, f.fDf2(), 0);
    // chi2(3) beyond 9.28: between its 5% (7.815) and 2.5% (9.348) points; F(3, 39) beyond 3.69: below 5%
    assertTrue(f.chiSquareP() > 0.025 && f.chiSquareP() < 0.05, "p = " + f.chiSquareP());
    assertTrue(f.fP() < 0.05 && f.fP() > 0.01, "p = " + f.fP());
    // ... and the Nemenyi test: CD = 2.569 sqrt(4 * 5 / (6 * 14)) = 1.25
    assertEquals(1.25, Nemenyi.criticalDifference(4, 14), 0.005);
    assertEquals(2.569 * Math.sqrt(20.0 / 84), Nemenyi.criticalDifference(4, 14), EPS);
  }

  @Test
  void friedmanWhenEveryDataSetAgreesAndWhenNoneDiffers() {
    // ranks 1, 2, 3 on all 4 data sets: chi2_F = 12 * 4 / 12 * (1 + 4 + 9 - 12) = 8 = N (k - 1); F_F infinite
    Friedman agree = Friedman.of(new double[] {1, 2, 3}, 4);
    assertEquals(8, agree.chiSquare(), EPS);
    assertEquals(Math.exp(-4), agree.chiSquareP(), 1e-14); // chi-square with 2 df: exp(-x / 2)
    assertEquals(Double.POSITIVE_INFINITY, agree.imanDavenportF());
    assertEquals(0, agree.fP(), 0);
    Friedman none = Friedman.of(new double[] {2, 2, 2}, 5);
    assertEquals(0, none.chiSquare(), EPS);
    assertEquals(1, none.chiSquareP(), EPS);
    assertEquals(1, none.fP(), EPS);
    assertTrue(Double.isNaN(Friedman.of(new double[] {1, 2}, 1).chiSquare()));
  }

  @Test
  void nemenyiTableIsTheStudentizedRangeQuantileOverSqrtTwo() {
    // P(range of k standard normals <= q sqrt 2) = k * integral phi(z) [Phi(z) - Phi(z - q sqrt 2)]^(k-1) dz must
    // be 0.95 for every tabulated q (the table has 3 decimals: within 3e-4)
    for (int k = 2; k <= Nemenyi.MAX_K; k++) {
      double w = Nemenyi.q05(k) * Math.sqrt(2);
      int steps = 2000;
      double lo = -9;
      double h = 18.0 / steps;
      double sum = 0;
      for (int i = 0; i <= steps; i++) {
        double z = lo + i * h;
        double weight = i == 0 || i == steps ? 1 : i % 2 == 1 ? 4 : 2; // Simpson
        double density = Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI);
        sum += weight * density * Math.pow(normalCdf(z) - normalCdf(z - w), k - 1);
      }
      double probability = k * sum * h / 3;
      assertEquals(0.95, probability, 3e-4, "k = " + k);
    }
    assertEquals(1.960, Nemenyi.q05(2), 0); // Demsar's Table 5(a), first and last entries
    assertEquals(3.164, Nemenyi.q05(10), 0);
    assertThrows(IllegalArgumentException.class, () -> Nemenyi.q05(21));
    assertTrue(Double.isNaN(Nemenyi.criticalDifference(21, 10)));
  }

  /** Phi(z) = (1 + sign(z) P(1/2, z^2 / 2)) / 2, the error function through the incomplete gamma function. */
  private static double normalCdf(double z) {
    double p = Distributions.regularizedGammaP(0.5, z * z / 2);
    return z >= 0 ? 0.5 * (1 + p) : 0.5 * (1 - p);
  }

  @Test
  void groupsAreMaximalRunsSpanningLessThanTheCriticalDifference() {
    double[] ranks = {1.0, 1.5, 2.6, 3.9};
    List<int[]> groups = Nemenyi.groups(ranks, 1.25);
    assertEquals(2, groups.size());
    assertArrayEquals(new int[] {0, 1}, groups.get(0));
    assertArrayEquals(new int[] {1, 2}, groups.get(1)); // 3.9 - 2.6 = 1.3 >= CD: 3.9 stands alone
    List<int[]> all = Nemenyi.groups(ranks, 3);
    assertEquals(1, all.size());
    assertArrayEquals(new int[] {0, 3}, all.get(0));
    assertEquals(0, Nemenyi.groups(ranks, 0.4).size());
    assertEquals(0, Nemenyi.groups(ranks, Double.NaN).size());
  }

  /** Three detectors on three data sets, two seeds; c fails every seed of d3 and one of d1. */
  static List<BenchResult> smallResults() {
    List<BenchResult> r = new ArrayList<>();
    double[][] auc = { // data set x detector (a, b, c): seed 1 and seed 2 values
        {0.90, 0.92, 0.70, 0.72, 0.80, 0.80}, // d1: means a 0.91, b 0.71, c 0.80 (one seed)
        {0.60, 0.60, 0.60, 0.60, 0.95, 0.97}, // d2: a and b tie at 0.60, c 0.96
        {0.85, 0.85, 0.75, 0.75, 0, 0}}; // d3: c failed
    String[] detectors = {"a", "b", "c"};
    for (int d = 0; d < 3; d++) {
      for (int m = 0; m < 3; m++) {
        for (int seed = 1; seed <= 2; seed++) {
          boolean failed = (d == 2 && m == 2) || (d == 0 && m == 2 && seed == 2);
          String ds = "d" + (d + 1);
          r.add(failed ? BenchResult.failed(ds, detectors[m], seed, 100, 100)
              : BenchResult.ok(ds, detectors[m], seed, auc[d][2 * m + seed - 1], auc[d][2 * m + seed - 1] / 2,
                  0.5 * (m + 1), 0.1, 100, 100));
        }
      }
    }
    return r;
  }

  @Test
  void leaderboardMeansOverSeedsRanksOnCompleteDataSets() {
    Leaderboard board = Leaderboard.of(smallResults());
    assertEquals(List.of("d1", "d2", "d3"), board.datasets());
    assertEquals(List.of("d1", "d2"), board.rankedDatasets()); // c has no finished seed on d3
    Leaderboard.Cell a1 = board.cell("d1", "a");
    assertEquals(0.91, a1.rocAuc(), EPS);
    assertEquals(0.455, a1.averagePrecision(), EPS);
    assertEquals(0.6, a1.totalTimeS(), EPS);
    assertEquals(1, board.cell("d1", "c").seeds());
    assertEquals(1, board.cell("d1", "c").failed());
    assertEquals(0, board.cell("d3", "c").seeds());
    assertNull(board.cell("d4", "a"));
    // d1: a 1, c 2, b 3; d2: c 1, a and b tie for 2 and 3 -> 2.5 each. Averages: c 1.5, a 1.75, b 2.75
    List<Leaderboard.Standing> s = board.standings();
    assertEquals(List.of("c", "a", "b"), s.stream().map(Leaderboard.Standing::detector).toList());
    assertEquals(1.5, s.get(0).averageRank(), EPS);
    assertEquals(1.75, s.get(1).averageRank(), EPS);
    assertEquals(2.75, s.get(2).averageRank(), EPS);
    assertEquals((0.80 + 0.96) / 2, s.get(0).meanRocAuc(), EPS); // over the ranked data sets only
    assertEquals(2, board.friedman().n());
    // chi2_F = 12 * 2 / (3 * 4) * (1.5^2 + 1.75^2 + 2.75^2 - 3 * 16 / 4) = 2 * 0.875 = 1.75
    assertEquals(1.75, board.friedman().chiSquare(), EPS);
    assertEquals(Math.exp(-1.75 / 2), board.friedman().chiSquareP(), 1e-14);
    assertEquals(2.343 * Math.sqrt(12.0 / 12), board.criticalDifference(), EPS);
  }

  @Test
  void markdownAndCsvNameEveryDetectorAndDataSet() {
    Leaderboard board = Leaderboard.of(smallResults());
    String md = board.markdown("Leaderboard");
    for (String name : List.of("| 1 | c |", "| 2 | a |", "| 3 | b |", "| d3 (not ranked) |", "chi2_F = 1.750",
        "CD = 2.343", "Groups: {c, a, b}", "Not ranked, some detector has no finished seed there: d3")) {
      assertTrue(md.contains(name), name + " in\n" + md);
    }
    assertTrue(md.contains("| d1 | 0.9100 | 0.7100 | 0.8000 (1 failed) |"), md);
    assertTrue(md.contains("| d3 (not ranked) | 0.8500 | 0.7500 | failed |"), md);
    String csv = board.standingsCsv();
    assertEquals("detector,average_rank,mean_roc_auc,mean_average_precision,mean_fit_score_time_s,datasets",
        csv.lines().findFirst().orElseThrow());
    assertTrue(csv.contains("\nc,1.5,"), csv);
    String cells = board.cellsCsv();
    assertEquals(1 + 9, cells.lines().count());
    assertTrue(cells.contains("\nd3,c,0,2,,,,,false\n"), cells);
  }

  @Test
  void cdDiagramIsAPngOfTheExpectedSize() throws Exception {
    Leaderboard board = Leaderboard.of(smallResults());
    byte[] png = board.cdDiagramPng("test");
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
    assertEquals(CdDiagram.WIDTH, image.getWidth());
    assertEquals(CdDiagram.height(3, 1), image.getHeight());
    // the group bar {c, a, b} runs under the axis from rank 1.5 to 2.75: dark pixels there, white far right of it
    int y = CdDiagram.TOP + 12;
    double left = CdDiagram.MARGIN;
    double right = CdDiagram.WIDTH - CdDiagram.MARGIN;
    int inside = (int) (left + (2.0 - 1) / 2 * (right - left));
    int beyond = (int) (left + (2.95 - 1) / 2 * (right - left));
    assertTrue(dark(image.getRGB(inside, y)), "bar pixel");
    assertTrue(!dark(image.getRGB(beyond, y)), "no bar past rank 2.75");
    assertTrue(!dark(image.getRGB(5, image.getHeight() - 3)), "white background");
  }

  private static boolean dark(int rgb) {
    return ((rgb >> 16) & 0xff) < 100 && ((rgb >> 8) & 0xff) < 100 && (rgb & 0xff) < 100;
  }

  @Test
  void allFailedIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Leaderboard.of(List.of(BenchResult.failed("d", "a", 1, 10, 10))));
    assertTrue(e.getMessage().contains("no result finished"), e.getMessage());
  }
}
