package io.deepad4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepad4j.spec.ResolvedSpec;
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

  @Test
  void batchShardsChangeOnlyRounding() {
    // 3 slices of batches of 64 (and of the last, shorter batch): the same training up to float
    // rounding, with dropout drawn once per batch either way; and the same bits for the same seed
    double[] one = trainAndScore(DetectorContract.spec("seq2seq", "model.epochs=2", "model.batch_size=64",
        "model.dropout=0.2", "model.batch_shards=1"));
    ResolvedSpec sharded = DetectorContract.spec("seq2seq", "model.epochs=2", "model.batch_size=64",
        "model.dropout=0.2", "model.batch_shards=3");
    double[] three = trainAndScore(sharded);
    double spread = 0;
    double largestGap = 0;
    for (int i = 0; i < one.length; i++) {
      spread = Math.max(spread, Math.abs(one[i] - one[0]));
      largestGap = Math.max(largestGap, Math.abs(one[i] - three[i]));
    }
    assertTrue(spread > 0, "scores all equal: the comparison would prove nothing");
    assertTrue(largestGap <= 1e-3 * spread, "1 vs 3 slices: scores differ by " + largestGap + " (score spread " + spread + ")");
    assertArrayEquals(three, trainAndScore(sharded), 0.0, "same seed, different scores");
  }

  @Test
  void moreSlicesThanRowsInABatchStillTrain() {
    // 1,000 rows in batches of 333 leave a last batch of 1 row: slices of 0 rows must not fail
    double[] scores = trainAndScore(DetectorContract.spec("seq2seq", "model.epochs=1", "model.batch_size=333",
        "model.batch_shards=4"));
    for (double s : scores) {
      assertTrue(Double.isFinite(s), "score " + s);
    }
  }

  private static double[] trainAndScore(ResolvedSpec spec) {
    return DetectorContract.trainAndScore(spec, 1000);
  }
}
