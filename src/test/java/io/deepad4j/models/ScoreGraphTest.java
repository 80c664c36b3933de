package io.deepad4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepad4j.engine.SavedModelScorer;
import io.deepad4j.preprocessing.Scaler;
import io.deepad4j.spec.ResolvedSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The SavedModel that PCA, the one-class SVM and the native baselines save beside their Java files (built from
 * the fitted parameters as TensorFlow constants) scores the rows as the Java scorer does, to float32 precision:
 * loaded back through {@link SavedModelScorer} (the TensorFlow runtime, as mlflow.pyfunc would load it), on planted
 * rows, rows outside the training range, copies of training rows (distance 0, ties among neighbours) and with both
 * scalers.
 */
class ScoreGraphTest {
  @TempDir
  Path dir;

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(delimiter = '|', value = {
      "pca | model.n_components=3",
      "pca | model.n_components=2;model.score=distance;preprocessing.scaler=standard",
      "ocsvm | model.nu=0.1;model.gamma=0.5",
      "ocsvm | model.nu=0.05;model.gamma=0;model.center=none;preprocessing.scaler=standard",
      "ocsvm | model.kernel=linear;model.nu=0.1",
      "ocsvm | model.kernel=poly;model.degree=3;model.coef0=1;model.gamma=0.3;model.nu=0.1",
      "ocsvm | model.kernel=sigmoid;model.coef0=0.1;model.gamma=0.2;model.nu=0.1",
      "iforest | model.n_estimators=30;model.max_samples=128",
      "iforest | model.n_estimators=10;model.max_samples=700;preprocessing.scaler=standard",
      "ecod | model.aggregation=paper",
      "ecod | model.aggregation=per_feature;preprocessing.scaler=standard",
      "knn | model.n_neighbors=5;model.method=largest",
      "knn | model.n_neighbors=4;model.method=median;preprocessing.scaler=standard",
      "knn | model.n_neighbors=3;model.method=mean;model.max_train_rows=300",
      "lof | model.n_neighbors=10",
      "lof | model.n_neighbors=3;preprocessing.scaler=standard;model.max_train_rows=400",
  })
  void savedModelScoresAsJava(String type, String overrides) throws Exception {
    ResolvedSpec spec = DetectorContract.spec(type, overrides.split(";"));
    PlantedAnomalies data = PlantedAnomalies.make(600, 150, 40, 17);
    // some training rows twice (ties at distance 0), and test rows that are training rows or far outside them
    float[][] train = Arrays.copyOf(data.train(), data.train().length + 20);
    for (int i = 0; i < 20; i++) {
      train[data.train().length + i] = data.train()[i * 7].clone();
    }
    float[][] test = Arrays.copyOf(data.test(), data.test().length + 12);
    for (int i = 0; i < 10; i++) {
      test[data.test().length + i] = train[i * 3].clone();
    }
    test[test.length - 2] = new float[PlantedAnomalies.FEATURES];
    Arrays.fill(test[test.length - 2], 3f);
    test[test.length - 1] = new float[PlantedAnomalies.FEATURES];
    Arrays.fill(test[test.length - 1], -2f);
    Scaler scaler = Scaler.fit(Scaler.Kind.of(spec.getString("preprocessing.scaler")), data.features(), train);
    double[] expected;
    Path model = dir.resolve("model");
    try (Detector d = ModelRegistry.get().create(spec)) {
      d.fit(train, scaler, RunContext.cpu(spec.seed()));
      expected = d.score(test);
      assertEquals(SavedFormat.Kind.JAVA_AND_TENSORFLOW, d.savedFormat().kind());
      ModelFolder.save(model, d, scaler, spec, "planted", Map.of());
      assertTrue(Files.isRegularFile(model.resolve(d.savedFormat().path())), "the Java scorer's file is kept");
    }
    double[] tf;
    try (SavedModelScorer s = new SavedModelScorer(model.resolve(TfDetector.SAVED_MODEL_DIR))) {
      assertEquals(PlantedAnomalies.FEATURES, s.numFeatures());
      tf = s.score(test);
    }
    try (Scorer reloaded = ModelFolder.load(model)) {
      assertEquals(0, Arrays.compare(expected, reloaded.score(test)), "the Java scorer is unchanged");
    }
    double worst = 0;
    for (int i = 0; i < expected.length; i++) {
      assertTrue(Double.isFinite(tf[i]), type + ": row " + i + " scores " + tf[i]);
      double rel = Math.abs(tf[i] - expected[i]) / Math.max(1e-3, Math.abs(expected[i]));
      worst = Math.max(worst, rel);
      assertTrue(rel <= 2e-6, type + " " + overrides + ": row " + i + " Java " + expected[i] + ", SavedModel " + tf[i]);
    }
    System.out.printf("%s %s: %d rows, largest relative difference %.3g%n", type, overrides, expected.length, worst);
  }
}
