package io.deepad4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.deepad4j.preprocessing.Scaler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcaDetectorTest {
  /** Points on the line (1, 1) + t (1, 2); t = 3 is the farthest from their mean, so it fixes the sign. */
  private static final float[][] LINE = {{0, -1}, {1, 1}, {2, 3}, {4, 7}};

  @Test
  void separatesPlantedAnomaliesAndReloads(@TempDir Path dir) throws Exception {
    DetectorContract.check(DetectorContract.spec("pca"), dir, 0.95);
    var saved = new ObjectMapper().readTree(dir.resolve("model").resolve(PcaDetector.FILE_NAME).toFile());
    assertEquals(2, saved.get("components").size());
    assertEquals(PlantedAnomalies.FEATURES, saved.get("mean").size());
    assertEquals(SavedFormat.javaAndTensorflow(PcaDetector.FILE_NAME, null), new PcaDetector(new PcaDetector.Config(2,
        PcaDetector.Score.RECONSTRUCTION, 0)).savedFormat());
  }

  @Test
  void distanceScoreReloadsIdentically(@TempDir Path dir) throws Exception {
    DetectorContract.check(DetectorContract.spec("pca", "model.score=distance", "model.n_components=3"), dir, 0.0);
  }

  @Test
  void firstComponentLiesAlongTheLine() {
    PrincipalComponents p = PrincipalComponents.fit(LINE, 1);
    double r5 = Math.sqrt(5);
    assertArrayEquals(new double[] {1.75, 2.5}, p.mean(), 1e-12);
    assertArrayEquals(new double[] {1 / r5, 2 / r5}, p.components()[0], 1e-12);
    // centred t = -1.75, -0.75, 0.25, 2.25: sum of squares 8.75, times |(1, 2)|^2 = 5, over n - 1 = 3
    assertEquals(8.75 * 5 / 3, p.explainedVariance()[0], 1e-9);
    assertEquals(1.0, p.explainedVarianceRatio()[0], 1e-12);
  }

  @Test
  void reconstructionErrorIsTheSquaredDistanceToTheLine() {
    PrincipalComponents p = PrincipalComponents.fit(LINE, 1);
    // (3, 0) = (1, 1) + (2, -1), and (2, -1) is perpendicular to the line: squared distance 5
    assertEquals(5.0, p.reconstructionError(new float[] {3, 0}), 1e-9);
    assertEquals(0.0, p.reconstructionError(new float[] {5, 9}), 1e-9);
    // FF12's distance: |x - c| with c = (1, 2)/sqrt 5 as a point: sqrt(|x|^2 - 2 x.c + 1)
    assertEquals(Math.sqrt(10 - 6 / Math.sqrt(5)), p.componentDistance(new float[] {3, 0}), 1e-9);
  }

  @Test
  void signFollowsTheMostExtremeTrainingRow() {
    float[][] mirrored = {{2, 3}, {1, 1}, {0, -1}, {-2, -5}};   // now the extreme row lies at t = -3
    PrincipalComponents p = PrincipalComponents.fit(mirrored, 1);
    double r5 = Math.sqrt(5);
    assertArrayEquals(new double[] {-1 / r5, -2 / r5}, p.components()[0], 1e-12);
  }

  @Test
  void detectorScalesRowsBeforeProjecting() {
    Scaler scaler = Scaler.fit(Scaler.Kind.MINMAX, List.of("x", "y"), LINE);
    try (PcaDetector d = new PcaDetector(new PcaDetector.Config(1, PcaDetector.Score.RECONSTRUCTION, 0))) {
      d.fit(LINE, scaler, RunContext.cpu(1));
      double[] s = d.score(new float[][] {{2, 3}, {3, 0}});
      assertEquals(0.0, s[0], 1e-9);
      // scaled: (3, 0) -> (0.75, 0.125), the line -> y = x; squared distance (0.75 - 0.125)^2 / 2
      assertEquals(0.625 * 0.625 / 2, s[1], 1e-6);
      assertEquals(4, d.parameterCount());
    }
  }

  @Test
  void tooManyComponentsNamesTheKey() {
    Scaler scaler = Scaler.fit(Scaler.Kind.NONE, List.of("x", "y"), LINE);
    try (PcaDetector d = new PcaDetector(new PcaDetector.Config(3, PcaDetector.Score.RECONSTRUCTION, 0))) {
      var e = assertThrows(IllegalArgumentException.class, () -> d.fit(LINE, scaler, RunContext.cpu(1)));
      assertTrue(e.getMessage().contains("model.n_components"), e.getMessage());
    }
  }

  /** One suite configuration for 3 to 1,555 features: a share of them, never all (no residual) nor none. */
  @Test
  void componentsFractionFitsEveryWidth() {
    assertEquals(2, PcaDetector.components(0.5, 3));
    assertEquals(2, PcaDetector.components(0.9, 3), "at most features - 1");
    assertEquals(1, PcaDetector.components(0.01, 3), "at least 1");
    assertEquals(778, PcaDetector.components(0.5, 1555));
    Scaler scaler = Scaler.fit(Scaler.Kind.NONE, List.of("x", "y"), LINE);
    try (PcaDetector d = new PcaDetector(new PcaDetector.Config(5, PcaDetector.Score.RECONSTRUCTION, 0.9))) {
      d.fit(LINE, scaler, RunContext.cpu(1)); // n_components 5 > 2 features is not used
      assertEquals(4, d.parameterCount(), "1 component of 2 features + the mean");
    }
  }
}
