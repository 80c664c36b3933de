package io.deepad4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepad4j.engine.Objective;
import io.deepad4j.engine.RowMean;
import io.deepad4j.spec.ConfigRecords;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

class DeepSvddDetectorTest {
  private static final float[][] BATCH = {{0.1f, 0.9f, 0.4f}, {0.7f, 0.2f, 0.5f}, {0.3f, 0.3f, 0.8f}, {0.9f, 0.6f, 0.0f}};

  @Test
  void separatesPlantedAnomaliesRefitsAndReloads(@TempDir Path dir) throws Exception {
    DetectorContract.check(DetectorContract.spec("deepsvdd", "model.epochs=20", "model.hidden=[16]", "model.rep_dim=8",
        "model.batch_size=64", "model.learning_rate=0.001"), dir, 0.9);
  }

  @Test
  void anOutlierFarFromTheCentreScoresHighest() {
    DetectorContract.obviousOutlierRanksFirst(DetectorContract.spec("deepsvdd", "model.epochs=10", "model.hidden=[8]",
        "model.rep_dim=4", "model.batch_size=32", "model.learning_rate=0.001"));
  }

  /** phi(x) by hand: x W1, leaky ReLU, x W2 (no biases). */
  private static double[][] phi(float[][] x, List<float[][]> w) {
    double[][] h = TinyGraph.toDouble(x);
    for (int i = 0; i < w.size(); i++) {
      if (i > 0) {
        h = TinyGraph.leakyRelu(h);
      }
      h = TinyGraph.matMul(h, w.get(i));
    }
    return h;
  }

  @Test
  void centreAndOneClassLossEqualTheirValuesByHand() {
    double eps = 0.05;
    double decay = 0.01;
    DeepSvddModel model = new DeepSvddModel(ConfigRecords.of(DeepSvddModel.Config.class,
        Map.of("hidden", List.of(4), "rep_dim", 3, "eps", eps, "weight_decay", decay)));
    try (TinyGraph g = new TinyGraph(7)) {
      model.build(g.layers, 3);
      Operand<TFloat32> rows = g.tf.constant(BATCH);
      RowMean centre = model.rowMeans(g.tf, rows).get(0);
      assertEquals(RowMean.When.BEFORE_TRAINING, centre.when());
      Objective objective = model.objectives(g.tf, rows).get(0);
      List<float[][]> w = g.weights();
      assertEquals(2, w.size(), "two kernels, no biases");

      double[][] phi = phi(BATCH, w);
      double[] mean = new double[3];
      for (double[] p : phi) {
        for (int j = 0; j < 3; j++) {
          mean[j] += p[j] / phi.length;
        }
      }
      // a coordinate of the mean near 0 is moved to +-eps; plant one to see the guard act
      float[] raw = {(float) mean[0], 0.01f, -0.02f};
      double[] c = {Math.abs(raw[0]) < eps ? Math.signum(raw[0]) * eps : raw[0], eps, -eps};
      g.run(g.tf.assign(centre.target(), centre.finish().apply(g.tf, g.tf.constant(raw))));
      float[] inGraph = g.fetch(centre.target())[0];
      for (int j = 0; j < 3; j++) {
        assertEquals(c[j], inGraph[j], 1e-7, "centre coordinate " + j);
      }
      float[] perRowMean = g.fetch(g.tf.math.mean(centre.perRow(), g.tf.constant(0)))[0];
      assertEquals(mean[0], perRowMean[0], 1e-5, "phi's mean over the rows");

      double loss = 0;
      for (double[] p : phi) {
        for (int j = 0; j < 3; j++) {
          loss += (p[j] - c[j]) * (p[j] - c[j]) / phi.length;
        }
      }
      double squares = 0;
      for (float[][] k : w) {
        for (float[] row : k) {
          for (float v : row) {
            squares += v * v;
          }
        }
      }
      loss += decay / 2 * squares;
      assertEquals(loss, g.scalar(objective.loss()), 1e-5 * Math.max(1, loss));
      float[] scores = g.fetch(model.score(g.tf, rows))[0];
      for (int i = 0; i < BATCH.length; i++) {
        double d = 0;
        for (int j = 0; j < 3; j++) {
          d += (phi[i][j] - c[j]) * (phi[i][j] - c[j]);
        }
        assertEquals(d, scores[i], 1e-5 * Math.max(1, d), "score of row " + i);
      }
    }
  }

  @Test
  void untrainedDetectorScoresTheDistanceToTheTrainingRowsMean() {
    // epochs 0: the centre comes from the forward pass over the training rows before training, with eps 0
    PlantedAnomalies data = PlantedAnomalies.make(300, 10, 5, 2);
    var spec = DetectorContract.spec("deepsvdd", "model.epochs=0", "model.eps=0", "model.hidden=[6]", "model.rep_dim=3");
    var scaler = io.deepad4j.preprocessing.Scaler.fit(io.deepad4j.preprocessing.Scaler.Kind.NONE, data.features(), data.train());
    try (Detector d = ModelRegistry.get().create(spec)) {
      d.fit(data.train(), scaler, RunContext.cpu(spec.seed()));
      double[] s = d.score(data.test());
      // the same seed's initial network, built here, gives phi; c = phi's mean over the training rows
      DeepSvddModel model = new DeepSvddModel(ConfigRecords.of(DeepSvddModel.Config.class,
          Map.of("hidden", List.of(6), "rep_dim", 3)));
      try (TinyGraph g = new TinyGraph(spec.seed())) {
        model.build(g.layers, PlantedAnomalies.FEATURES);
        g.session();
        List<float[][]> w = g.weights();
        double[][] train = phi(data.train(), w);
        double[] c = new double[3];
        for (double[] p : train) {
          for (int j = 0; j < 3; j++) {
            c[j] += p[j] / train.length;
          }
        }
        double[][] test = phi(data.test(), w);
        for (int i = 0; i < test.length; i++) {
          double dist = 0;
          for (int j = 0; j < 3; j++) {
            dist += (test[i][j] - c[j]) * (test[i][j] - c[j]);
          }
          assertEquals(dist, s[i], 1e-4 * Math.max(1, dist), "score of row " + i);
        }
        assertTrue(s.length == 15);
      }
    }
  }
}
