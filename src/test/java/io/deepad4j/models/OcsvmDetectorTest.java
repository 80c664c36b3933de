package io.deepad4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
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
  void subsampleIsSeededAndKeepsRowOrder() {
    float[][] rows = new float[100][];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = new float[] {i};
    }
    float[][] a = OcsvmDetector.subsample(rows, 10, 7);
    assertEquals(10, a.length);
    assertTrue(Arrays.deepEquals(a, OcsvmDetector.subsample(rows, 10, 7)));
    assertTrue(!Arrays.deepEquals(a, OcsvmDetector.subsample(rows, 10, 8)));
    for (int i = 1; i < a.length; i++) {
      assertTrue(a[i - 1][0] < a[i][0], "sample keeps the original order");
    }
    assertSame(rows, OcsvmDetector.subsample(rows, 0, 7));
    assertSame(rows, OcsvmDetector.subsample(rows, 100, 7));
  }

  @Test
  void supportVectorsAreCountedAndSubsamplingChangesTheModel() {
    PlantedAnomalies data = PlantedAnomalies.make(1000, 50, 10, 3);
    Scaler scaler = Scaler.fit("minmax", data.features(), data.train());
    try (OcsvmDetector all = new OcsvmDetector(0.1, 0.5, "rbf", 3, 0, 100, 0, 1e-3);
        OcsvmDetector some = new OcsvmDetector(0.1, 0.5, "rbf", 3, 0, 100, 200, 1e-3)) {
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
    Scaler scaler = Scaler.fit("minmax", data.features(), data.train());
    try (OcsvmDetector d = new OcsvmDetector(0.05, 0.5, "rbf", 3, 0, 100, 0, 1e-3)) {
      d.fit(data.train(), scaler, RunContext.cpu(1));
      d.save(dir);
    }
    List<String> misspelt = data.features().stream().map(f -> f.equals("f3") ? "f_3" : f).toList();
    Scaler other = Scaler.fit("minmax", misspelt, data.train());
    var e = assertThrows(java.io.IOException.class, () -> OcsvmDetector.load(dir, other));
    assertTrue(e.getMessage().contains("f_3") && e.getMessage().contains("f3"), e.getMessage());
  }
}
