package io.deepad4j.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepad4j.models.AutoencoderModel;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompiledModelTest {
  /** Rows on a 2-d plane embedded in 6 features: an autoencoder with latent 2 can learn them. */
  static float[][] planeRows(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[][] rows = new float[n][];
    for (int i = 0; i < n; i++) {
      float a = (float) r.nextDouble();
      float b = (float) r.nextDouble();
      rows[i] = new float[] {a, b, (a + b) / 2, a * 0.3f + 0.2f, b * 0.6f, 1 - a};
    }
    return rows;
  }

  static float[] zeros(int n) {
    return new float[n];
  }

  static float[] ones(int n) {
    float[] o = new float[n];
    java.util.Arrays.fill(o, 1f);
    return o;
  }

  private static TrainingOptions options(int epochs, int stepsPerExecution, long seed) {
    return new TrainingOptions(epochs, 32, stepsPerExecution, true, seed, 1, Device.CPU, EpochListener.NONE);
  }

  private static AutoencoderModel ae() {
    return new AutoencoderModel(List.of(5, 4), 2, Activation.TANH, Activation.SIGMOID, 0.01, 0.0);
  }

  @Test
  void trainingLowersTheLoss() {
    try (CompiledModel m = CompiledModel.compile(ae(), zeros(6), ones(6), options(20, 1, 1))) {
      TrainingHistory h = m.fit(planeRows(1000, 1));
      assertEquals(20, h.size());
      double first = h.epoch(0).get("loss");
      double last = h.epoch(19).get("loss");
      assertTrue(last < first * 0.5, "loss " + first + " -> " + last);
    }
  }

  @Test
  void sameSeedSameWeightsDifferentSeedDifferentWeights() {
    float[][] train = planeRows(700, 2);
    float[][] probe = planeRows(50, 3);
    double[] a;
    double[] b;
    double[] c;
    try (CompiledModel m = CompiledModel.compile(ae(), zeros(6), ones(6), options(3, 1, 7))) {
      m.fit(train);
      a = m.score(probe);
    }
    try (CompiledModel m = CompiledModel.compile(ae(), zeros(6), ones(6), options(3, 1, 7))) {
      m.fit(train);
      b = m.score(probe);
    }
    try (CompiledModel m = CompiledModel.compile(ae(), zeros(6), ones(6), options(3, 1, 8))) {
      m.fit(train);
      c = m.score(probe);
    }
    assertArrayEquals(a, b, 0.0, "same seed must give bit-identical scores on CPU");
    assertNotEquals(a[0], c[0], "a different seed must change the model");
  }

  @Test
  void chainingStepsInOneCallDoesTheSameMaths() {
    float[][] train = planeRows(32 * 10 + 7, 4); // 10 full batches and a partial one
    double[] one;
    double[] chained;
    try (CompiledModel m = CompiledModel.compile(ae(), zeros(6), ones(6), options(2, 1, 5))) {
      m.fit(train);
      one = m.score(train);
    }
    try (CompiledModel m = CompiledModel.compile(ae(), zeros(6), ones(6), options(2, 4, 5))) {
      m.fit(train);
      chained = m.score(train);
    }
    assertArrayEquals(one, chained, 1e-6);
  }

  @Test
  void exportedSavedModelScoresLikeTheTrainedOne(@TempDir Path dir) throws Exception {
    float[] offset = {0.1f, 0, 0, 0, 0, 0};
    float[] scale = {2, 1, 1, 1, 1, 0.5f};
    float[][] probe = planeRows(100, 9);
    double[] inMemory;
    try (CompiledModel m = CompiledModel.compile(ae(), offset, scale, options(2, 1, 3))) {
      m.fit(planeRows(300, 8));
      inMemory = m.score(probe);
      m.export(dir.resolve("tfmodel"));
    }
    try (SavedModelScorer s = new SavedModelScorer(dir.resolve("tfmodel"))) {
      assertEquals(6, s.numFeatures());
      assertArrayEquals(inMemory, s.score(probe), 0.0);
    }
  }
}
