package io.deepad4j.models;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Seq2SeqDetectorTest {
  @Test
  void separatesPlantedAnomaliesAndReloads(@TempDir Path dir) throws Exception {
    DetectorContract.check(DetectorContract.spec("seq2seq", "model.epochs=5", "model.batch_size=64"), dir, 0.9);
  }

  @Test
  void greedyDecodingSeparatesPlantedAnomalies(@TempDir Path dir) throws Exception {
    DetectorContract.check(DetectorContract.spec("seq2seq", "model.epochs=20", "model.batch_size=64", "model.decoding=greedy"), dir, 0.9);
  }
}
