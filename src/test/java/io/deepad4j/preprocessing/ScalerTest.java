package io.deepad4j.preprocessing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScalerTest {
  private final float[][] train = {{0, 10, 5}, {2, 20, 5}, {4, 30, 5}};

  @Test
  void minmaxMapsTheTrainingRangeToUnitIntervalWithoutClipping() {
    Scaler s = Scaler.fit(Scaler.Kind.MINMAX, List.of("a", "b", "c"), train);
    float[][] t = s.transform(new float[][] {{0, 10, 5}, {4, 30, 5}, {8, 0, 7}});
    assertArrayEquals(new float[] {0, 0, 0}, t[0], 1e-6f);
    assertArrayEquals(new float[] {1, 1, 0}, t[1], 1e-6f);
    assertArrayEquals(new float[] {2, -0.5f, 2}, t[2], 1e-6f); // constant feature: scale 1
  }

  @Test
  void standardUsesTrainingMeanAndPopulationStd() {
    Scaler s = Scaler.fit(Scaler.Kind.STANDARD, List.of("a", "b", "c"), train);
    // a: mean 2, std sqrt(8/3)
    float[][] t = s.transform(new float[][] {{2, 20, 5}, {4, 30, 5}});
    assertArrayEquals(new float[] {0, 0, 0}, t[0], 1e-6f);
    assertEquals(2 / Math.sqrt(8.0 / 3), t[1][0], 1e-5);
  }

  @Test
  void standardNumericLeavesZeroOneColumnsAndStandardisesTheOthers() {
    float[][] rows = {{0, 10, 1}, {1, 20, 0}, {0, 30, 0}, {1, 40, 1}};
    Scaler s = Scaler.fit(Scaler.Kind.STANDARD_NUMERIC, List.of("flag", "bytes", "onehot"), rows);
    float[][] t = s.transform(new float[][] {{1, 25, 1}, {0, 40, 0}});
    // bytes: mean 25, population std sqrt(125); the 0/1 columns keep their values
    assertArrayEquals(new float[] {1, 0, 1}, t[0], 1e-6f);
    assertArrayEquals(new float[] {0, (float) (15 / Math.sqrt(125)), 0}, t[1], 1e-5f);
    assertEquals(Scaler.Kind.STANDARD_NUMERIC, Scaler.Kind.of("standard_numeric"));
  }

  @Test
  void savesAndLoads(@TempDir Path dir) throws Exception {
    Scaler s = Scaler.fit(Scaler.Kind.MINMAX, List.of("a", "b", "c"), train);
    s.save(dir.resolve("p.json"));
    Scaler back = Scaler.load(dir.resolve("p.json"));
    assertEquals(s.featureNames(), back.featureNames());
    assertArrayEquals(s.offset(), back.offset());
    assertArrayEquals(s.scale(), back.scale());
  }
}
