package io.deepad4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepad4j.spec.ResolvedSpec;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BiganDetectorTest {
  private static final String[] SMALL = {"model.epochs=30", "model.dense_dim=32", "model.batch_size=64",
      "model.d_learning_rate=0.001", "model.g_learning_rate=0.001"};

  @Test
  void separatesPlantedAnomaliesAndReloads(@TempDir Path dir) throws Exception {
    DetectorContract.check(DetectorContract.spec("bigan", SMALL), dir, 0.8);
  }

  @Test
  void featureMatchingScoreSeparatesPlantedAnomalies(@TempDir Path dir) throws Exception {
    DetectorContract.check(DetectorContract.spec("bigan", VaeDetectorTest.concat(SMALL, "model.score_variant=feature_matching")), dir, 0.8);
  }

  @Test
  void movingAverageScoresSeparateAndReload(@TempDir Path dir) throws Exception {
    DetectorContract.check(DetectorContract.spec("bigan", VaeDetectorTest.concat(SMALL, "model.ema_decay=0.99")), dir, 0.8);
  }

  @Test
  void denoisingReconstructionTermSeparatesAndReloads(@TempDir Path dir) throws Exception {
    DetectorContract.check(DetectorContract.spec("bigan",
        VaeDetectorTest.concat(SMALL, "model.encoder_dropout=0.2", "model.reconstruction_weight=10", "model.ema_decay=0.99")), dir, 0.8);
  }

  @Test
  void reconstructionTermLowersTheReconstructionError() {
    // the same steps with and without |x - G(E(x))| in g_loss: the term must pull reconstructions
    // towards the rows, so with w = 0 (score = L1 reconstruction only) normal rows score lower
    String[] plain = VaeDetectorTest.concat(SMALL, "model.epochs=10", "model.score_weight=0");
    double[] without = trainAndScore(DetectorContract.spec("bigan", plain));
    double[] with = trainAndScore(DetectorContract.spec("bigan", VaeDetectorTest.concat(plain, "model.reconstruction_weight=10")));
    double normalWithout = java.util.Arrays.stream(without, 0, 100).average().orElseThrow();
    double normalWith = java.util.Arrays.stream(with, 0, 100).average().orElseThrow();
    assertTrue(normalWith < 0.5 * normalWithout,
        "mean L1 reconstruction of normal rows: " + normalWith + " with the term, " + normalWithout + " without");
  }

  @Test
  void movingAverageChangesTheScores() {
    // same seed: the same training steps, scored with the last weights or with their average
    String[] shortRun = VaeDetectorTest.concat(SMALL, "model.epochs=3");
    double[] last = trainAndScore(DetectorContract.spec("bigan", shortRun));
    double[] averaged = trainAndScore(DetectorContract.spec("bigan", VaeDetectorTest.concat(shortRun, "model.ema_decay=0.9")));
    assertFalse(java.util.Arrays.equals(last, averaged), "ema_decay did not change the scores");
  }

  @Test
  void chainedStepsWithTwoObjectivesAreReproducible() {
    // two optimizers, noise and dropout, four steps per Session.run: same seed, same bits
    ResolvedSpec spec = DetectorContract.spec("bigan", VaeDetectorTest.concat(SMALL, "model.epochs=3", "model.steps_per_execution=10", "model.dense_dim=128"));
    assertArrayEquals(trainAndScore(spec), trainAndScore(spec), 0.0);
  }

  private static double[] trainAndScore(ResolvedSpec spec) {
    return DetectorContract.trainAndScore(spec, 2000);
  }
}
