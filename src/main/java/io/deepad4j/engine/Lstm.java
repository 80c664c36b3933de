package io.deepad4j.engine;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * An LSTM layer (Hochreiter and Schmidhuber, 1997) unrolled in the graph with plain ops, so that
 * TensorFlow's C++ gradients cover it (the fused LSTM ops have Python-only gradients). Keras
 * semantics: gates i, f, c, o in that order; Glorot-uniform input kernel, orthogonal recurrent
 * kernel, zero bias except 1 for the forget gate (unit_forget_bias).
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
}
