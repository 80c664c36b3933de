package io.deepad4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepad4j.data.DataException;
import io.deepad4j.preprocessing.Scaler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LofDetectorTest {

  /** The points of a square lattice 0..40 x 0..40 (spacing 1): a cluster of uniform density. */
  private static float[][] lattice() {
    List<float[]> rows = new ArrayList<>();
    for (int a = 0; a <= 40; a++) {
      for (int b = 0; b <= 40; b++) {
        rows.add(new float[] {a, b});
      }
    }
    return rows.toArray(float[][]::new);
  }

  private static LofDetector lof(int k, int maxRows) {
    return new LofDetector(new LofDetector.Config(k, maxRows));
  }

  @Test
  void passesTheDetectorContract(@TempDir Path dir) throws Exception {
    DetectorContract.check(DetectorContract.spec("lof"), dir, 0.95);
  }

  @Test
  void obviousOutlierRanksFirst() {
    DetectorContract.obviousOutlierRanksFirst(DetectorContract.spec("lof"));
  }

  @Test
  void insideAUniformClusterLofIsOneAndAnOutlierIsFarAbove() {
    // k = 20 on a square lattice: the 20 nearest other points of an inner point are exactly the shells at 1, sqrt 2,
    // 2 and sqrt 5 (4 + 4 + 4 + 8 points), so every inner point has k-distance sqrt 5, every reach-dist among inner
    // points is sqrt 5, lrd = 1 / sqrt 5 and LOF = 1
    float[][] train = lattice();
    try (LofDetector d = lof(20, 0)) {
      d.fit(train, Scaler.fit(Scaler.Kind.NONE, List.of("x", "y"), train), RunContext.cpu(1));
      double[] s = d.score(new float[][] {{20, 20}, {10, 30}, {20.5f, 20.5f}, {60, 60}});
      assertEquals(1.0, s[0], 1e-9, "a lattice point");
      assertEquals(1.0, s[1], 1e-9, "another lattice point");
      // a cell centre: 4 points at sqrt 0.5, 8 at sqrt 2.5, 4 at sqrt 4.5 (all below sqrt 5: reach-dist sqrt 5) and
      // 4 of the 8 at sqrt 6.5 (reach-dist sqrt 6.5): LOF = (16 sqrt 5 + 4 sqrt 6.5) / 20 / sqrt 5
      assertEquals((16 * Math.sqrt(5) + 4 * Math.sqrt(6.5)) / 20 / Math.sqrt(5), s[2], 1e-9);
      assertTrue(s[3] > 1.5, "an outlier far from the lattice: " + s[3]);
      double[] lrd = d.trainingDensities();
      assertEquals(1 / Math.sqrt(5), lrd[20 * 41 + 20], 1e-9, "lrd of the inner point (20, 20)");
    }
  }

  @Test
  void duplicatesKeepDensitiesFinite() {
    // 30 copies of (0, 0) and a spread of other points: with k = 20 the copies' neighbours are all at distance 0
    List<float[]> rows = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      rows.add(new float[] {0, 0});
    }
    for (int i = 1; i <= 40; i++) {
      rows.add(new float[] {i, 2 * i % 7});
    }
    float[][] train = rows.toArray(float[][]::new);
    try (LofDetector d = lof(20, 0)) {
      d.fit(train, Scaler.fit(Scaler.Kind.NONE, List.of("x", "y"), train), RunContext.cpu(1));
      double[] lrd = d.trainingDensities();
      assertEquals(1 / LofDetector.EPSILON, lrd[0], 1e-3, "a copy's mean reach-dist is 0: lrd = 1 / epsilon");
      double[] s = d.score(new float[][] {{0, 0}, {0.01f, 0}});
      assertEquals(1.0, s[0], 1e-9, "a new row on the copies is as dense as they are");
      assertTrue(Double.isFinite(s[1]) && s[1] > 1e3, "next to the copies but not on them: far less dense, finite: " + s[1]);
    }
  }

  @Test
  void tooFewRowsForKNamesTheKey() {
    float[][] train = new float[20][];
    for (int i = 0; i < train.length; i++) {
      train[i] = new float[] {i};
    }
    try (LofDetector d = lof(20, 0)) {
      var e = assertThrows(IllegalArgumentException.class,
          () -> d.fit(train, Scaler.fit(Scaler.Kind.NONE, List.of("x"), train), RunContext.cpu(1)));
      assertTrue(e.getMessage().contains("model.n_neighbors = 20") && e.getMessage().contains("at least 21"), e.getMessage());
    }
  }

  @Test
  void theCapAppliesAndAMissingRowsFileIsNamed(@TempDir Path dir) throws Exception {
    DetectorContract.check(DetectorContract.spec("lof", "model.max_train_rows=500"), dir, 0.9);
    Path model = dir.resolve("model");
    assertTrue(Files.readString(model.resolve(LofDetector.FILE_NAME)).contains("\"train_rows\" : 500"));
    Path rows = model.resolve(LofDetector.ROWS_FILE);
    Files.delete(rows);
    var e = assertThrows(DataException.class, () -> ModelFolder.load(model));
    assertTrue(e.getMessage().contains(rows.toString()) && e.getMessage().contains("missing"), e.getMessage());
  }
}
