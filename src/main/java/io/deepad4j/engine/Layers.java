package io.deepad4j.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.random.RandomStandardNormal;
import org.tensorflow.op.random.RandomUniform;
import org.tensorflow.types.TFloat32;

/**
 * Creates a model's variables and layers, Keras style, and its seeded random ops. Initial values
 * are drawn in Java from the run's seed (Glorot uniform kernels, zero biases, as Keras does), so
 * the same seed gives the same initial network on every machine. Variables are grouped (e.g.
 * "encoder", "generator", "discriminator") so that each optimizer trains only its group.
 */
public final class Layers {
  private final Ops tf;
  private final SplittableRandom initRandom;
  private final long seed;
  private long randomOpCounter;
  private final Map<String, List<Variable<TFloat32>>> groups = new LinkedHashMap<>();
  private final List<Variable<TFloat32>> all = new ArrayList<>();
  private final List<Shape> shapes = new ArrayList<>();
  /** Variables that are not trained but kept between steps, with their shapes. */
  private final Map<Variable<TFloat32>, Shape> state = new LinkedHashMap<>();

  public Layers(Ops tf, long seed) {
    this.tf = tf;
    this.seed = seed;
    this.initRandom = new SplittableRandom(seed);
  }

  /** A dense layer whose variables belong to {@code group}. */
  public Dense dense(String group, int inputs, int units, Activation activation) {
    float[][] kernel = glorotUniform(inputs, units);
    Variable<TFloat32> k = register(group, tf.variable(tf.constant(kernel)), Shape.of(inputs, units));
    Variable<TFloat32> b =
        register(group, tf.variable(tf.constant(new float[units])), Shape.of(units));
    return new Dense(k, b, activation, units);
  }

  /**
   * A dense layer without a bias, activation(x W), whose kernel belongs to {@code group} (NeuTraL AD's encoder,
   * Deep SVDD's and GOAD's layers: their papers leave the bias out).
   */
  public Dense denseWithoutBias(String group, int inputs, int units, Activation activation) {
    float[][] kernel = glorotUniform(inputs, units);
    Variable<TFloat32> k = register(group, tf.variable(tf.constant(kernel)), Shape.of(inputs, units));
    return new Dense(k, null, activation, units);
  }

  /** A variable of any shape with explicit initial values in row-major order (e.g. stacked kernels [K, in, out]). */
  public Variable<TFloat32> variable(String group, Shape shape, float[] initial) {
    if (shape.size() != initial.length) {
      throw new IllegalArgumentException(initial.length + " initial values for a variable of shape " + shape);
    }
    return register(group, tf.variable(tf.constant(shape, org.tensorflow.ndarray.buffer.DataBuffers.of(initial))), shape);
  }

  /** A variable with explicit initial values (e.g. LSTM kernels). */
  public Variable<TFloat32> variable(String group, float[][] initial) {
    return register(group, tf.variable(tf.constant(initial)), Shape.of(initial.length, initial[0].length));
  }

  /** A variable with explicit initial values (e.g. biases). */
  public Variable<TFloat32> variable(String group, float[] initial) {
    return register(group, tf.variable(tf.constant(initial)), Shape.of(initial.length));
  }

  /**
   * A variable that is not trained but saved with the model and kept with the weights (its value set
   * by the model's own ops, e.g. a centre computed from the training rows), initially zeros.
   */
  public Variable<TFloat32> state(String name, Shape shape) {
    Variable<TFloat32> v = tf.withName(name).variable(tf.zeros(tf.constant(shape.asArray()), TFloat32.class));
    state.put(v, shape);
    return v;
  }

  /**
   * A fixed tensor that is part of the model's graph, so that it is saved with the SavedModel (e.g.
   * GOAD's transformation matrices); named {@code name} so a loaded model can be asked for it.
   */
  public Operand<TFloat32> constant(String name, float[][] values) {
    return tf.withName(name).constant(values);
  }

  /**
   * A dense layer whose kernel is divided by its largest singular value (spectral normalisation,
   * Miyato et al. 2018), estimated by one power iteration per use from a persistent vector that
   * is not trained. Its variables belong to {@code group}; call {@link
   * SpectralDense#updateState} after each training step.
   */
  public SpectralDense spectralDense(String group, int inputs, int units) {
    float[][] kernel = glorotUniform(inputs, units);
    Variable<TFloat32> k = register(group, tf.variable(tf.constant(kernel)), Shape.of(inputs, units));
    Variable<TFloat32> b = register(group, tf.variable(tf.constant(new float[units])), Shape.of(units));
    // any non-zero start vector works for the power iteration; drawn from the seed for reproducibility
    Variable<TFloat32> u = tf.variable(tf.constant(glorotUniform(1, units)));
    state.put(u, Shape.of(1, units));
    return new SpectralDense(k, b, u, units);
  }

