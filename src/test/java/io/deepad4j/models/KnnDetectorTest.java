package io.deepad4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepad4j.data.DataException;
import io.deepad4j.engine.TrainingHistory;
import io.deepad4j.preprocessing.Scaler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnnDetectorTest {
  /** 1-d training rows 0, 1, 3, 6. */
  private static final float[][] LINE = {{0}, {1}, {3}, {6}};

  private static KnnDetector knn(int k, KnnDetector.Method method, int maxRows) {
    return new KnnDetector(new KnnDetector.Config(k, method, maxRows));
  }

  @Test
  void passesTheDetectorContract(@TempDir Path dir) throws Exception {
    for (String method : List.of("largest", "mean", "median")) {
      Path sub = dir.resolve(method);
      DetectorContract.check(DetectorContract.spec("knn", "model.method=" + method), sub, 0.95);
    }
  }

  @Test
  void obviousOutlierRanksFirst() {
    DetectorContract.obviousOutlierRanksFirst(DetectorContract.spec("knn"));
  }

  @Test
  void methodsCombineTheDistances() {
    double[] d = {1, 2, 4, 8};
    assertEquals(8, KnnDetector.combine(KnnDetector.Method.LARGEST, d));
    assertEquals(3.75, KnnDetector.combine(KnnDetector.Method.MEAN, d));
    assertEquals(3, KnnDetector.combine(KnnDetector.Method.MEDIAN, d), "even k: the mean of the middle two");
    assertEquals(2, KnnDetector.combine(KnnDetector.Method.MEDIAN, new double[] {1, 2, 4}));
  }

  @Test
  void handComputedScores() {
    Scaler none = Scaler.fit(Scaler.Kind.NONE, List.of("x"), LINE);
    try (KnnDetector largest = knn(2, KnnDetector.Method.LARGEST, 0); KnnDetector mean = knn(3, KnnDetector.Method.MEAN, 0)) {
      largest.fit(LINE, none, RunContext.cpu(1));
      mean.fit(LINE, none, RunContext.cpu(1));
      // 2 is 2, 1, 1, 4 from the rows: 2nd nearest 1; 10 is 10, 9, 7, 4: 2nd nearest 7; 3 (a training row) has itself at 0
      assertArrayEquals(new double[] {1, 7, 2}, largest.score(new float[][] {{2}, {10}, {3}}), 1e-12);
      // mean of the 3 nearest: (1 + 1 + 2) / 3 and (4 + 7 + 9) / 3
      assertArrayEquals(new double[] {4.0 / 3, 20.0 / 3}, mean.score(new float[][] {{2}, {10}}), 1e-12);
      // the training rows without themselves: 2nd nearest of 0 is 3 (1, 3), of 1 is 2 (1, 2), of 3 is 3 (2, 3), of 6 is 5 (3, 5)
      assertArrayEquals(new double[] {3, 2, 3, 5}, largest.trainingScores(), 1e-12);
    }
  }

  @Test
  void theCapKeepsSeededRowsAndSaysSo() {
    PlantedAnomalies data = PlantedAnomalies.make(2000, 50, 10, 4);
    Scaler scaler = Scaler.fit(Scaler.Kind.MINMAX, data.features(), data.train());
    try (KnnDetector a = knn(5, KnnDetector.Method.LARGEST, 100); KnnDetector b = knn(5, KnnDetector.Method.LARGEST, 100);
        KnnDetector all = knn(5, KnnDetector.Method.LARGEST, 0)) {
      TrainingHistory h = a.fit(data.train(), scaler, RunContext.cpu(1));
      assertEquals(100.0, h.fitMetrics().get(TrainingRows.ROWS_METRIC));
      assertEquals(1.0, h.fitMetrics().get(TrainingRows.CAPPED_METRIC));
      assertEquals(100L * PlantedAnomalies.FEATURES, a.parameterCount());
      b.fit(data.train(), scaler, RunContext.cpu(2));
      assertFalse(java.util.Arrays.equals(a.score(data.test()), b.score(data.test())), "another seed keeps other rows");
      TrainingHistory full = all.fit(data.train(), scaler, RunContext.cpu(1));
      assertEquals(0.0, full.fitMetrics().get(TrainingRows.CAPPED_METRIC));
      assertEquals(2000L * PlantedAnomalies.FEATURES, all.parameterCount());
    }
  }

  @Test
  void tooFewRowsForKNamesTheKey() {
    try (KnnDetector d = knn(5, KnnDetector.Method.LARGEST, 0)) {
      var e = assertThrows(IllegalArgumentException.class,
          () -> d.fit(LINE, Scaler.fit(Scaler.Kind.NONE, List.of("x"), LINE), RunContext.cpu(1)));
      assertTrue(e.getMessage().contains("model.n_neighbors = 5"), e.getMessage());
    }
  }

  @Test
  void aDamagedRowsFileIsRefusedWithItsName(@TempDir Path dir) throws Exception {
    DetectorContract.check(DetectorContract.spec("knn"), dir, 0.0);
    Path model = dir.resolve("model");
    Path rows = model.resolve(KnnDetector.ROWS_FILE);
    byte[] bytes = Files.readAllBytes(rows);
    bytes[100] ^= 0x10;
    Files.write(rows, bytes);
    var e = assertThrows(DataException.class, () -> ModelFolder.load(model));
    assertTrue(e.getMessage().contains(rows.toString()) && e.getMessage().contains("checksum"), e.getMessage());
    Path settings = model.resolve(KnnDetector.FILE_NAME);
    Files.writeString(settings, Files.readString(settings).replace("\"largest\"", "\"biggest\""));
    var m = assertThrows(DataException.class, () -> ModelFolder.load(model));
    assertTrue(m.getMessage().contains(settings.toString()) && m.getMessage().contains("biggest"), m.getMessage());
  }
}
