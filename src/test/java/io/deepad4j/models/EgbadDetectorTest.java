package io.deepad4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EgbadDetectorTest {
  // the paper's learning rate (1e-5) needs far more steps than a unit test can afford
  private static final String[] FAST = {"model.epochs=20", "model.batch_size=32", "model.latent_dim=4",
      "model.learning_rate=0.002", "model.ema_decay=0.99"};

  private static String[] with(String... more) {
    String[] all = java.util.Arrays.copyOf(FAST, FAST.length + more.length);
    System.arraycopy(more, 0, all, FAST.length, more.length);
    return all;
  }

  @Test
  void featureMatchingScoreSeparatesPlantedAnomaliesAndReloads(@TempDir Path dir) throws Exception {
    DetectorContract.check(DetectorContract.spec("egbad", with("model.score_variant=feature_matching")), dir, 0.9);
  }

  @Test
  void crossEntropyScoreSeparatesPlantedAnomaliesAndReloads(@TempDir Path dir) throws Exception {
    DetectorContract.check(DetectorContract.spec("egbad", with("model.score_variant=cross_entropy")), dir, 0.9);
  }

  @Test
  void spectralNormAlternatingUpdatesAndReconstructionTermSeparatePlantedAnomaliesAndReload(@TempDir Path dir)
      throws Exception {
    DetectorContract.check(DetectorContract.spec("egbad", with("model.spectral_norm=true",
        "model.gan_updates=alternating", "model.reconstruction_weight=1")), dir, 0.9);
  }

  @Test
  void alternatingUpdatesAreReproducibleAndDifferFromSimultaneousOnes() {
    double[] alternating = DetectorContract.trainAndScore(
        DetectorContract.spec("egbad", with("model.epochs=3", "model.gan_updates=alternating")), 400);
    double[] again = DetectorContract.trainAndScore(
        DetectorContract.spec("egbad", with("model.epochs=3", "model.gan_updates=alternating")), 400);
    double[] simultaneous = DetectorContract.trainAndScore(
        DetectorContract.spec("egbad", with("model.epochs=3", "model.gan_updates=simultaneous")), 400);
    assertArrayEquals(alternating, again, "same seed, same scores");
    assertFalse(Arrays.equals(alternating, simultaneous), "alternating updates trained the same weights as simultaneous ones");
  }

  @Test
  void reconstructionWeightLowersTheReconstructionError() {
    // score_weight 0: the score is the L1 reconstruction error |x - G(E(x))| alone; last weights
    double plain = normalRowsMean(DetectorContract.trainAndScore(DetectorContract.spec("egbad",
        with("model.score_weight=0", "model.ema_decay=0", "model.reconstruction_weight=0")), 1000));
    double trained = normalRowsMean(DetectorContract.trainAndScore(DetectorContract.spec("egbad",
        with("model.score_weight=0", "model.ema_decay=0", "model.reconstruction_weight=10")), 1000));
    assertTrue(trained < 0.5 * plain, "mean reconstruction error " + trained + " with the term, " + plain + " without");
  }

  /** The mean score of the 100 normal test rows of {@link DetectorContract#trainAndScore}. */
  private static double normalRowsMean(double[] scores) {
    return Arrays.stream(scores, 0, 100).average().orElseThrow();
  }
}