  /** Moving averages of {@code variables} (created here), e.g. to score with averaged weights. */
  public MovingAverage movingAverage(List<Variable<TFloat32>> variables, double decay) {
    return new MovingAverage(tf, this, variables, decay);
  }

  /** Glorot-uniform initial values for a [rows, cols] kernel, from the run's seed. */
  public float[][] glorotUniform(int rows, int cols) {
    float limit = (float) Math.sqrt(6.0 / (rows + cols));
    float[][] w = new float[rows][cols];
    for (float[] row : w) {
      for (int j = 0; j < cols; j++) {
        row[j] = (float) ((initRandom.nextDouble() * 2 - 1) * limit);
      }
    }
    return w;
  }

  private Variable<TFloat32> register(String group, Variable<TFloat32> v, Shape shape) {
    groups.computeIfAbsent(group, g -> new ArrayList<>()).add(v);
    all.add(v);
    shapes.add(shape);
    return v;
  }

  /** Uniform [0, 1) noise of the given shape; each call site gets its own deterministic stream. */
  public Operand<TFloat32> uniform(Ops scope, Operand<org.tensorflow.types.TInt32> shape) {
    return scope.random.randomUniform(
        shape, TFloat32.class, RandomUniform.seed(seed).seed2(++randomOpCounter));
  }

  /** Standard normal noise of the given shape; each call site gets its own deterministic stream. */
  public Operand<TFloat32> normal(Ops scope, Operand<org.tensorflow.types.TInt32> shape) {
    return scope.random.randomStandardNormal(
        shape, TFloat32.class, RandomStandardNormal.seed(seed).seed2(++randomOpCounter));
  }

  /**
   * Standard normal noise of shape [rows of {@code batch}, cols], outside the gradient (TensorFlow
   * has no gradient for RandomStandardNormal, and noise needs none).
   */
  public Operand<TFloat32> normalLike(Ops scope, Operand<TFloat32> batch, int cols) {
    Operand<org.tensorflow.types.TInt32> rows =
        scope.slice(scope.shape(batch), scope.constant(new int[] {0}), scope.constant(new int[] {1}));
    Operand<org.tensorflow.types.TInt32> shape =
        scope.concat(List.of(rows, scope.constant(new int[] {cols})), scope.constant(0));
    return scope.stopGradient(normal(scope, shape));
  }

  /** The run's seed, for models that draw fixed constants of their own (e.g. scoring noise). */
  public long seed() {
    return seed;
  }

  /** Inverted dropout (Keras semantics): keeps each unit with probability 1 - rate, scales by 1/(1 - rate). */
  public Operand<TFloat32> dropout(Ops scope, Operand<TFloat32> x, double rate) {
    if (rate <= 0) {
      return x;
    }
    Operand<TFloat32> keep =
        scope.dtypes.cast(
            scope.math.greaterEqual(uniform(scope, scope.shape(x)), scope.constant((float) rate)),
            TFloat32.class);
    return scope.math.mul(x, scope.math.mul(keep, scope.constant((float) (1.0 / (1.0 - rate)))));
  }

  public List<Variable<TFloat32>> group(String name) {
    List<Variable<TFloat32>> g = groups.get(name);
    if (g == null) {
      throw new IllegalArgumentException("no variables in group '" + name + "'; groups: " + groups.keySet());
    }
    return List.copyOf(g);
  }

  /** Variables of several groups, in creation order. */
  public List<Variable<TFloat32>> groups(String... names) {
    List<Variable<TFloat32>> out = new ArrayList<>();
    for (String n : names) {
      out.addAll(group(n));
    }
    return out;
  }

  public List<Variable<TFloat32>> all() {
    return List.copyOf(all);
  }

  /**
   * Every variable the score depends on, with its shape: the weights ({@link #all}) and the state
   * that is not trained but kept between steps (the power-iteration vectors of spectral normalisation).
   */
  Map<Variable<TFloat32>, Shape> weightsAndState() {
    Map<Variable<TFloat32>, Shape> out = new LinkedHashMap<>();
    for (int i = 0; i < all.size(); i++) {
      out.put(all.get(i), shapes.get(i));
    }
    out.putAll(state);
    return out;
  }

  /** The shape of a variable made by {@link #state}. */
  Shape stateShape(Variable<TFloat32> v) {
    Shape s = state.get(v);
    if (s == null) {
      throw new IllegalArgumentException("a row mean's target must be made by Layers.state: " + v);
    }
    return s;
  }

  Shape shapeOf(Variable<TFloat32> v) {
    return shapes.get(indexOf(v));
  }

  private int indexOf(Variable<TFloat32> v) {
    for (int i = 0; i < all.size(); i++) {
      if (all.get(i) == v) {
        return i;
      }
    }
    throw new IllegalArgumentException("variable not created by these Layers: " + v);
  }

  /** Number of trainable scalars. */
  public long parameterCount() {
    long n = 0;
    for (Shape s : shapes) {
      n += s.size();
    }
    return n;
  }
}
