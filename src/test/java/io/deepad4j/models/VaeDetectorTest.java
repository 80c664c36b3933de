package io.deepad4j.models;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VaeDetectorTest {
  private static final String[] SMALL = {"model.epochs=40", "model.hidden=[6,4]", "model.batch_size=32", "model.kl_weight=0.01"};

  @Test
  void separatesPlantedAnomaliesAndReloads(@TempDir Path dir) throws Exception {
    DetectorContract.check(DetectorContract.spec("vae", SMALL), dir, 0.9);
  }

  @Test
  void sampledScoresAreReproducibleAfterReload(@TempDir Path dir) throws Exception {
    // the scoring draws are constants of the graph, so the reloaded model gives the same scores
    DetectorContract.check(DetectorContract.spec("vae", concat(SMALL, "model.score=mean_reconstruction", "model.samples=5")), dir, 0.9);
  }

  @Test
  void denoisingVaeSeparatesPlantedAnomalies(@TempDir Path dir) throws Exception {
    DetectorContract.check(DetectorContract.spec("vae", concat(SMALL, "model.dropout=0.3")), dir, 0.9);
  }

  @Test
  void elboScoreSeparatesPlantedAnomalies(@TempDir Path dir) throws Exception {
    DetectorContract.check(DetectorContract.spec("vae", concat(SMALL, "model.score=elbo")), dir, 0.9);
  }

  static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
