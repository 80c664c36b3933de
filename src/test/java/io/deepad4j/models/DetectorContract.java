package io.deepad4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepad4j.engine.TrainingHistory;
import io.deepad4j.evaluation.Metrics;
import io.deepad4j.preprocessing.Scaler;
import io.deepad4j.spec.ResolvedSpec;
import io.deepad4j.spec.SpecLoader;
import java.nio.file.Path;
import java.util.List;

/**
 * What every detector must do, checked the same way for each: refuse to score before it is fitted, train on
 * planted data, rank the planted anomalies above normal rows, fit again (a refit) to the same scores, save,
 * reload in a fresh scorer and score identically.
 */
public final class DetectorContract {
  private DetectorContract() {}

  /** A spec of the given model type and key=value overrides (defaults for the rest). */
  public static ResolvedSpec spec(String modelType, String... overrides) {
    List<String> o = new java.util.ArrayList<>(List.of(overrides));
    o.add("model.type=" + modelType);
    o.add("device=cpu");
    return new SpecLoader(ModelRegistry.get()).load(Path.of("test.yaml"), "seed: 3\n", o);
  }

  /**
   * Fits, checks ROC AUC >= minAuc on planted anomalies, saves to dir, reloads and compares scores.
   * Returns the ROC AUC.
   */
  public static double check(ResolvedSpec spec, Path dir, double minAuc) throws Exception {
    PlantedAnomalies data = PlantedAnomalies.make(2000, 400, 100, 11);
    Scaler scaler = Scaler.fit(Scaler.Kind.of(spec.getString("preprocessing.scaler")), data.features(), data.train());
    double[] scores;
    try (Detector d = ModelRegistry.get().create(spec)) {
      IllegalStateException early = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
          () -> d.score(data.test()), spec.modelType() + ": scoring before fit");
      assertTrue(early.getMessage().contains("fit"), early.getMessage());
      TrainingHistory h = d.fit(data.train(), scaler, RunContext.cpu(spec.seed()));
      assertTrue(h.size() >= 0);
      scores = d.score(data.test());
      assertEquals(data.test().length, scores.length);
      // a second fit on the same detector (a refit) builds afresh and, with the same seed, scores the same
      d.fit(data.train(), scaler, RunContext.cpu(spec.seed()));
      assertArrayEquals(scores, d.score(data.test()), 0.0, spec.modelType() + ": refit with the same seed");
      assertTrue(d.parameterCount() > 0, "parameter count");
      ModelFolder.save(dir.resolve("model"), d, scaler, spec, "planted", java.util.Map.of("dataset", "planted"));
    }
    double auc = Metrics.rocAuc(scores, data.testLabels());
    assertTrue(auc >= minAuc, spec.modelType() + ": ROC AUC on planted anomalies " + auc + " < " + minAuc);
    try (Scorer reloaded = ModelFolder.load(dir.resolve("model"))) {
      assertArrayEquals(scores, reloaded.score(data.test()), 1e-6, "reloaded model scores differently");
    }
    return auc;
  }

  /** Trains a detector of {@code spec} on {@code trainRows} planted normal rows and scores 100 normal + 20 planted anomalies. */
  public static double[] trainAndScore(ResolvedSpec spec, int trainRows) {
    PlantedAnomalies data = PlantedAnomalies.make(trainRows, 100, 20, 5);
    Scaler scaler = Scaler.fit(Scaler.Kind.MINMAX, data.features(), data.train());
    try (Detector d = ModelRegistry.get().create(spec)) {
      d.fit(data.train(), scaler, RunContext.cpu(spec.seed()));
      return d.score(data.test());
    }
  }

  /**
   * Trains a detector of {@code spec} on a Gaussian blob (500 rows, 4 features, mean 0.5, sd 0.05) and
   * checks that a row far from it (every feature at 1.5) scores above 50 rows drawn from the blob.
   */
  public static void obviousOutlierRanksFirst(ResolvedSpec spec) {
    java.util.SplittableRandom r = new java.util.SplittableRandom(21);
    float[][] train = new float[500][4];
    float[][] test = new float[51][4];
    for (float[][] rows : new float[][][] {train, test}) {
      for (float[] row : rows) {
        for (int j = 0; j < 4; j++) {
          row[j] = (float) (0.5 + 0.05 * r.nextGaussian());
        }
      }
    }
    java.util.Arrays.fill(test[50], 1.5f);
    Scaler scaler = Scaler.fit(Scaler.Kind.MINMAX, List.of("a", "b", "c", "d"), train);
    try (Detector d = ModelRegistry.get().create(spec)) {
      d.fit(train, scaler, RunContext.cpu(spec.seed()));
      double[] s = d.score(test);
      for (int i = 0; i < 50; i++) {
        assertTrue(s[50] > s[i], spec.modelType() + ": the outlier scores " + s[50] + ", blob row " + i + " " + s[i]);
      }
    }
  }
}
