package io.deepad4j.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;

/**
 * A fitted detector without TensorFlow training (PCA, one-class SVM, the native baselines) written as a small
 * TensorFlow graph whose constants are its fitted parameters, exported as a SavedModel with the same signature as
 * {@link CompiledModel#export}: serving_default, {@code x} float32 [-1, features] (raw rows) -> {@code score}
 * float32 [-1]. So any TensorFlow runtime (mlflow.pyfunc, {@code mlflow models serve}, TF Serving) scores the model
 * as deepad4j's Java code does.
 *
 * <p>The graph first scales the rows as {@code Scaler.transform} does, in float32 ((x - offset) * scale, two
 * separate operations, so the scaled values are the Java ones bit for bit); the detector's {@link Body} computes
 * the score from them, in float64 where the Java scorer uses doubles. The score is then rounded to float32.
 */
public final class ScoreGraph {
  /** A detector's score of scaled rows. */
  @FunctionalInterface
  public interface Body {
    /**
     * @param scaled the rows after the scaler, float32 [-1, features]
     * @return the score of each row, float64 [-1]
     */
    Operand<TFloat64> score(Ops tf, Operand<TFloat32> scaled);
  }

  private ScoreGraph() {}

  /** Builds the graph of {@code body} on rows scaled by (x - offset) * scale and exports it as a SavedModel to {@code dir}. */
  public static void export(Path dir, float[] offset, float[] scale, Body body) throws IOException {
    if (offset.length != scale.length) {
      throw new IllegalArgumentException("offset and scale lengths differ");
    }
    Files.createDirectories(dir.getParent());
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Placeholder<TFloat32> x = tf.withName(CompiledModel.INPUT).placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(-1, offset.length)));
      Operand<TFloat32> scaled = tf.math.mul(tf.math.sub(x, tf.constant(offset)), tf.constant(scale));
      Operand<TFloat32> score = tf.withName(CompiledModel.OUTPUT).identity(
          tf.dtypes.cast(body.score(tf, scaled), TFloat32.class));
      try (Session session = new Session(graph)) {
        Signature signature =
            Signature.builder().key(Signature.DEFAULT_KEY).input(CompiledModel.INPUT, x).output(CompiledModel.OUTPUT, score).build();
        SavedModelBundle.exporter(dir.toString()).withFunction(SessionFunction.create(signature, session)).export();
      }
    }
  }

  /** A rows x columns float32 constant. */
  public static Operand<TFloat32> matrix(Ops tf, float[][] m) {
    int cols = m.length == 0 ? 0 : m[0].length;
    float[] flat = new float[m.length * cols];
    for (int i = 0; i < m.length; i++) {
      System.arraycopy(m[i], 0, flat, i * cols, cols);
    }
    return tf.constant(Shape.of(m.length, cols), DataBuffers.of(flat, true, false));
  }

  /** A rows x columns float64 constant. */
  public static Operand<TFloat64> matrix(Ops tf, double[][] m) {
    int cols = m.length == 0 ? 0 : m[0].length;
    double[] flat = new double[m.length * cols];
    for (int i = 0; i < m.length; i++) {
      System.arraycopy(m[i], 0, flat, i * cols, cols);
    }
    return tf.constant(Shape.of(m.length, cols), DataBuffers.of(flat, true, false));
  }

  /** Float64 copy of a float32 operand. */
  public static Operand<TFloat64> doubles(Ops tf, Operand<TFloat32> x) {
    return tf.dtypes.cast(x, TFloat64.class);
  }

  /**
   * Squared Euclidean distances [-1, rows] of each of {@code q} [-1, features] to each row of {@code train}
   * (float32), summed feature by feature as direct differences in float32 in feature order, as {@code
   * NearestNeighbors} does (so the same float32 values, and the same neighbours); memory: one [batch, rows] matrix
   * at a time, not batch x rows x features.
   */
  public static Operand<TFloat32> squaredDistances(Ops tf, Operand<TFloat32> q, float[][] train) {
    int features = train[0].length;
    Operand<TFloat32> columns = matrix(tf, transpose(train));   // [features, rows]
    Operand<TFloat32> sum = null;
    for (int j = 0; j < features; j++) {
      Operand<TFloat32> qj = column(tf, q, j);                                         // [batch, 1]
      Operand<TFloat32> tj = tf.expandDims(tf.gather(columns, tf.constant(j), tf.constant(0)), tf.constant(0)); // [1, rows]
      Operand<TFloat32> d = tf.math.sub(qj, tj);
      Operand<TFloat32> term = tf.math.mul(d, d);
      sum = sum == null ? term : tf.math.add(sum, term);
    }
    return sum;
  }

  /**
   * Squared Euclidean distances [-1, rows] in float64 of each of {@code q} [-1, features] to each row of {@code
   * train}, as direct differences summed feature by feature (libsvm's rbf kernel sums so); memory as above.
   */
  public static Operand<TFloat64> squaredDistances(Ops tf, Operand<TFloat64> q, double[][] train) {
    int features = train[0].length;
    double[][] t = new double[features][train.length];
    for (int i = 0; i < train.length; i++) {
      for (int j = 0; j < features; j++) {
        t[j][i] = train[i][j];
      }
    }
    Operand<TFloat64> columns = matrix(tf, t);
    Operand<TFloat64> sum = null;
    for (int j = 0; j < features; j++) {
      Operand<TFloat64> d = tf.math.sub(column(tf, q, j),
          tf.expandDims(tf.gather(columns, tf.constant(j), tf.constant(0)), tf.constant(0)));
      Operand<TFloat64> term = tf.math.mul(d, d);
      sum = sum == null ? term : tf.math.add(sum, term);
    }
    return sum;
  }

  /** Column j of a [-1, features] operand as [-1, 1]. */
  public static <T extends org.tensorflow.types.family.TType> Operand<T> column(Ops tf, Operand<T> x, int j) {
    return tf.gather(x, tf.constant(new int[] {j}), tf.constant(1));
  }

  private static float[][] transpose(float[][] m) {
    float[][] t = new float[m[0].length][m.length];
    for (int i = 0; i < m.length; i++) {
      for (int j = 0; j < m[0].length; j++) {
        t[j][i] = m[i][j];
      }
    }
    return t;
  }

  /** An int32 constant vector. */
  public static Operand<TInt32> ints(Ops tf, int[] v) {
    return tf.constant(v);
  }
}
