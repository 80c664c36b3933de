package io.deepad4j.models;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AutoencoderDetectorTest {
  @Test
  void separatesPlantedAnomaliesAndReloads(@TempDir Path dir) throws Exception {
    DetectorContract.check(DetectorContract.spec("ae", "model.epochs=60", "model.hidden=[6,4]", "model.batch_size=32", "model.activation=tanh"), dir, 0.9);
  }
}
