package io.deepad4j.models;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AladDetectorTest {
  // the paper's learning rate (1e-5) needs far more steps than a unit test can afford
  private static final String[] FAST = {"model.epochs=20", "model.batch_size=32", "model.latent_dim=4",
      "model.learning_rate=0.002", "model.ema_decay=0.99"};

  private static String[] with(String... more) {
    String[] all = Arrays.copyOf(FAST, FAST.length + more.length);
    System.arraycopy(more, 0, all, FAST.length, more.length);
    return all;
  }

  @Test
  void featureMatchingScoreSeparatesPlantedAnomaliesAndReloads(@TempDir Path dir) throws Exception {
    DetectorContract.check(DetectorContract.spec("alad", with("model.score_variant=fm")), dir, 0.9);
  }

  @Test
  void reconstructionScoreWithSpectralNormSeparatesPlantedAnomaliesAndReloads(@TempDir Path dir) throws Exception {
    DetectorContract.check(DetectorContract.spec("alad", with("model.score_variant=l1", "model.spectral_norm=true")), dir, 0.9);
  }

  @Test
  void l2AndLogitScoresRankPlantedAnomaliesHigh(@TempDir Path dir) throws Exception {
    DetectorContract.check(DetectorContract.spec("alad", with("model.score_variant=l2", "model.ema_decay=0")), dir.resolve("l2"), 0.9);
    DetectorContract.check(DetectorContract.spec("alad", with("model.score_variant=logits")), dir.resolve("logits"), 0.8);
  }

  @Test
  void alternatingUpdatesAndReconstructionTermSeparatePlantedAnomaliesAndReload(@TempDir Path dir) throws Exception {
    DetectorContract.check(DetectorContract.spec("alad",
        with("model.gan_updates=alternating", "model.reconstruction_weight=1", "model.spectral_norm=true")), dir, 0.9);
  }

  @Test
  void weightedCycleTermsAndReconstructionTermSeparatePlantedAnomaliesAndReload(@TempDir Path dir) throws Exception {
    DetectorContract.check(DetectorContract.spec("alad", with("model.cycle_weight=10",
        "model.reconstruction_weight=100", "model.score_variant=l1", "model.spectral_norm=true", "model.ema_decay=0")), dir, 0.9);
  }

  @Test
  void aDetectorWithSpectralLayersCanBeFittedTwice() {
    // each fit builds a new graph: the spectral layers of the previous one must not be carried over
    io.deepad4j.spec.ResolvedSpec spec =
        DetectorContract.spec("alad", with("model.epochs=1", "model.spectral_norm=true"));
    PlantedAnomalies data = PlantedAnomalies.make(300, 50, 10, 4);
    io.deepad4j.preprocessing.Scaler scaler =
        io.deepad4j.preprocessing.Scaler.fit(io.deepad4j.preprocessing.Scaler.Kind.MINMAX, data.features(), data.train());
    try (Detector d = ModelRegistry.get().create(spec)) {
      d.fit(data.train(), scaler, RunContext.cpu(spec.seed()));
      double[] first = d.score(data.test());
      d.fit(data.train(), scaler, RunContext.cpu(spec.seed()));
      org.junit.jupiter.api.Assertions.assertArrayEquals(first, d.score(data.test()), 0.0,
          "the same seed refitted must give the same scores");
    }
  }
}
