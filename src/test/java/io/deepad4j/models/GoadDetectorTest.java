package io.deepad4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.deepad4j.engine.Objective;
import io.deepad4j.engine.RowMean;
import io.deepad4j.preprocessing.Scaler;
import io.deepad4j.spec.ConfigRecords;
import io.deepad4j.spec.ResolvedSpec;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.types.TFloat32;

class GoadDetectorTest {
  private static final String[] SMALL = {"model.epochs=20", "model.transformations=16", "model.transform_dim=8",
      "model.hidden=16", "model.depth=2", "model.batch_size=64", "model.steps_per_execution=8"};
  private static final float[][] BATCH = {{0.1f, 0.9f, 0.4f}, {0.7f, 0.2f, 0.5f}, {0.3f, 0.3f, 0.8f}, {0.9f, 0.6f, 0.0f}};
  private static final int M = 3;
  private static final int OUT = 2;
  private static final int HIDDEN = 2;

  @Test
  void separatesPlantedAnomaliesRefitsAndReloads(@TempDir Path dir) throws Exception {
    // 8 features near a plane give the classifier little to tell the transformations apart by: 0.897 measured
    DetectorContract.check(DetectorContract.spec("goad", SMALL), dir, 0.85);
  }

  @Test
  void transformationsFollowTheSeed() {
    float[][][] a = GoadModel.drawTransformations(5, 4, 3, 2);
    assertArrayEquals(a, GoadModel.drawTransformations(5, 4, 3, 2), "the same seed, the same matrices");
    assertFalse(Arrays.deepEquals(a, GoadModel.drawTransformations(6, 4, 3, 2)), "another seed, other matrices");
  }

  @Test
  void theSavedModelHoldsTheSeedsTransformations(@TempDir Path dir) throws Exception {
    ResolvedSpec spec = DetectorContract.spec("goad", "model.epochs=1", "model.transformations=16",
        "model.transform_dim=8", "model.hidden=16", "model.depth=2");
    PlantedAnomalies data = PlantedAnomalies.make(200, 10, 5, 4);
    Scaler scaler = Scaler.fit(Scaler.Kind.MINMAX, data.features(), data.train());
    try (Detector d = ModelRegistry.get().create(spec)) {
      d.fit(data.train(), scaler, RunContext.cpu(spec.seed()));
      d.save(dir);
    }
    float[][] expected = GoadModel.sideBySide(GoadModel.drawTransformations(spec.seed(), 16, PlantedAnomalies.FEATURES, 8));
    try (SavedModelBundle b = SavedModelBundle.load(dir.resolve(TfDetector.SAVED_MODEL_DIR).toString(), SavedModelBundle.DEFAULT_TAG);
        var result = b.session().runner().fetch(GoadModel.TRANSFORMATIONS).run()) {
      TFloat32 t = (TFloat32) result.get(0);
      assertArrayEquals(new long[] {PlantedAnomalies.FEATURES, 16 * 8}, t.shape().asArray());
      for (int i = 0; i < expected.length; i++) {
        for (int j = 0; j < expected[i].length; j++) {
          assertEquals(expected[i][j], t.getFloat(i, j), 0f, "transformation entry " + i + "," + j);
        }
      }
    }
  }

  /** z[row][m] = f(x W_m) by hand: the trunk's kernels with leaky ReLU between them. */
  private static double[][][] embed(float[][] x, float[][][] transformations, List<float[][]> trunk) {
    double[][][] z = new double[x.length][M][];
    for (int m = 0; m < M; m++) {
      double[][] h = TinyGraph.matMul(TinyGraph.toDouble(x), transformations[m]);
      for (int i = 0; i < trunk.size(); i++) {
        if (i > 0) {
          h = TinyGraph.leakyRelu(h);
        }
        h = TinyGraph.matMul(h, trunk.get(i));
      }
      for (int r = 0; r < x.length; r++) {
        z[r][m] = h[r];
      }
    }
    return z;
  }

