package io.deepad4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AutoencoderDetectorTest {
  @Test
  void separatesPlantedAnomaliesAndReloads(@TempDir Path dir) throws Exception {
    DetectorContract.check(DetectorContract.spec("ae", "model.epochs=60", "model.hidden=[6,4]", "model.batch_size=32", "model.activation=tanh"), dir, 0.9);
  }

  @Test
  void denoisingAutoencoderSeparatesAndReloads(@TempDir Path dir) throws Exception {
    DetectorContract.check(DetectorContract.spec("ae", "model.epochs=60", "model.hidden=[6,4]", "model.batch_size=32",
        "model.activation=tanh", "model.dropout=0.2"), dir, 0.9);
  }

  @Test
  void inputDropoutChangesTrainingAndIsReproducible() {
    String[] keys = {"model.epochs=3", "model.hidden=[6,4]", "model.batch_size=32"};
    double[] plain = DetectorContract.trainAndScore(DetectorContract.spec("ae", keys), 500);
    String[] noisy = VaeDetectorTest.concat(keys, "model.dropout=0.5");
    double[] once = DetectorContract.trainAndScore(DetectorContract.spec("ae", noisy), 500);
    assertFalse(java.util.Arrays.equals(plain, once), "dropout did not change training");
    assertArrayEquals(once, DetectorContract.trainAndScore(DetectorContract.spec("ae", noisy), 500), 0.0);
  }
}
