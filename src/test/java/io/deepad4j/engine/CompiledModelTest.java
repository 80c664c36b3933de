package io.deepad4j.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepad4j.models.AutoencoderModel;
import io.deepad4j.spec.ConfigRecords;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
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
    return new TrainingOptions(epochs, 32, stepsPerExecution, true, seed, 1, Device.CPU, EpochListener.NONE, null, null);
  }

  /** A small autoencoder: hidden [5, 4], latent 2, tanh, sigmoid output, learning rate 0.01. */
  static AutoencoderModel ae() {
    return new AutoencoderModel(ConfigRecords.of(AutoencoderModel.Config.class,
        Map.of("hidden", List.of(5, 4), "activation", Activation.TANH, "learning_rate", 0.01)));
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

  private static TrainingOptions validated(int epochs, TrainingOptions.Validation v) {
    return new TrainingOptions(epochs, 32, 1, true, 5, 1, Device.CPU, EpochListener.NONE, v, null);
  }

  @Test
  void holdOutIsASeededDisjointSplitInOrder() {
    float[][] rows = planeRows(101, 4);
    float[][][] a = TrainingLoop.holdOut(rows, 0.2, 9);
    float[][][] b = TrainingLoop.holdOut(rows, 0.2, 9);
    float[][][] c = TrainingLoop.holdOut(rows, 0.2, 10);
    assertEquals(81, a[0].length);
    assertEquals(20, a[1].length);
    assertArrayEquals(a[1], b[1]);
    assertNotEquals(List.of(a[1]), List.of(c[1]), "another seed holds out other rows");
    java.util.Set<float[]> held = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    held.addAll(List.of(a[1]));
    int lastTrain = -1;
    for (float[] r : a[0]) {
      assertTrue(!held.contains(r), "a row is both trained on and held out");
      int i = List.of(rows).indexOf(r);
      assertTrue(i > lastTrain, "training rows keep their order");
      lastTrain = i;
    }
    assertEquals(1, TrainingLoop.holdOut(planeRows(3, 1), 0.01, 1)[1].length, "at least one row is held out");
  }

  @Test
  void restoreBestEndsWithTheWeightsOfTheLowestValidationScore() {
    float[][] train = planeRows(600, 11);
    // a learning rate this high makes the held-out score jump around between epochs
    AutoencoderModel noisy = new AutoencoderModel(ConfigRecords.of(AutoencoderModel.Config.class, Map.of("hidden", List.of(5, 4), "activation", Activation.TANH,
        "learning_rate", 0.3, "dropout", 0.0)));
    try (CompiledModel m = CompiledModel.compile(noisy, zeros(6), ones(6),
        validated(8, new TrainingOptions.Validation(0.25, true, 0)))) {
      TrainingHistory h = m.fit(train);
      assertEquals(8, h.size());
      double lowest = Double.POSITIVE_INFINITY;
      int lowestEpoch = 0;
      for (int e = 0; e < h.size(); e++) {
        double v = h.epoch(e).get(CompiledModel.VAL_SCORE);
        if (v < lowest) {
          lowest = v;
          lowestEpoch = e + 1;
        }
      }
      assertEquals(lowestEpoch, h.bestEpoch());
      assertTrue(h.bestEpoch() < h.size(), "this seed must end past its best epoch, or nothing is restored");
      double[] heldScores = m.score(TrainingLoop.holdOut(train, 0.25, 5)[1]);
      double mean = java.util.Arrays.stream(heldScores).average().orElseThrow();
      assertEquals(lowest, mean, 1e-6 * Math.abs(lowest), "the model ends with the best epoch's weights");
    }
  }

  @Test
  void patienceStopsWhenTheValidationScoreNoLongerFalls() {
    // learning rate ~0: the weights do not move, so no epoch after the first improves. Below what a spec
    // accepts (1e-9 still moves them by float noise), so the record is built directly, past the spec's check
    AutoencoderModel still = new AutoencoderModel(new AutoencoderModel.Config(List.of(5, 4), 2, Activation.TANH,
        Activation.SIGMOID, 1e-30, 0.9, 0.0));
    try (CompiledModel m = CompiledModel.compile(still, zeros(6), ones(6),
        validated(20, new TrainingOptions.Validation(0.1, false, 2)))) {
      TrainingHistory h = m.fit(planeRows(300, 12));
      assertEquals(3, h.size(), "epoch 1 is the best; epochs 2 and 3 exhaust a patience of 2");
      assertEquals(1, h.bestEpoch());
    }
  }

  @Test
  void restoreBestRefusesAMovingAverage() {
    io.deepad4j.models.AladModel alad = new io.deepad4j.models.AladModel(new io.deepad4j.models.AladModel.Config(
        4, 1e-3, 0.5, io.deepad4j.models.AladModel.ScoreVariant.FM, false, 0.99, 1, io.deepad4j.models.GanUpdates.SIMULTANEOUS, 0));
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> CompiledModel.compile(alad, zeros(6), ones(6), validated(1, new TrainingOptions.Validation(0.1, true, 0))));
    assertTrue(e.getMessage().contains("model.ema_decay"), e.getMessage());
  }

  @Test
  void cosineScheduleScalesTheLearningRateOfEachEpoch() {
    assertEquals(1.0, LearningRateSchedule.CONSTANT.factor(3, 8));
    assertEquals(0.5, LearningRateSchedule.COSINE.factor(1, 1), 1e-15);
    assertTrue(LearningRateSchedule.COSINE.factor(1, 10) > 0.99);
    assertTrue(LearningRateSchedule.COSINE.factor(10, 10) < 0.01);
    for (int e = 1; e < 10; e++) {
      assertTrue(LearningRateSchedule.COSINE.factor(e + 1, 10) < LearningRateSchedule.COSINE.factor(e, 10));
    }
    // one epoch of cosine runs at factor 0.5: the same training as half the rate, bit for bit
    float[][] train = planeRows(400, 13);
    float[][] probe = planeRows(30, 14);
    double[] halved;
    double[] scheduled;
    AutoencoderModel slow = new AutoencoderModel(ConfigRecords.of(AutoencoderModel.Config.class, Map.of("hidden", List.of(5, 4), "activation", Activation.TANH,
        "learning_rate", 0.01, "dropout", 0.0)));
    try (CompiledModel m = CompiledModel.compile(slow, zeros(6), ones(6), options(1, 1, 3))) {
      m.fit(train);
      halved = m.score(probe);
    }
    AutoencoderModel fast = new AutoencoderModel(ConfigRecords.of(AutoencoderModel.Config.class, Map.of("hidden", List.of(5, 4), "activation", Activation.TANH,
        "learning_rate", 0.02, "dropout", 0.0)));
    try (CompiledModel m = CompiledModel.compile(fast, zeros(6), ones(6),
        new TrainingOptions(1, 32, 1, true, 3, 1, Device.CPU, EpochListener.NONE, null, LearningRateSchedule.COSINE))) {
      m.fit(train);
      scheduled = m.score(probe);
    }
    assertArrayEquals(halved, scheduled, 0.0);
    AutoencoderModel full = new AutoencoderModel(ConfigRecords.of(AutoencoderModel.Config.class, Map.of("hidden", List.of(5, 4), "activation", Activation.TANH,
        "learning_rate", 0.02, "dropout", 0.0)));
    try (CompiledModel m = CompiledModel.compile(full, zeros(6), ones(6), options(1, 1, 3))) {
      m.fit(train);
      assertNotEquals(scheduled[0], m.score(probe)[0], "the full rate trains another model");
    }
  }

  @Test
  void restoreBestAlsoRestoresTheSpectralNormState() {
    // ALAD with spectral normalisation scores through the power-iteration vectors as well as the weights
    float[][] train = planeRows(800, 21);
    io.deepad4j.models.AladModel alad = new io.deepad4j.models.AladModel(new io.deepad4j.models.AladModel.Config(
        4, 3e-3, 0.5, io.deepad4j.models.AladModel.ScoreVariant.FM, true, 0, 1, io.deepad4j.models.GanUpdates.SIMULTANEOUS, 0));
    try (CompiledModel m = CompiledModel.compile(alad, zeros(6), ones(6),
        validated(6, new TrainingOptions.Validation(0.25, true, 0)))) {
      TrainingHistory h = m.fit(train);
      double lowest = Double.POSITIVE_INFINITY;
      for (int e = 0; e < h.size(); e++) {
        lowest = Math.min(lowest, h.epoch(e).get(CompiledModel.VAL_SCORE));
      }
      assertTrue(h.bestEpoch() < h.size(), "this seed must end past its best epoch, or nothing is restored");
      double mean = java.util.Arrays.stream(m.score(TrainingLoop.holdOut(train, 0.25, 5)[1])).average().orElseThrow();
      assertEquals(lowest, mean, 1e-6 * Math.abs(lowest));
    }
  }

  @Test
  void aladCycleWeightScalesTheCycleTermsOfTheGeneratorAndEncoderLosses() {
    // at the start D_xx and D_zz cannot tell the pairs apart: each cycle term is about 2 ln 2, so
    // their sum (about 2.8) enters g_loss and e_loss once per unit of cycle_weight
    float[][] train = planeRows(200, 8);
    double[][] losses = new double[3][];
    for (int w = 0; w < 3; w++) {
      io.deepad4j.models.AladModel alad = new io.deepad4j.models.AladModel(new io.deepad4j.models.AladModel.Config(
          4, 1e-4, 0.5, io.deepad4j.models.AladModel.ScoreVariant.FM, false, 0, w, io.deepad4j.models.GanUpdates.SIMULTANEOUS, 0));
      try (CompiledModel m = CompiledModel.compile(alad, zeros(6), ones(6), validated(1, null))) {
        var first = m.fit(train).epoch(0);
        losses[w] = new double[] {first.get("g_loss"), first.get("e_loss")};
      }
    }
    for (int w = 1; w < 3; w++) {
      for (int k = 0; k < 2; k++) {
        double step = losses[w][k] - losses[w - 1][k];
        assertTrue(step > 2 && step < 3.5, "cycle weight " + (w - 1) + " -> " + w + " changed loss " + k + " by " + step);
      }
    }
  }

  /**
   * Two scalars: "d" is pulled towards 1, "g" chases "d". The score of a row of ones is g. With
   * simultaneous updates the first step computes g's gradient from d = 0 (zero: g stays 0); with
   * alternating ones d moves first (Adam's first step: +lr), and g's loss and gradient see it.
   */
  private static final class Chase extends TfModel {
    private final boolean alternating;
    private Variable<TFloat32> d;
    private Variable<TFloat32> g;

    Chase(boolean alternating) {
      this.alternating = alternating;
    }

    @Override
    protected boolean alternatesUpdates() {
      return alternating;
    }

    @Override
    protected void build(Layers layers, int numFeatures) {
      d = layers.variable("d", new float[] {0f});
      g = layers.variable("g", new float[] {0f});
    }

    @Override
    protected List<Objective> objectives(Ops tf, Operand<TFloat32> batch) {
      Operand<TFloat32> dLoss = mean(tf, tf.math.square(tf.math.sub(d, tf.constant(1f))));
      Operand<TFloat32> gLoss = mean(tf, tf.math.square(tf.math.sub(g, d)));
      return List.of(
          new Objective("d_loss", dLoss, List.of(d), AdamConfig.of(0.1)),
          new Objective("g_loss", gLoss, List.of(g), AdamConfig.of(0.1)));
    }

    @Override
    protected Operand<TFloat32> score(Ops tf, Operand<TFloat32> rows) {
      return tf.math.mul(rowSum(tf, rows), g);
    }
  }

  @Test
  void alternatingUpdatesComputeTheLaterObjectivesFromTheUpdatedFirstOne() {
    float[][] ones = new float[32][];
    java.util.Arrays.fill(ones, new float[] {1f});
    TrainingOptions oneStep = new TrainingOptions(1, 32, 1, false, 1, 1, Device.CPU, EpochListener.NONE, null, null);
    try (CompiledModel simultaneous = CompiledModel.compile(new Chase(false), zeros(1), ones(1), oneStep);
        CompiledModel alternating = CompiledModel.compile(new Chase(true), zeros(1), ones(1), oneStep)) {
      TrainingHistory s = simultaneous.fit(ones);
      TrainingHistory a = alternating.fit(ones);
      assertEquals(1.0, s.epoch(0).get("d_loss"), 1e-6);
      assertEquals(1.0, a.epoch(0).get("d_loss"), 1e-6);
      assertEquals(0.0, s.epoch(0).get("g_loss"), 1e-9, "simultaneous: g's loss from d before its update");
      assertEquals(0.01, a.epoch(0).get("g_loss"), 1e-4, "alternating: g's loss from d after its update (d = 0.1)");
      assertEquals(0.0, simultaneous.score(new float[][] {{1f}})[0], 1e-9);
      assertEquals(0.1, alternating.score(new float[][] {{1f}})[0], 1e-4);
    }
  }
}
