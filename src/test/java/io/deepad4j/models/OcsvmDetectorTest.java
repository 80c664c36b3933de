package io.deepad4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepad4j.preprocessing.Scaler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OcsvmDetectorTest {
  @Test
  void separatesPlantedAnomaliesAndReloads(@TempDir Path dir) throws Exception {
    DetectorContract.check(DetectorContract.spec("ocsvm"), dir, 0.95);
    assertTrue(Files.size(dir.resolve("model").resolve(OcsvmDetector.FILE_NAME)) > 0);
  }

  @Test
  void supportVectorsAreCountedAndSubsamplingChangesTheModel() {
    PlantedAnomalies data = PlantedAnomalies.make(1000, 50, 10, 3);
    Scaler scaler = Scaler.fit(Scaler.Kind.MINMAX, data.features(), data.train());
    try (OcsvmDetector all = new OcsvmDetector(new OcsvmDetector.Config(0.1, 0.5, OcsvmDetector.Kernel.RBF, 3, 0, 100, 0, 1e-3, OcsvmDetector.Center.AUTO, OcsvmDetector.RowOrder.OUTLIERS_FIRST));
        OcsvmDetector some = new OcsvmDetector(new OcsvmDetector.Config(0.1, 0.5, OcsvmDetector.Kernel.RBF, 3, 0, 100, 200, 1e-3, OcsvmDetector.Center.AUTO, OcsvmDetector.RowOrder.OUTLIERS_FIRST))) {
      all.fit(data.train(), scaler, RunContext.cpu(1));
      some.fit(data.train(), scaler, RunContext.cpu(1));
      // nu bounds the share of support vectors from below: at least 100 of 1000 rows, 20 of 200
      long features = PlantedAnomalies.FEATURES;
      assertTrue(all.parameterCount() >= 100 * features && all.parameterCount() % features == 0, "" + all.parameterCount());
      assertTrue(some.parameterCount() >= 20 * features && some.parameterCount() < all.parameterCount(), "" + some.parameterCount());
      assertNotEquals(all.score(data.test())[0], some.score(data.test())[0]);
    }
  }

  @Test
  void reloadRejectsAScalerWithOtherFeatureNames(@TempDir Path dir) throws Exception {
    PlantedAnomalies data = PlantedAnomalies.make(300, 10, 10, 4);
    Scaler scaler = Scaler.fit(Scaler.Kind.MINMAX, data.features(), data.train());
    try (OcsvmDetector d = new OcsvmDetector(new OcsvmDetector.Config(0.05, 0.5, OcsvmDetector.Kernel.RBF, 3, 0, 100, 0, 1e-3, OcsvmDetector.Center.AUTO, OcsvmDetector.RowOrder.OUTLIERS_FIRST))) {
      d.fit(data.train(), scaler, RunContext.cpu(1));
      d.save(dir);
    }
    List<String> misspelt = data.features().stream().map(f -> f.equals("f3") ? "f_3" : f).toList();
    Scaler other = Scaler.fit(Scaler.Kind.MINMAX, misspelt, data.train());
    var e = assertThrows(java.io.IOException.class, () -> OcsvmDetector.load(dir, other));
    assertTrue(e.getMessage().contains("f_3") && e.getMessage().contains("f3"), e.getMessage());
  }

  @Test
  void outliersFirstOrderSolvesTheSameProblem() {
    // 2 x PILOT_ROWS rows: the smallest training set that gets ordered
    PlantedAnomalies data = PlantedAnomalies.make(2 * OcsvmDetector.PILOT_ROWS, 200, 50, 5);
    Scaler scaler = Scaler.fit(Scaler.Kind.MINMAX, data.features(), data.train());
    try (OcsvmDetector given = new OcsvmDetector(new OcsvmDetector.Config(0.05, 0.5, OcsvmDetector.Kernel.RBF, 3, 0, 100, 0, 1e-3, OcsvmDetector.Center.AUTO, OcsvmDetector.RowOrder.GIVEN));
        OcsvmDetector ordered = new OcsvmDetector(new OcsvmDetector.Config(0.05, 0.5, OcsvmDetector.Kernel.RBF, 3, 0, 100, 0, 1e-3, OcsvmDetector.Center.AUTO, OcsvmDetector.RowOrder.OUTLIERS_FIRST))) {
      given.fit(data.train(), scaler, RunContext.cpu(1));
      ordered.fit(data.train(), scaler, RunContext.cpu(1));
      double[] a = given.score(data.test());
      double[] b = ordered.score(data.test());
      double spread = Arrays.stream(a).max().orElseThrow() - Arrays.stream(a).min().orElseThrow();
      for (int i = 0; i < a.length; i++) {
        // the same optimum up to libsvm's stopping tolerance
        assertEquals(a[i], b[i], 1e-3 * spread, "test row " + i);
      }
      long sv = given.parameterCount() / PlantedAnomalies.FEATURES;
      assertEquals(sv, ordered.parameterCount() / PlantedAnomalies.FEATURES, 0.02 * sv);
    }
  }

  @Test
  void outliersFirstSortsByScoreKeepingTiesInOrder() {
    float[][] rows = {{0}, {1}, {2}, {3}};
    float[][] out = OcsvmDetector.outliersFirst(rows, new double[] {0.1, 0.5, 0.5, -1});
    assertTrue(Arrays.deepEquals(new float[][] {{1}, {2}, {0}, {3}}, out), Arrays.deepToString(out));
    assertTrue(Arrays.deepEquals(new float[][] {{0}, {1}, {2}, {3}}, rows), "input left as it was");
  }

  @Test
  void sparseExamplesListTheNonZeroValuesOnly() {
    String[] names = {"a", "b", "c"};
    var e = OcsvmDetector.sparseExample(org.tribuo.anomaly.AnomalyFactory.EXPECTED_EVENT, names, new float[] {0, 2.5f, 0});
    assertEquals(1, e.size());
    assertEquals("b", e.lookup("b").getName());
    assertEquals(2.5, e.lookup("b").getValue());
    var zero = OcsvmDetector.sparseExample(org.tribuo.anomaly.AnomalyFactory.EXPECTED_EVENT, names, new float[] {0, 0, 0});
    assertEquals(1, zero.size(), "Tribuo needs a feature in every example");
    assertEquals(0.0, zero.lookup("a").getValue());
  }

  @Test
  void toleranceReachesLibsvm() {
    PlantedAnomalies data = PlantedAnomalies.make(1000, 50, 10, 6);
    Scaler scaler = Scaler.fit(Scaler.Kind.MINMAX, data.features(), data.train());
    try (OcsvmDetector tight = new OcsvmDetector(new OcsvmDetector.Config(0.1, 0.5, OcsvmDetector.Kernel.RBF, 3, 0, 100, 0, 1e-3, OcsvmDetector.Center.AUTO, OcsvmDetector.RowOrder.GIVEN));
        OcsvmDetector loose = new OcsvmDetector(new OcsvmDetector.Config(0.1, 0.5, OcsvmDetector.Kernel.RBF, 3, 0, 100, 0, 0.9, OcsvmDetector.Center.AUTO, OcsvmDetector.RowOrder.GIVEN))) {
      tight.fit(data.train(), scaler, RunContext.cpu(1));
      loose.fit(data.train(), scaler, RunContext.cpu(1));
      // a stopping tolerance of 0.9 ends the solver long before 1e-3 does
      assertNotEquals(tight.score(data.test())[0], loose.score(data.test())[0]);
    }
  }

  @Test
  void modesPickTheMostCommonValueAndTheSmallestOfATie() {
    float[][] rows = {{1, 6}, {2, 5}, {2, 6}, {3, 5}};
    assertTrue(Arrays.equals(new float[] {2, 5}, OcsvmDetector.modes(rows)), Arrays.toString(OcsvmDetector.modes(rows)));
  }

  @Test
  void centeringSolvesTheSameRbfProblemAndReloads(@TempDir Path dir) throws Exception {
    PlantedAnomalies data = PlantedAnomalies.make(1500, 100, 20, 8);
    float[][] train = withCommonValue(data.train());
    float[][] test = withCommonValue(data.test());
    Scaler scaler = Scaler.fit(Scaler.Kind.MINMAX, data.features(), train);
    double[] centered;
    try (OcsvmDetector none = new OcsvmDetector(new OcsvmDetector.Config(0.05, 0.5, OcsvmDetector.Kernel.RBF, 3, 0, 100, 0, 1e-3, OcsvmDetector.Center.NONE, OcsvmDetector.RowOrder.GIVEN));
        OcsvmDetector auto = new OcsvmDetector(new OcsvmDetector.Config(0.05, 0.5, OcsvmDetector.Kernel.RBF, 3, 0, 100, 0, 1e-3, OcsvmDetector.Center.AUTO, OcsvmDetector.RowOrder.GIVEN))) {
      none.fit(train, scaler, RunContext.cpu(1));
      auto.fit(train, scaler, RunContext.cpu(1));
      double[] plain = none.score(test);
      centered = auto.score(test);
      double spread = Arrays.stream(plain).max().orElseThrow() - Arrays.stream(plain).min().orElseThrow();
      for (int i = 0; i < plain.length; i++) {
        // exp(-gamma |x - y|^2) does not change when both rows move: only float rounding differs
        assertEquals(plain[i], centered[i], 1e-6 * spread, "test row " + i);
      }
      assertEquals(none.parameterCount(), auto.parameterCount());
      auto.save(dir);
    }
    assertTrue(Files.readString(dir.resolve(OcsvmDetector.CENTER_FILE)).contains("\"center\""));
    try (Scorer reloaded = OcsvmDetector.load(dir, scaler)) {
      assertTrue(Arrays.equals(centered, reloaded.score(test)), "the reloaded model reads rows minus the same center");
    }
  }

  @Test
  void centeringLeavesOtherKernelsAlone() {
    PlantedAnomalies data = PlantedAnomalies.make(500, 20, 5, 9);
    float[][] train = withCommonValue(data.train());
    Scaler scaler = Scaler.fit(Scaler.Kind.MINMAX, data.features(), train);
    try (OcsvmDetector none = new OcsvmDetector(new OcsvmDetector.Config(0.1, 0.5, OcsvmDetector.Kernel.POLY, 3, 0, 100, 0, 1e-3, OcsvmDetector.Center.NONE, OcsvmDetector.RowOrder.GIVEN));
        OcsvmDetector auto = new OcsvmDetector(new OcsvmDetector.Config(0.1, 0.5, OcsvmDetector.Kernel.POLY, 3, 0, 100, 0, 1e-3, OcsvmDetector.Center.AUTO, OcsvmDetector.RowOrder.GIVEN))) {
      none.fit(train, scaler, RunContext.cpu(1));
      auto.fit(train, scaler, RunContext.cpu(1));
      // a polynomial kernel depends on where the rows are, so they must reach libsvm as scaled
      assertTrue(Arrays.equals(none.score(data.test()), auto.score(data.test())));
    }
  }

  /** Copies of the rows whose feature 2 is 0.7 in 9 rows of 10, the shape of KDD99's many repeated values. */
  private static float[][] withCommonValue(float[][] rows) {
    float[][] out = new float[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      out[i] = rows[i].clone();
      if (i % 10 != 0) {
        out[i][2] = 0.7f;
      }
    }
    return out;
  }

  @Test
  void directDecisionValuesAreTribuosPredictions() {
    PlantedAnomalies data = PlantedAnomalies.make(800, 40, 10, 5);
    Scaler scaler = Scaler.fit(Scaler.Kind.MINMAX, data.features(), data.train());
    try (OcsvmDetector d = new OcsvmDetector(new OcsvmDetector.Config(0.1, 0.5, OcsvmDetector.Kernel.RBF, 3, 0, 100, 0, 1e-3, OcsvmDetector.Center.AUTO, OcsvmDetector.RowOrder.GIVEN))) {
      d.fit(data.train(), scaler, RunContext.cpu(1));
      String[] names = data.features().toArray(String[]::new);
      java.util.SplittableRandom r = new java.util.SplittableRandom(6);
      float[][] rows = new float[300][names.length];
      for (float[] row : rows) {
        for (int j = 0; j < row.length; j++) {
          row[j] = r.nextDouble() < 0.4 ? 0f : (float) (r.nextDouble() * 1.5 - 0.5);
        }
      }
      Arrays.fill(rows[0], 0f);   // no non-zero value at all
      double[] direct = OcsvmDetector.scoreScaled(d.model(), names, rows);
      for (int i = 0; i < rows.length; i++) {
        double viaTribuo = -d.model().predict(OcsvmDetector.sparseExample(
            org.tribuo.anomaly.AnomalyFactory.UNKNOWN_EVENT, names, rows[i])).getOutput().getScore();
        assertEquals(viaTribuo, direct[i], 0.0, "row " + i);
      }
      assertTrue(Arrays.stream(direct).distinct().count() > 100, "the rows get different scores");
    }
  }
}
