package io.deepad4j.models;

import io.deepad4j.engine.Layers;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A model's layers in a graph of their own, for loss tests by hand: the test builds the model here,
 * reads the initial weights and the graph's values, and computes the same numbers in Java.
 */
final class TinyGraph implements AutoCloseable {
  final Graph graph = new Graph();
  final Ops tf = Ops.create(graph);
  final Layers layers;
  private Session session;

  TinyGraph(long seed) {
    layers = new Layers(tf, seed);
  }

  Session session() {
    if (session == null) {
      session = new Session(graph);
      session.initialize();
    }
    return session;
  }

  /** The value of a float tensor of rank 0, 1 or 2, as a [rows][cols] array (rank 0: [1][1], rank 1: [1][n]). */
  float[][] fetch(Operand<TFloat32> x) {
    try (var result = session().runner().fetch(x).run()) {
      TFloat32 t = (TFloat32) result.get(0);
      long[] shape = t.shape().asArray();
      if (shape.length == 0) {
        return new float[][] {{t.getFloat()}};
      }
      if (shape.length == 1) {
        float[] v = new float[(int) shape[0]];
        for (int i = 0; i < v.length; i++) {
          v[i] = t.getFloat(i);
        }
        return new float[][] {v};
      }
      float[][] v = new float[(int) shape[0]][(int) shape[1]];
      for (int i = 0; i < v.length; i++) {
        for (int j = 0; j < v[i].length; j++) {
          v[i][j] = t.getFloat(i, j);
        }
      }
      return v;
    }
  }

  float scalar(Operand<TFloat32> x) {
    return fetch(x)[0][0];
  }

  void run(org.tensorflow.op.Op op) {
    session().runner().addTarget(op).run().close();
  }

  List<float[][]> weights() {
    return layers.all().stream().map(this::fetch).toList();
  }

  static double[][] matMul(double[][] a, float[][] b) {
    double[][] out = new double[a.length][b[0].length];
    for (int i = 0; i < a.length; i++) {
      for (int k = 0; k < b.length; k++) {
        for (int j = 0; j < b[0].length; j++) {
          out[i][j] += a[i][k] * b[k][j];
        }
      }
    }
    return out;
  }

  static double[][] leakyRelu(double[][] x) {
    double[][] out = new double[x.length][];
    for (int i = 0; i < x.length; i++) {
      out[i] = x[i].clone();
      for (int j = 0; j < out[i].length; j++) {
        if (out[i][j] < 0) {
          out[i][j] *= 0.2;
        }
      }
    }
    return out;
  }

  static double[][] toDouble(float[][] x) {
    double[][] out = new double[x.length][];
    for (int i = 0; i < x.length; i++) {
      out[i] = new double[x[i].length];
      for (int j = 0; j < x[i].length; j++) {
        out[i][j] = x[i][j];
      }
    }
    return out;
  }

  @Override
  public void close() {
    if (session != null) {
      session.close();
    }
    graph.close();
  }
}
