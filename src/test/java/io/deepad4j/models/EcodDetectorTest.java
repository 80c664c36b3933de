package io.deepad4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepad4j.data.DataException;
import io.deepad4j.preprocessing.Scaler;
import io.deepad4j.spec.ConfigRecords;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EcodDetectorTest {

  private static EcodDetector fitted(float[][] train, String... names) {
    EcodDetector d = new EcodDetector(ConfigRecords.of(EcodDetector.Config.class, Map.of()));
    d.fit(train, Scaler.fit(Scaler.Kind.NONE, List.of(names), train), RunContext.cpu(1));
    return d;
  }

  @Test
  void passesTheDetectorContract(@TempDir Path dir) throws Exception {
    // ECOD sees each feature alone, and the planted anomalies (uniform in the box) mostly break the rows' joint
    // structure (a plane), not their marginals: the bound only asks for better than chance in the right direction
    DetectorContract.check(DetectorContract.spec("ecod"), dir, 0.6);
  }

  @Test
  void obviousOutlierRanksFirst() {
    DetectorContract.obviousOutlierRanksFirst(DetectorContract.spec("ecod"));
  }

  @Test
  void handComputedExample() {
    // f0 = 1, 2, 3, 4 (skewness 0: right tail), f1 = 0, 10, 10, 10 (skewness < 0: left tail); n = 4, a scored
    // row counts itself: F(z) = (1 + count) / 5
    float[][] train = {{1, 0}, {2, 10}, {3, 10}, {4, 10}};
    try (EcodDetector d = fitted(train, "f0", "f1")) {
      // (5, 10): f0 <= 5: 4, >= 5: 0; f1 <= 10: 4, >= 10: 3
      //   O_left = -ln(5/5) - ln(5/5) = 0; O_right = -ln(1/5) - ln(4/5) = ln 6.25; O_auto = ln 5 (f0 right) + 0 (f1 left)
      //   per feature, the larger tail: f0 ln 5 + f1 ln(5/4) = ln 6.25
      assertArrayEquals(new double[] {0, Math.log(6.25), Math.log(5), Math.log(6.25)},
          d.tailScores(new float[] {5, 10}), 1e-12);
      // (2, 0): f0 <= 2: 2, >= 2: 3; f1 <= 0: 1, >= 0: 4
      //   O_left = ln(5/3) + ln(5/2); O_right = ln(5/4) + 0; O_auto = ln(5/4) (f0 right) + ln(5/2) (f1 left)
      //   per feature, the larger tail: f0 ln(5/3) + f1 ln(5/2) = ln(25/6)
      assertArrayEquals(new double[] {Math.log(25.0 / 6), Math.log(1.25), Math.log(3.125), Math.log(25.0 / 6)},
          d.tailScores(new float[] {2, 0}), 1e-12);
      assertArrayEquals(new double[] {Math.log(6.25), Math.log(25.0 / 6)}, d.score(new float[][] {{5, 10}, {2, 0}}), 1e-12);
    }
  }

  @Test
  void perFeatureAggregationSumsTheLargerTailOfEachFeatureAndIsSaved(@TempDir Path dir) throws Exception {
    // a row whose features disagree on the tail: f0 far right (skewness 0: right tail), f1 far left of a
    // negatively skewed feature: paper = max(O_left, O_right, O_auto), per_feature = sum of each feature's larger tail
    float[][] train = {{1, 0}, {2, 10}, {3, 10}, {4, 10}};
    try (EcodDetector d = new EcodDetector(ConfigRecords.of(EcodDetector.Config.class,
        Map.of("aggregation", EcodDetector.Aggregation.PER_FEATURE)))) {
      d.fit(train, Scaler.fit(Scaler.Kind.NONE, List.of("f0", "f1"), train), RunContext.cpu(1));
      // (5, -1): f0 <= 5: 4, >= 5: 0 -> l 0, r ln 5; f1 <= -1: 0, >= -1: 4 -> l ln 5, r 0
      //   paper: max(ln 5, ln 5, ln 5 + ln 5) = ln 25 (O_auto: f0 right, f1 left); per_feature: ln 5 + ln 5 = ln 25
      // (5, 10): paper ln 6.25 as above; per_feature ln 5 + ln(5/4) = ln 6.25; (0, 10): f0 <= 0: 0 -> l ln 5,
      //   >= 0: 4 -> r 0; f1 <= 10: 4 -> l 0, >= 10: 3 -> r ln(5/4): paper max(ln 5, ln 1.25, 0 + 0) = ln 5,
      //   per_feature ln 5 + ln 1.25 = ln 6.25
      double[] scores = d.score(new float[][] {{5, -1}, {0, 10}});
      assertArrayEquals(new double[] {Math.log(25), Math.log(6.25)}, scores, 1e-12);
      Files.createDirectories(dir);
      d.save(dir);
      assertTrue(Files.readString(dir.resolve(EcodDetector.FILE_NAME)).contains("\"aggregation\" : \"per_feature\""));
      assertArrayEquals(scores, EcodDetector.load(dir, Scaler.fit(Scaler.Kind.NONE, List.of("f0", "f1"), train))
          .score(new float[][] {{5, -1}, {0, 10}}), 0.0);
    }
    try (EcodDetector paper = fitted(train, "f0", "f1")) {
      assertEquals(Math.log(5), paper.score(new float[][] {{0, 10}})[0], 1e-12, "the paper's max for (0, 10)");
    }
  }

  @Test
  void skewnessIsTheThirdStandardisedMoment() {
    assertEquals(0.0, EcodDetector.skewness(new float[] {1, 2, 3, 4}), 1e-15);
    // 0, 0, 0, 4: mean 1, m2 = (1 + 1 + 1 + 9) / 4 = 3, m3 = (-1 - 1 - 1 + 27) / 4 = 6
    assertEquals(6 / Math.pow(3, 1.5), EcodDetector.skewness(new float[] {0, 0, 0, 4}), 1e-12);
    assertEquals(-6 / Math.pow(3, 1.5), EcodDetector.skewness(new float[] {0, 4, 4, 4}), 1e-12);
    assertEquals(0.0, EcodDetector.skewness(new float[] {7, 7, 7}), 0.0, "a constant feature");
  }

  /** 2,000 draws of an exponential (skewness 2), negated when {@code left}. */
  private static float[][] exponential(boolean left) {
    SplittableRandom r = new SplittableRandom(17);
    float[][] x = new float[2000][1];
    for (float[] row : x) {
      double v = -Math.log(1 - r.nextDouble());
      row[0] = (float) (left ? -v : v);
    }
    return x;
  }

  @Test
  void theSkewnessChoosesTheTail() {
    // a right-skewed feature: a row far in its right tail, and its mirror (about the median) far below every value
    float[][] right = exponential(false);
    float[] sorted = new float[right.length];
    for (int i = 0; i < right.length; i++) {
      sorted[i] = right[i][0];
    }
    java.util.Arrays.sort(sorted);
    float median = sorted[sorted.length / 2];
    float far = sorted[sorted.length - 1] + 1;
    float mirror = 2 * median - far;
    try (EcodDetector d = fitted(right, "x")) {
      double[] tail = d.tailScores(new float[] {far});
      double[] mirrored = d.tailScores(new float[] {mirror});
      assertTrue(tail[2] > mirrored[2], "O_auto: right tail " + tail[2] + " > mirror " + mirrored[2]);
      assertEquals(tail[1], tail[2], 0.0, "O_auto takes the right tail of a right-skewed feature");
      assertEquals(Math.log(right.length + 1), tail[2], 1e-12, "beyond every training value: F = 1 / (n + 1)");
      assertEquals(0.0, mirrored[2], 1e-12, "below every value the right tail holds them all");
    }
    // negated, the feature is left-skewed: O_auto now takes the left tail
    float[][] left = exponential(true);
    try (EcodDetector d = fitted(left, "x")) {
      double[] tail = d.tailScores(new float[] {-far});
      double[] mirrored = d.tailScores(new float[] {-mirror});
      assertTrue(tail[2] > mirrored[2], "O_auto: left tail " + tail[2] + " > mirror " + mirrored[2]);
      assertEquals(tail[0], tail[2], 0.0, "O_auto takes the left tail of a left-skewed feature");
    }
  }

  @Test
  void scoresDoNotDependOnTheOtherRowsScored() {
    PlantedAnomalies data = PlantedAnomalies.make(500, 30, 5, 9);
    try (EcodDetector d = new EcodDetector(ConfigRecords.of(EcodDetector.Config.class, Map.of()))) {
      d.fit(data.train(), Scaler.fit(Scaler.Kind.MINMAX, data.features(), data.train()), RunContext.cpu(1));
      double[] all = d.score(data.test());
      double[] one = d.score(new float[][] {data.test()[3]});
      assertEquals(all[3], one[0], 0.0);
    }
  }

  @Test
  void aDamagedColumnsFileIsRefusedWithItsName(@TempDir Path dir) throws Exception {
    DetectorContract.check(DetectorContract.spec("ecod"), dir, 0.0);
    Path file = dir.resolve("model").resolve(EcodDetector.COLUMNS_FILE);
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 5));
    var e = assertThrows(DataException.class, () -> ModelFolder.load(dir.resolve("model")));
    assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("truncated"), e.getMessage());
    Files.delete(file);
    var missing = assertThrows(DataException.class, () -> ModelFolder.load(dir.resolve("model")));
    assertTrue(missing.getMessage().contains(file.toString()) && missing.getMessage().contains("missing"), missing.getMessage());
  }
}
