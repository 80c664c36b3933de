package io.deepad4j.models;

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
}
