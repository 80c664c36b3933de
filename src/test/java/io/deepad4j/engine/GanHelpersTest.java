package io.deepad4j.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/** Spectral normalisation, moving averages and the GAN losses against values computed by hand. */
class GanHelpersTest {

  private static float[] fetch(Session s, Operand<TFloat32> x, int n) {
    try (var r = s.runner().fetch(x).run()) {
      TFloat32 t = (TFloat32) r.get(0);
      float[] out = new float[n];
      for (int i = 0; i < n; i++) {
        out[i] = t.rank() == 2 ? t.getFloat(i / (int) t.shape().get(1), i % (int) t.shape().get(1)) : t.getFloat(i);
      }
      return out;
    }
  }

  private static void run(Session s, List<Op> ops) {
    Session.Runner r = s.runner();
    ops.forEach(r::addTarget);
    r.run().close();
  }

  /** Largest singular value of a rows x cols matrix, by power iteration on W^T W. */
  private static double largestSingularValue(float[] w, int rows, int cols) {
    double[] v = new double[cols];
    java.util.Arrays.fill(v, 1);
    double norm = 0;
    for (int it = 0; it < 500; it++) {
      double[] wv = new double[rows];
      for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) wv[i] += w[i * cols + j] * v[j];
      double[] next = new double[cols];
      for (int j = 0; j < cols; j++) for (int i = 0; i < rows; i++) next[j] += w[i * cols + j] * wv[i];
      norm = 0;
      for (double x : next) norm += x * x;
      norm = Math.sqrt(norm);
      for (int j = 0; j < cols; j++) v[j] = next[j] / norm;
    }
    return Math.sqrt(norm);
  }

  @Test
  void spectralDenseDividesTheKernelByItsLargestSingularValue() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Layers layers = new Layers(tf, 5);
      SpectralDense d = layers.spectralDense("d", 4, 3);
      // x = identity rows: the output is the normalised kernel itself (bias 0)
      float[][] eye = new float[4][4];
      for (int i = 0; i < 4; i++) eye[i][i] = 1;
      Operand<TFloat32> kernel = d.preActivation(tf, tf.constant(eye));
      Op update = d.updateState(tf);
      Variable<TFloat32> raw = layers.group("d").get(0);
      try (Session s = new Session(g)) {
        s.initialize();
        for (int i = 0; i < 30; i++) {
          run(s, List.of(update));
        }
        float[] w = fetch(s, raw, 12);
        float[] normalised = fetch(s, kernel, 12);
        double sigma = largestSingularValue(w, 4, 3);
        assertEquals(1.0, largestSingularValue(normalised, 4, 3), 1e-3);
        for (int i = 0; i < 12; i++) {
          assertEquals(w[i] / sigma, normalised[i], 1e-4);
        }
      }
    }
  }

  @Test
  void movingAverageIsTheBiasCorrectedAverageOfTheWeights() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Layers layers = new Layers(tf, 5);
      Variable<TFloat32> v = layers.variable("w", new float[] {2f, -1f});
      MovingAverage average = layers.movingAverage(List.of(v), 0.9);
      var value = tf.placeholder(TFloat32.class);
      Op set = tf.assign(v, value);
      List<Op> update = average.update(tf);
      List<Op> swap = average.assignAverages(tf);
      try (Session s = new Session(g)) {
        s.initialize();
        run(s, swap); // before any update: the weights stay
        assertEquals(2f, fetch(s, v, 2)[0]);
        double shadow = 0;
        double[] values = {1, 3, 4};
        for (double x : values) {
          try (TFloat32 t = TFloat32.vectorOf((float) x, (float) (10 * x))) {
            s.runner().feed(value, t).addTarget(set).run().close();
          }
          run(s, update);
          shadow = 0.9 * shadow + 0.1 * x;
        }
        run(s, swap);
        double expected = shadow / (1 - Math.pow(0.9, values.length));
        float[] averaged = fetch(s, v, 2);
        assertEquals(expected, averaged[0], 1e-5);
        assertEquals(10 * expected, averaged[1], 1e-4);
      }
    }
    assertThrows(IllegalArgumentException.class, () -> {
      try (Graph g = new Graph()) {
        Layers layers = new Layers(Ops.create(g), 1);
        layers.movingAverage(new ArrayList<>(), 1.0);
      }
    });
  }

  @Test
  void sigmoidCrossEntropyMatchesTheFormulaAtLargeLogits() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      float[][] logits = {{-50f}, {-1f}, {0f}, {2f}, {80f}};
      Operand<TFloat32> real = GanOps.sigmoidCrossEntropy(tf, tf.constant(logits), true);
      Operand<TFloat32> fake = GanOps.sigmoidCrossEntropy(tf, tf.constant(logits), false);
      try (Session s = new Session(g)) {
        float[] r = fetch(s, real, 5);
        float[] f = fetch(s, fake, 5);
        for (int i = 0; i < 5; i++) {
          double l = logits[i][0];
          double softplusMinus = Math.max(-l, 0) + Math.log1p(Math.exp(-Math.abs(l))); // -log sigmoid(l)
          assertEquals(softplusMinus, r[i], 1e-5);
          assertEquals(softplusMinus + l, f[i], 1e-4); // -log(1 - sigmoid(l))
        }
      }
    }
  }
}
