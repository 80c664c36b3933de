package io.deepad4j.models;

import java.nio.file.Path;
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
}
