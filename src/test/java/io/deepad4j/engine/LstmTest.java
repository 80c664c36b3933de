package io.deepad4j.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The fused LSTM kernel (with the gradient registered for it in Java) against the same layer
 * unrolled with plain ops: outputs, final states and the gradients of every variable must agree.
 */
class LstmTest {
  private static final int ROWS = 5;
  private static final int STEPS = 4;
  private static final int INPUTS = 3;
  private static final int UNITS = 6;

  /** [a][b][c] values uniform in [-1, 1), drawn from {@code seed}. */
  private static float[][][] uniform(long seed, int a, int b, int c) {
    SplittableRandom r = new SplittableRandom(seed);
    float[][][] x = new float[a][b][c];
    for (float[][] plane : x) {
      for (float[] line : plane) {
        for (int i = 0; i < c; i++) {
          line[i] = (float) r.nextDouble(-1, 1);
        }
      }
    }
    return x;
  }

  private static float[] flat(Session s, Operand<?> x) {
    try (var r = s.runner().fetch(x).run()) {
      TFloat32 t = (TFloat32) r.get(0);
      float[] out = new float[(int) t.shape().size()];
      t.asRawTensor().data().asFloats().read(out);
      return out;
    }
  }

  private static void assertClose(String what, float[] expected, float[] actual) {
    assertTrue(expected.length == actual.length, what + ": sizes differ");
    double scale = 0;
    for (float e : expected) {
      scale = Math.max(scale, Math.abs(e));
    }
    assertTrue(scale > 1e-3, what + ": values all near zero, the comparison would prove nothing");
    for (int i = 0; i < expected.length; i++) {
      assertTrue(Math.abs(expected[i] - actual[i]) <= 1e-5 + 1e-4 * scale,
          what + "[" + i + "]: unrolled " + expected[i] + ", fused " + actual[i]);
    }
  }

  private void compare(boolean reverse, boolean withInitialState) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Layers layers = new Layers(tf, 11);
      Lstm lstm = Lstm.create(layers, "lstm", INPUTS, UNITS);
      Operand<TFloat32> batchMajor = tf.constant(uniform(3, ROWS, STEPS, INPUTS));
      Lstm.State initial = null;
      if (withInitialState) {
        float[][] h0 = new float[ROWS][UNITS];
        float[][] c0 = new float[ROWS][UNITS];
        SplittableRandom r = new SplittableRandom(9);
        for (int i = 0; i < ROWS; i++) {
          for (int j = 0; j < UNITS; j++) {
            h0[i][j] = (float) r.nextDouble(-0.5, 0.5);
            c0[i][j] = (float) r.nextDouble(-2, 2);
          }
        }
        initial = new Lstm.State(layers.variable("state", h0), layers.variable("state", c0));
      }

      Lstm.Result unrolled = lstm.run(tf, lstm.projectSequence(tf, batchMajor, STEPS), initial, reverse);
      Operand<TFloat32> unrolledOutputs = tf.stack(unrolled.outputs()); // [steps, rows, units]
      Lstm.FusedResult fused = lstm.runFused(tf, tf.linalg.transpose(batchMajor, tf.constant(new int[] {1, 0, 2})),
          initial, reverse);

      // a loss that weighs every output and the final cell state differently
      Operand<TFloat32> weights = tf.constant(uniform(5, STEPS, ROWS, UNITS));
      Operand<TFloat32> unrolledLoss = tf.math.add(tf.reduceSum(tf.math.mul(unrolledOutputs, weights), tf.constant(new int[] {0, 1, 2})),
          tf.reduceSum(tf.math.square(unrolled.last().c()), tf.constant(new int[] {0, 1})));
      Operand<TFloat32> fusedLoss = tf.math.add(tf.reduceSum(tf.math.mul(fused.outputs(), weights), tf.constant(new int[] {0, 1, 2})),
          tf.reduceSum(tf.math.square(fused.last().c()), tf.constant(new int[] {0, 1})));
      List<Variable<TFloat32>> vars = layers.all();
      Output<?>[] unrolledGrads = g.addGradients(unrolledLoss.asOutput(), vars.stream().map(Variable::asOutput).toArray(Output[]::new));
      Output<?>[] fusedGrads = g.addGradients(fusedLoss.asOutput(), vars.stream().map(Variable::asOutput).toArray(Output[]::new));

      try (Session s = new Session(g)) {
        s.initialize();
        assertClose("outputs", flat(s, unrolledOutputs), flat(s, fused.outputs()));
        assertClose("final h", flat(s, unrolled.last().h()), flat(s, fused.last().h()));
        assertClose("final c", flat(s, unrolled.last().c()), flat(s, fused.last().c()));
        List<String> names = new ArrayList<>(List.of("kernel", "recurrent", "bias", "h0", "c0"));
        for (int i = 0; i < vars.size(); i++) {
          assertClose("gradient of " + names.get(i), flat(s, unrolledGrads[i]), flat(s, fusedGrads[i]));
        }
      }
    }
  }

  @Test
  void fusedForwardMatchesUnrolled() {
    compare(false, false);
  }

  @Test
  void fusedReverseMatchesUnrolled() {
    compare(true, false);
  }

  @Test
  void fusedFromAGivenStateMatchesUnrolledIncludingTheStateGradients() {
    compare(false, true);
  }
}
