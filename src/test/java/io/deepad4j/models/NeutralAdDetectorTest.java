package io.deepad4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.deepad4j.engine.Layers;
import io.deepad4j.engine.Objective;
import io.deepad4j.spec.ConfigRecords;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

class NeutralAdDetectorTest {
  private static final int FEATURES = 4;
  private static final int K = 3;
  private static final int HIDDEN = 5;
  private static final int ENCODER_HIDDEN = 6;
  private static final int LATENT = 3;
  private static final double TEMPERATURE = 0.5;

  /** A tiny NeuTraL AD with biases everywhere, so that the hand computation checks where each weight goes. */
  private static NeutralAdModel tiny(String transformType) {
    return new NeutralAdModel(ConfigRecords.of(NeutralAdModel.Config.class, Map.of("num_transforms", K,
        "transform_type", transformType, "transform_layers", 2, "transform_hidden", HIDDEN, "transform_bias", true,
        "encoder_layers", 2, "encoder_hidden", ENCODER_HIDDEN, "latent_dim", LATENT, "encoder_bias", true,
        "temperature", TEMPERATURE)));
  }

  @Test
  void multiplicativeLossAndScoresEqualTheHandComputedDcl() {
    checkAgainstHandComputation("mul");
  }

  @Test
  void residualLossAndScoresEqualTheHandComputedDcl() {
    checkAgainstHandComputation("residual");
  }

  /**
   * Builds the graph of a tiny model, sets every weight (biases included) to seeded random values, and compares the
   * graph's batch loss and per-row scores with the DCL computed here in double precision from the same weights.
   */
  private static void checkAgainstHandComputation(String transformType) {
    SplittableRandom r = new SplittableRandom(42);
    float[][] batch = new float[5][FEATURES];
    for (float[] row : batch) {
      for (int j = 0; j < FEATURES; j++) {
        row[j] = (float) (r.nextDouble() * 2 - 1);
      }
    }
    NeutralAdModel model = tiny(transformType);
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Layers layers = new Layers(tf, 3);
      model.build(layers, FEATURES);
      Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, FEATURES)));
      List<Objective> objectives = model.objectives(tf, x);
      assertEquals(1, objectives.size());
      Operand<TFloat32> scores = model.score(tf, x);
      List<Variable<TFloat32>> vars = layers.all();
      // order of creation: transformation layers 1 and 2 (kernel, bias), then encoder layers 1 and 2 (kernel, bias)
      assertEquals(8, vars.size());
      List<float[]> values = new ArrayList<>();
      List<Operand<?>> assigns = new ArrayList<>();
      for (Variable<TFloat32> v : vars) {
        Shape shape = v.shape();
        float[] w = new float[(int) shape.size()];
        for (int i = 0; i < w.length; i++) {
          w[i] = (float) (r.nextDouble() * 2 - 1);
        }
        values.add(w);
        assigns.add(tf.assign(v, tf.constant(shape, DataBuffers.of(w))));
      }
      try (Session s = new Session(g)) {
        s.initialize();
        Session.Runner assign = s.runner();
        assigns.forEach(assign::addTarget);
        assign.run().close();
        try (TFloat32 in = TFloat32.tensorOf(Shape.of(batch.length, FEATURES), DataBuffers.of(flat(batch), true, false));
             var out = s.runner().feed(x, in).fetch(objectives.get(0).loss()).fetch(scores).run()) {
          float loss = ((TFloat32) out.get(0)).getFloat();
          TFloat32 perRow = (TFloat32) out.get(1);
          double sum = 0;
          for (int i = 0; i < batch.length; i++) {
            double expected = handDcl(batch[i], values, transformType);
            assertEquals(expected, perRow.getFloat(i), 1e-4 * Math.max(1, Math.abs(expected)),
                transformType + ": score of row " + i);
            sum += expected;
          }
          assertEquals(sum / batch.length, loss, 1e-4, transformType + ": the batch loss is the mean of the rows' losses");
        }
      }
    }
  }

  private static float[] flat(float[][] rows) {
    float[] out = new float[rows.length * rows[0].length];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(rows[i], 0, out, i * rows[0].length, rows[0].length);
    }
    return out;
  }

  /** The DCL loss of one row, written out from the paper's formula with the model's weights (row-major arrays). */
  private static double handDcl(float[] x, List<float[]> w, String transformType) {
    float[] t1 = w.get(0); // [FEATURES, K * HIDDEN]: transformation k's first kernel is columns k*HIDDEN ..
    float[] b1 = w.get(1); // [K * HIDDEN]
    float[] t2 = w.get(2); // [K, HIDDEN, FEATURES]
    float[] b2 = w.get(3); // [K, 1, FEATURES]
    double[][] views = new double[K + 1][];
    views[0] = toDouble(x);
    for (int k = 0; k < K; k++) {
      double[] h = new double[HIDDEN];
      for (int j = 0; j < HIDDEN; j++) {
        double a = b1[k * HIDDEN + j];
        for (int i = 0; i < FEATURES; i++) {
          a += x[i] * t1[i * K * HIDDEN + k * HIDDEN + j];
        }
        h[j] = Math.max(0, a);
      }
      double[] view = new double[FEATURES];
      for (int j = 0; j < FEATURES; j++) {
        double m = b2[k * FEATURES + j];
        for (int i = 0; i < HIDDEN; i++) {
          m += h[i] * t2[(k * HIDDEN + i) * FEATURES + j];
        }
        view[j] = transformType.equals("mul") ? x[j] / (1 + Math.exp(-m)) : x[j] + m;
      }
      views[k + 1] = view;
    }
    double[][] z = new double[K + 1][];
    for (int v = 0; v <= K; v++) {
      double[] h = dense(views[v], w.get(4), w.get(5), ENCODER_HIDDEN, true);
      double[] e = dense(h, w.get(6), w.get(7), LATENT, false);
      double norm = Math.sqrt(dot(e, e));
      for (int j = 0; j < LATENT; j++) {
        e[j] /= norm;
      }
      z[v] = e;
    }
    double loss = 0;
    for (int k = 1; k <= K; k++) {
      double positive = Math.exp(dot(z[k], z[0]) / TEMPERATURE);
      double negatives = 0;
      for (int l = 1; l <= K; l++) {
        if (l != k) {
          negatives += Math.exp(dot(z[k], z[l]) / TEMPERATURE);
        }
      }
      loss += -Math.log(positive / (positive + negatives));
    }
    return loss;
  }

  private static double[] dense(double[] in, float[] kernel, float[] bias, int units, boolean relu) {
    double[] out = new double[units];
    for (int j = 0; j < units; j++) {
      double a = bias[j];
      for (int i = 0; i < in.length; i++) {
        a += in[i] * kernel[i * units + j];
      }
      out[j] = relu ? Math.max(0, a) : a;
    }
    return out;
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  private static double[] toDouble(float[] x) {
    double[] out = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = x[i];
    }
    return out;
  }

  private static final String[] FAST = {"model.epochs=3", "model.batch_size=128", "model.num_transforms=4",
      "model.transform_hidden=16", "model.encoder_layers=3", "model.encoder_hidden=16", "model.latent_dim=8",
      "model.learning_rate=0.003"};

  @Test
  void separatesPlantedAnomaliesRefitsAndReloads(@TempDir Path dir) throws Exception {
    DetectorContract.check(DetectorContract.spec("neutralad", FAST), dir, 0.9);
  }

}