  private static double squaredDistance(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (a[i] - b[i]) * (a[i] - b[i]);
    }
    return s;
  }

  private static double[] logSoftmax(double[] x) {
    double max = Arrays.stream(x).max().orElseThrow();
    double sum = Arrays.stream(x).map(v -> Math.exp(v - max)).sum();
    return Arrays.stream(x).map(v -> v - max - Math.log(sum)).toArray();
  }

  @Test
  void lossAndScoreEqualTheirValuesByHand() {
    double margin = 1.5;
    double weight = 0.3;
    GoadModel model = new GoadModel(ConfigRecords.of(GoadModel.Config.class, Map.of("transformations", M,
        "transform_dim", OUT, "hidden", HIDDEN, "depth", 2, "margin", margin, "tc_weight", weight)));
    long seed = 11;
    try (TinyGraph g = new TinyGraph(seed)) {
      model.build(g.layers, 3);
      Operand<TFloat32> rows = g.tf.constant(BATCH);
      Objective objective = model.objectives(g.tf, rows).get(0);
      RowMean centres = model.rowMeans(g.tf, rows).get(0);
      assertEquals(RowMean.When.AFTER_TRAINING, centres.when());
      List<float[][]> w = g.weights();
      assertEquals(4, w.size(), "two trunk kernels, the head's kernel and bias");
      float[][][] t = GoadModel.drawTransformations(seed, M, 3, OUT);
      double[][][] z = embed(BATCH, t, w.subList(0, 2));
      float[][] headKernel = w.get(2);
      float[] headBias = w.get(3)[0];
      int n = BATCH.length;

      double crossEntropy = 0;
      for (int r = 0; r < n; r++) {
        for (int m = 0; m < M; m++) {
          double[] logits = TinyGraph.matMul(TinyGraph.leakyRelu(new double[][] {z[r][m]}), headKernel)[0];
          for (int k = 0; k < M; k++) {
            logits[k] += headBias[k];
          }
          crossEntropy -= logSoftmax(logits)[m] / (n * M);
        }
      }
      double[][] mu = new double[M][HIDDEN];
      for (int m = 0; m < M; m++) {
        for (int r = 0; r < n; r++) {
          for (int j = 0; j < HIDDEN; j++) {
            mu[m][j] += z[r][m][j] / n;
          }
        }
      }
      double triplet = 0;
      for (int r = 0; r < n; r++) {
        for (int m = 0; m < M; m++) {
          double own = squaredDistance(z[r][m], mu[m]);
          double other = Double.MAX_VALUE;
          for (int k = 0; k < M; k++) {
            if (k != m) {
              other = Math.min(other, squaredDistance(z[r][m], mu[k]));
            }
          }
          triplet += Math.max(0, own + margin - other) / (n * M);
        }
      }
      double loss = crossEntropy + weight * triplet;
      assertEquals(loss, g.scalar(objective.loss()), 1e-5 * Math.max(1, loss), "cross-entropy " + crossEntropy
          + " + " + weight + " x triplet " + triplet);

      // the score, with the batch's mean embeddings as the centres (what the pass after training assigns)
      float[][] c = new float[M][HIDDEN];
      for (int m = 0; m < M; m++) {
        for (int j = 0; j < HIDDEN; j++) {
          c[m][j] = (float) mu[m][j];
        }
      }
      g.run(g.tf.assign(centres.target(), centres.finish().apply(g.tf, g.tf.constant(c))));
      float[] scores = g.fetch(model.score(g.tf, rows))[0];
      for (int r = 0; r < n; r++) {
        double s = 0;
        for (int m = 0; m < M; m++) {
          double[] negDistances = new double[M];
          for (int k = 0; k < M; k++) {
            negDistances[k] = -squaredDistance(z[r][m], mu[k]);
          }
          s -= logSoftmax(negDistances)[m];
        }
        assertEquals(s, scores[r], 1e-4 * Math.max(1, s), "score of row " + r);
      }
    }
  }
}
