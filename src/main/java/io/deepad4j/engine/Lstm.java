package io.deepad4j.engine;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.TensorFlow;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.nn.BlockLSTM;
import org.tensorflow.op.nn.BlockLSTMGrad;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * An LSTM layer (Hochreiter and Schmidhuber, 1997) with Keras semantics: gates i, f, c, o in that
 * order; Glorot-uniform input kernel, orthogonal recurrent kernel, zero bias except 1 for the
 * forget gate (unit_forget_bias).
 *
 * <p>Two ways to run it over a sequence, same maths: {@link #runFused} runs TensorFlow's fused
 * {@code BlockLSTMV2} kernel, one op for the whole sequence (its gradient, {@code BlockLSTMGradV2},
 * is registered here because TensorFlow defines it in Python only); {@link #run} unrolls the steps
 * with plain ops. The fused op is the one to train with: an unrolled step is about 15 ops forwards
 * and more backwards, each dispatched on its own, which dominates the time of these small layers.
 * {@link #step} remains for decoding that feeds each output back in.
 */
public final class Lstm {
  private final Variable<TFloat32> kernel;     // [inputs, 4 units]
  private final Variable<TFloat32> recurrent;  // [units, 4 units]
  private final Variable<TFloat32> bias;       // [4 units]
  private final int inputs;
  private final int units;

  /** Hidden and cell state, [rows, units] each. */
  public record State(Operand<TFloat32> h, Operand<TFloat32> c) {}

  /** The outputs h of every step, in time order, and the state after the last step. */
  public record Result(List<Operand<TFloat32>> outputs, State last) {}

  private Lstm(Variable<TFloat32> kernel, Variable<TFloat32> recurrent, Variable<TFloat32> bias, int inputs, int units) {
    this.kernel = kernel;
    this.recurrent = recurrent;
    this.bias = bias;
    this.inputs = inputs;
    this.units = units;
  }

  /** Creates the layer's variables in {@code group}. */
  public static Lstm create(Layers layers, String group, int inputs, int units) {
    float[] b = new float[4 * units];
    for (int j = units; j < 2 * units; j++) {
      b[j] = 1f; // forget gate
    }
    return new Lstm(
        layers.variable(group, layers.glorotUniform(inputs, 4 * units)),
        layers.variable(group, orthonormalRows(layers.glorotUniform(units, 4 * units))),
        layers.variable(group, b),
        inputs,
        units);
  }

  /** Gram-Schmidt on the rows of a random [units, 4 units] matrix: Keras' orthogonal initializer. */
  private static float[][] orthonormalRows(float[][] m) {
    double[][] q = new double[m.length][];
    for (int i = 0; i < m.length; i++) {
      double[] v = new double[m[i].length];
      for (int j = 0; j < v.length; j++) {
        v[j] = m[i][j];
      }
      for (int k = 0; k < i; k++) {
        double dot = 0;
        for (int j = 0; j < v.length; j++) {
          dot += v[j] * q[k][j];
        }
        for (int j = 0; j < v.length; j++) {
          v[j] -= dot * q[k][j];
        }
      }
      double norm = 0;
      for (double x : v) {
        norm += x * x;
      }
      norm = Math.sqrt(norm);
      for (int j = 0; j < v.length; j++) {
        v[j] /= norm;
      }
      q[i] = v;
    }
    float[][] out = new float[m.length][m[0].length];
    for (int i = 0; i < m.length; i++) {
      for (int j = 0; j < m[0].length; j++) {
        out[i][j] = (float) q[i][j];
      }
    }
    return out;
  }

  public int units() {
    return units;
  }

  /**
   * The input part of the gates, x W + b, for every step at once: {@code sequence} is
   * [rows, steps, inputs]; returns one [rows, 4 units] tensor per step. One matMul for the whole
   * sequence instead of one per step keeps the unrolled graph small.
   */
  public List<Operand<TFloat32>> projectSequence(Ops tf, Operand<TFloat32> sequence, int steps) {
    Operand<TFloat32> flat = tf.reshape(sequence, tf.constant(new int[] {-1, inputs}));
    Operand<TFloat32> projected = tf.math.add(tf.linalg.matMul(flat, kernel), bias);
    Operand<TFloat32> timeMajor = tf.linalg.transpose(
        tf.reshape(projected, tf.constant(new int[] {-1, steps, 4 * units})), tf.constant(new int[] {1, 0, 2}));
    List<Operand<TFloat32>> out = new ArrayList<>(steps);
    tf.unstack(timeMajor, (long) steps).output().forEach(out::add);
    return out;
  }

  /** The input part of the gates for one step: x [rows, inputs] -> [rows, 4 units]. */
  public Operand<TFloat32> project(Ops tf, Operand<TFloat32> x) {
    return tf.math.add(tf.linalg.matMul(x, kernel), bias);
  }

  /** One step from projected input; {@code state} null means the zero state. */
  public State step(Ops tf, Operand<TFloat32> projectedInput, State state) {
    Operand<TFloat32> gates = state == null
        ? projectedInput
        : tf.math.add(projectedInput, tf.linalg.matMul(state.h(), recurrent));
    var split = tf.split(tf.constant(1), gates, 4L).output();
    Operand<TFloat32> input = tf.math.sigmoid(split.get(0));
    Operand<TFloat32> forget = tf.math.sigmoid(split.get(1));
    Operand<TFloat32> candidate = tf.math.tanh(split.get(2));
    Operand<TFloat32> output = tf.math.sigmoid(split.get(3));
    Operand<TFloat32> newInput = tf.math.mul(input, candidate);
    Operand<TFloat32> c = state == null ? newInput : tf.math.add(tf.math.mul(forget, state.c()), newInput);
    return new State(tf.math.mul(output, tf.math.tanh(c)), c);
  }

  /**
   * Runs the layer over projected inputs (see {@link #projectSequence}) from {@code initial}
   * (null = zeros), forwards or, with {@code reverse}, from the last step to the first (outputs are
   * then in processing order).
   */
  public Result run(Ops tf, List<Operand<TFloat32>> projected, State initial, boolean reverse) {
    State s = initial;
    List<Operand<TFloat32>> outputs = new ArrayList<>(projected.size());
    for (int i = 0; i < projected.size(); i++) {
      s = step(tf, projected.get(reverse ? projected.size() - 1 - i : i), s);
      outputs.add(s.h());
    }
    return new Result(outputs, s);
  }

  /**
   * Runs the layer over {@code timeMajor} [steps, rows, inputs] with the fused kernel, from
   * {@code initial} (null = zeros), forwards or, with {@code reverse}, from the last step to the
   * first. Returns the outputs h [steps, rows, units] in processing order and the final state.
   */
  public FusedResult runFused(Ops tf, Operand<TFloat32> timeMajor, State initial, boolean reverse) {
    registerFusedGradient();
    Operand<TFloat32> x = reverse ? tf.reverse(timeMajor, tf.constant(new int[] {0})) : timeMajor;
    State start = initial;
    if (start == null) {
      // [rows, units] zeros, rows taken from the input's shape
      Operand<TFloat32> zeros = tf.fill(
          tf.concat(List.of(tf.slice(tf.shape(x), tf.constant(new int[] {1}), tf.constant(new int[] {1})),
              tf.constant(new int[] {units})), tf.constant(0)),
          tf.constant(0f));
      start = new State(zeros, zeros);
    }
    Operand<TFloat32> weights = tf.concat(List.of(kernel, recurrent), tf.constant(0));
    Operand<TFloat32> noPeephole = tf.zeros(tf.constant(new int[] {units}), TFloat32.class);
    Operand<TInt64> maxSteps = tf.dtypes.cast(tf.slice(tf.shape(x), tf.constant(new int[] {0}), tf.constant(new int[] {1})),
        TInt64.class);
    BlockLSTM<TFloat32> cell = tf.nn.blockLSTM(tf.reshape(maxSteps, tf.constant(new int[0])), x, start.c(), start.h(),
        weights, noPeephole, noPeephole, noPeephole, bias, BlockLSTM.cellClip(-1f), BlockLSTM.usePeephole(false));
    return new FusedResult(cell.h(), new State(lastStep(tf, cell.h()), lastStep(tf, cell.cs())));
  }

  /** The outputs h [steps, rows, units] of {@link #runFused}, and the state after the last step. */
  public record FusedResult(Operand<TFloat32> outputs, State last) {}

  /** [steps, rows, units] -> [rows, units] of the last step. */
  private Operand<TFloat32> lastStep(Ops tf, Operand<TFloat32> sequence) {
    // begin [steps - 1, 0, 0] computed, not -1: the gradient of slice pads with begin
    Operand<org.tensorflow.types.TInt32> begin = tf.math.mul(
        tf.math.sub(tf.shape(sequence), tf.constant(1)), tf.constant(new int[] {1, 0, 0}));
    Operand<TFloat32> last = tf.slice(sequence, begin, tf.constant(new int[] {1, -1, -1}));
    return tf.reshape(last, tf.constant(new int[] {-1, units}));
  }

  private static boolean gradientRegistered;

  /**
   * Registers, once per process, the gradient of {@code BlockLSTMV2} as TensorFlow's Python code
   * defines it: {@code BlockLSTMGradV2} applied to the op's inputs, outputs and the incoming
   * gradients of its cs and h outputs (the other outputs are intermediate gates).
   */
  private static synchronized void registerFusedGradient() {
    if (gradientRegistered) {
      return;
    }
    TensorFlow.registerCustomGradient(BlockLSTM.OP_NAME, Lstm::fusedGradient);
    gradientRegistered = true;
  }

  @SuppressWarnings("unchecked")
  private static List<Operand<?>> fusedGradient(Ops tf, GraphOperation op, List<Output<?>> gradients) {
    Operand<TFloat32>[] in = new Operand[9];
    for (int i = 1; i < 9; i++) {
      in[i] = (Operand<TFloat32>) op.input(i);
    }
    Operand<TFloat32>[] out = new Operand[7];
    for (int i = 0; i < 7; i++) {
      out[i] = (Operand<TFloat32>) (Operand<?>) op.output(i);
    }
    Operand<TFloat32> csGrad = orZeros(tf, gradients.get(1), out[1]);
    Operand<TFloat32> hGrad = orZeros(tf, gradients.get(6), out[6]);
    BlockLSTMGrad<TFloat32> g = BlockLSTMGrad.create(tf.scope(), (Operand<TInt64>) op.input(0),
        in[1], in[2], in[3], in[4], in[5], in[6], in[7], in[8],
        out[0], out[1], out[2], out[3], out[4], out[5], out[6], csGrad, hGrad, false);
    List<Operand<?>> result = new ArrayList<>(9);
    result.add(tf.zerosLike(op.input(0))); // seq_len_max: an integer; TF Java wants an operand for every input
    result.add(g.xGrad());
    result.add(g.csPrevGrad());
    result.add(g.hPrevGrad());
    result.add(g.wGrad());
    result.add(g.wciGrad());
    result.add(g.wcfGrad());
    result.add(g.wcoGrad());
    result.add(g.bGrad());
    return result;
  }

  @SuppressWarnings("unchecked")
  private static Operand<TFloat32> orZeros(Ops tf, Output<?> gradient, Operand<TFloat32> like) {
    return gradient == null ? tf.zerosLike(like) : (Operand<TFloat32>) gradient;
  }
}
