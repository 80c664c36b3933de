package io.deepad4j.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * A {@link TfModel} turned into one TensorFlow graph and session: a training step chained
 * {@code stepsPerExecution} times (so one Session.run does that many Adam steps), a single step for
 * the rows left at the end of an epoch, and a scoring function. Raw rows go in; the fitted
 * scaling is a constant part of the graph, so the exported SavedModel scores raw rows.
 *
 * <p>It builds and runs the graph and nothing else: the epochs, validation, early stopping, history
 * and progress are the {@link TrainingLoop}'s and its {@link Callback}s', which call the
 * package-private step, learning-rate, best-weight and after-training methods here.
 */
public final class CompiledModel implements AutoCloseable {
  /** Name of the SavedModel signature's input (float [-1, n_features]). */
  public static final String INPUT = "x";
  /** Name of the SavedModel signature's output (float [-1]). */
  public static final String OUTPUT = "score";
  /** Name of the per-epoch mean score of the held-out rows in the history ({@link TrainingLoop#VAL_SCORE}). */
  public static final String VAL_SCORE = TrainingLoop.VAL_SCORE;

  private static final int SCORE_BATCH = 16_384;

  private final Graph graph;
  private final Session session;
  private final TrainingOptions options;
  private final int numFeatures;
  private final long parameterCount;
  private final Placeholder<TFloat32> chunkInput;
  private final List<Op> chunkTargets;
  private final Map<String, List<Operand<TFloat32>>> chunkLosses;
  private final Placeholder<TFloat32> stepInput;
  private final List<Op> stepTargets;
  private final Map<String, List<Operand<TFloat32>>> stepLosses;
  private final Placeholder<TFloat32> scoreInput;
  private final Operand<TFloat32> scoreOutput;
  private final List<Op> trainingEndTargets;
  private final WeightSnapshot best;
  private final Placeholder<TFloat32> rateFactorInput;
  private final Op setRateFactor;
  private final Map<String, Float> learningRates;
  private final Placeholder<TFloat32> rowMeanInput;
  private final List<RowMeanPass> rowMeanPasses = new ArrayList<>();

  /** One {@link RowMean} in the graph: the batch's sum (flattened), the mean fed back, its assignment. */
  private record RowMeanPass(RowMean.When when, Operand<TFloat32> batchSum, Placeholder<TFloat32> mean, Shape shape, Op assign) {}

  private static final int ROW_MEAN_BATCH = 4096;

  private CompiledModel(TfModel model, float[] offset, float[] scale, TrainingOptions options) {
    this.options = options;
    this.numFeatures = offset.length;
    this.graph = new Graph();
    try {
      Ops tf = options.device().scope(Ops.create(graph));
      Layers layers = new Layers(tf, options.seed());
      model.beginBuild();
      model.build(layers, numFeatures);
      this.parameterCount = layers.parameterCount();
      Operand<TFloat32> offsetC = tf.constant(offset);
      Operand<TFloat32> scaleC = tf.constant(scale);
      Map<String, Adam> optimizers = new LinkedHashMap<>();
      Variable<TFloat32> rateFactor = tf.withName("learning_rate_factor").variable(tf.constant(1f));
      rateFactorInput = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
      setRateFactor = tf.assign(rateFactor, rateFactorInput);

      int k = options.stepsPerExecution();
      int b = options.batchSize();
      chunkInput = tf.withName("train_chunk").placeholder(TFloat32.class, Placeholder.shape(Shape.of((long) k * b, numFeatures)));
      Operand<TFloat32> chunk = scaled(tf, chunkInput, offsetC, scaleC);
      List<Operand<TFloat32>> batches = new ArrayList<>();
      if (k == 1) {
        batches.add(chunk);
      } else {
        tf.split(tf.constant(0), chunk, (long) k).output().forEach(batches::add);
      }
      chunkLosses = new LinkedHashMap<>();
      chunkTargets = chainSteps(tf, model, layers, batches, optimizers, rateFactor, chunkLosses);

      stepInput = tf.withName("train_step").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, numFeatures)));
      stepLosses = new LinkedHashMap<>();
      stepTargets =
          chainSteps(tf, model, layers, List.of(scaled(tf, stepInput, offsetC, scaleC)), optimizers, rateFactor,
              stepLosses);

      Map<String, Float> rates = new LinkedHashMap<>();
      optimizers.forEach((name, adam) -> rates.put(name, adam.learningRate()));
      learningRates = java.util.Collections.unmodifiableMap(rates);

      scoreInput = tf.withName(INPUT).placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, numFeatures)));
      scoreOutput = tf.withName(OUTPUT).identity(model.score(tf, scaled(tf, scoreInput, offsetC, scaleC)));
      trainingEndTargets = List.copyOf(model.afterTraining(tf));
      rowMeanInput = tf.withName("row_mean_rows").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, numFeatures)));
      for (RowMean m : model.rowMeans(tf, scaled(tf, rowMeanInput, offsetC, scaleC))) {
        Shape shape = layers.stateShape(m.target());
        Placeholder<TFloat32> mean = tf.placeholder(TFloat32.class, Placeholder.shape(shape));
        Operand<TFloat32> batchSum = tf.reshape(tf.reduceSum(m.perRow(), tf.constant(0)), tf.constant(new int[] {-1}));
        rowMeanPasses.add(new RowMeanPass(m.when(), batchSum, mean, shape, tf.assign(m.target(), m.finish().apply(tf, mean))));
      }
      if (options.validation().restoreBest()) {
        if (model.usesMovingAverage()) {
          throw new IllegalArgumentException(
              "model.restore_best keeps the weights of one epoch, model.ema_decay averages them over steps:"
                  + " set model.ema_decay: 0 or model.restore_best: false");
        }
        best = new WeightSnapshot(tf, layers.weightsAndState());
      } else {
        best = null;
      }

      session = new Session(graph, options.device().sessionConfig(options.threads()));
      session.initialize();
    } catch (RuntimeException e) {
      graph.close();
      throw e;
    }
  }

  /** Builds the graphs of {@code model} for rows scaled as (x - offset) * scale. */
  public static CompiledModel compile(TfModel model, float[] offset, float[] scale, TrainingOptions options) {
    if (offset.length != scale.length) {
      throw new IllegalArgumentException("offset and scale lengths differ");
    }
    return new CompiledModel(model, offset, scale, options);
  }

  private static Operand<TFloat32> scaled(Ops tf, Operand<TFloat32> x, Operand<TFloat32> offset, Operand<TFloat32> scale) {
    return tf.math.mul(tf.math.sub(x, offset), scale);
  }

  /**
   * Places one training step per batch in the graph, each after the previous one's updates.
   * Within a step, every update waits for every gradient of the step (deterministic, and what
   * simultaneous GAN updates mean). A model that {@link TfModel#alternatesUpdates() alternates}
   * has its first objective (the discriminator) applied first; its other objectives are then
   * computed again from the updated discriminator and applied together, as the GAN papers' code does.
   */
  private List<Op> chainSteps(
      Ops tf,
      TfModel model,
      Layers layers,
      List<Operand<TFloat32>> batches,
      Map<String, Adam> optimizers,
      Operand<TFloat32> rateFactor,
      Map<String, List<Operand<TFloat32>>> lossesOut) {
    List<Op> previousUpdates = List.of();
    for (Operand<TFloat32> batch : batches) {
      Ops step = previousUpdates.isEmpty() ? tf : tf.withControlDependencies(previousUpdates);
      List<Objective> objectives = model.objectives(step, batch);
      List<Op> updates;
      if (model.alternatesUpdates() && objectives.size() > 1) {
        updates = new ArrayList<>(
            applyTogether(tf, step, objectives.subList(0, 1), layers, optimizers, rateFactor, lossesOut));
        Ops second = tf.withControlDependencies(updates);
        List<Objective> again = model.objectives(second, batch);
        updates.addAll(applyTogether(tf, second, again.subList(1, again.size()), layers, optimizers, rateFactor, lossesOut));
      } else {
        updates = applyTogether(tf, step, objectives, layers, optimizers, rateFactor, lossesOut);
      }
      List<Op> after = model.afterStep(tf.withControlDependencies(updates));
      if (!after.isEmpty()) {
        updates.addAll(after);
      }
      previousUpdates = updates;
    }
    return previousUpdates;
  }

  /** Computes the gradients of {@code objectives}, then applies them all: the updates (a mutable list). */
  private List<Op> applyTogether(
      Ops tf,
      Ops step,
      List<Objective> objectives,
      Layers layers,
      Map<String, Adam> optimizers,
      Operand<TFloat32> rateFactor,
      Map<String, List<Operand<TFloat32>>> lossesOut) {
    List<Op> computed = new ArrayList<>();
    List<List<Operand<TFloat32>>> gradients = new ArrayList<>();
    for (Objective o : objectives) {
      Output<?>[] vars = o.variables().stream().map(Variable::asOutput).toArray(Output<?>[]::new);
      Output<?>[] grads = graph.addGradients(o.loss().asOutput(), vars);
      List<Operand<TFloat32>> typed = new ArrayList<>();
      for (int i = 0; i < grads.length; i++) {
        if (grads[i] == null) {
          throw new IllegalStateException(
              "objective '" + o.name() + "' does not depend on its variable #" + i + ": check the model's variable groups");
        }
        @SuppressWarnings("unchecked")
        Operand<TFloat32> raw = (Operand<TFloat32>) grads[i];
        // an Identity is an Op, which is what control dependencies take
        var g = tf.identity(raw);
        typed.add(g);
        computed.add(g);
      }
      gradients.add(typed);
      computed.add(step.identity(o.loss()));
      lossesOut.computeIfAbsent(o.name(), n -> new ArrayList<>()).add(o.loss());
    }
    Ops apply = tf.withControlDependencies(computed);
    List<Op> updates = new ArrayList<>();
    for (int i = 0; i < objectives.size(); i++) {
      Objective o = objectives.get(i);
      Adam adam =
          optimizers.computeIfAbsent(
              o.name(),
              n -> new Adam(tf, n, o.optimizer(), o.variables(), o.variables().stream().map(layers::shapeOf).toList(),
                  rateFactor));
      updates.addAll(adam.applyGradients(apply, gradients.get(i)));
    }
    return updates;
  }

  /**
   * Trains on raw rows with the {@link TrainingLoop} and the callbacks of the options (validation,
   * early stopping, best weights, schedule, history, progress): {@code new TrainingLoop(this).fit(rows)}.
   */
  public TrainingHistory fit(float[][] rows) {
    return new TrainingLoop(this).fit(rows);
  }

  TrainingOptions options() {
    return options;
  }

  /** Runs {@code stepsPerExecution} training steps on {@code data}, that many full batches of rows; adds each loss to {@code sums}. */
  void trainChunk(float[] data, Map<String, Double> sums) {
    runStep(chunkInput, data, options.batchSize() * options.stepsPerExecution(), chunkTargets, chunkLosses, sums);
  }

  /** Runs one training step on the first {@code count} rows of {@code data}; adds its losses to {@code sums}. */
  void trainStep(float[] data, int count, Map<String, Double> sums) {
    runStep(stepInput, data, count, stepTargets, stepLosses, sums);
  }

  /**
   * Each objective's configured learning rate (before a schedule's factor), by objective name, in the order
   * the model declares its objectives.
   */
  Map<String, Float> learningRates() {
    return learningRates;
  }

  /** Sets the factor on every optimizer's learning rate. */
  void setLearningRateFactor(double factor) {
    try (TFloat32 f = TFloat32.scalarOf((float) factor)) {
      session.runner().feed(rateFactorInput, f).addTarget(setRateFactor).run().close();
    }
  }

  /** Whether the graph has a snapshot of the weights (restore_best). */
  boolean keepsBestWeights() {
    return best != null;
  }

  void saveBestWeights() {
    runTargets(best.save());
  }

  void restoreBestWeights() {
    runTargets(best.restore());
  }

  /** Whether the model keeps statistics of the training rows ({@link TfModel#rowMeans}). */
  boolean hasRowMeans() {
    return !rowMeanPasses.isEmpty();
  }

  /**
   * Computes the model's {@link RowMean}s of {@code when} over {@code rows} (raw rows, in batches; sums in
   * double, in row order) and assigns them.
   */
  void computeRowMeans(RowMean.When when, float[][] rows) {
    List<RowMeanPass> passes = rowMeanPasses.stream().filter(p -> p.when() == when).toList();
    if (passes.isEmpty() || rows.length == 0) {
      return;
    }
    List<double[]> sums = new ArrayList<>();
    passes.forEach(p -> sums.add(new double[(int) p.shape().size()]));
    for (int from = 0; from < rows.length; from += ROW_MEAN_BATCH) {
      int count = Math.min(ROW_MEAN_BATCH, rows.length - from);
      float[] buf = new float[count * numFeatures];
      for (int i = 0; i < count; i++) {
        System.arraycopy(rows[from + i], 0, buf, i * numFeatures, numFeatures);
      }
      try (TFloat32 x = TFloat32.tensorOf(Shape.of(count, numFeatures), DataBuffers.of(buf, true, false))) {
        Session.Runner r = session.runner().feed(rowMeanInput, x);
        passes.forEach(p -> r.fetch(p.batchSum()));
        try (var result = r.run()) {
          for (int i = 0; i < passes.size(); i++) {
            double[] sum = sums.get(i);
            TFloat32 batch = (TFloat32) result.get(i);
            for (int j = 0; j < sum.length; j++) {
              sum[j] += batch.getFloat(j);
            }
          }
        }
      }
    }
    Session.Runner r = session.runner();
    List<TFloat32> fed = new ArrayList<>();
    try {
      for (int i = 0; i < passes.size(); i++) {
        double[] sum = sums.get(i);
        float[] mean = new float[sum.length];
        for (int j = 0; j < sum.length; j++) {
          mean[j] = (float) (sum[j] / rows.length);
        }
        TFloat32 t = TFloat32.tensorOf(passes.get(i).shape(), DataBuffers.of(mean, true, false));
        fed.add(t);
        r.feed(passes.get(i).mean(), t).addTarget(passes.get(i).assign());
      }
      r.run().close();
    } finally {
      fed.forEach(TFloat32::close);
    }
  }

  /** Runs the model's {@link TfModel#afterTraining} ops, if it has any. */
  void runAfterTraining() {
    if (!trainingEndTargets.isEmpty()) {
      runTargets(trainingEndTargets);
    }
  }

  private void runTargets(List<Op> targets) {
    Session.Runner r = session.runner();
    targets.forEach(r::addTarget);
    r.run().close();
  }

  private void runStep(
      Placeholder<TFloat32> input,
      float[] data,
      int count,
      List<Op> targets,
      Map<String, List<Operand<TFloat32>>> losses,
      Map<String, Double> sums) {
    try (TFloat32 x = TFloat32.tensorOf(Shape.of(count, numFeatures), DataBuffers.of(data, true, false))) {
      Session.Runner r = session.runner().feed(input, x);
      targets.forEach(r::addTarget);
      List<String> names = new ArrayList<>();
      for (var e : losses.entrySet()) {
        for (Operand<TFloat32> l : e.getValue()) {
          r.fetch(l);
          names.add(e.getKey());
        }
      }
      try (var result = r.run()) {
        for (int i = 0; i < names.size(); i++) {
          float v = ((TFloat32) result.get(i)).getFloat();
          if (!Float.isFinite(v)) {
            throw new IllegalStateException(
                "loss '" + names.get(i) + "' became " + v + ": lower the learning rate or check the scaling");
          }
          sums.merge(names.get(i), (double) v, Double::sum);
        }
      }
    }
  }

  /** Anomaly scores of raw rows, higher = more anomalous. */
  public double[] score(float[][] rows) {
    return scoreWith(session, scoreInput.asOutput().op().name(), scoreOutput.asOutput().op().name(), rows, numFeatures);
  }

  /** Scores rows in batches through the named input and output ops of a session. */
  static double[] scoreWith(Session session, String input, String output, float[][] rows, int numFeatures) {
    double[] out = new double[rows.length];
    for (int from = 0; from < rows.length; from += SCORE_BATCH) {
      int count = Math.min(SCORE_BATCH, rows.length - from);
      float[] buf = new float[count * numFeatures];
      for (int i = 0; i < count; i++) {
        if (rows[from + i].length != numFeatures) {
          throw new IllegalArgumentException(
              "row " + (from + i) + " has " + rows[from + i].length + " values, the model expects " + numFeatures);
        }
        System.arraycopy(rows[from + i], 0, buf, i * numFeatures, numFeatures);
      }
      try (TFloat32 x = TFloat32.tensorOf(Shape.of(count, numFeatures), DataBuffers.of(buf, true, false));
          var result = session.runner().feed(input, x).fetch(output).run()) {
        TFloat32 s = (TFloat32) result.get(0);
        for (int i = 0; i < count; i++) {
          out[from + i] = s.getFloat(i);
        }
      }
    }
    return out;
  }

  /** Exports a SavedModel with signature serving_default: x float [-1, n] -> score float [-1]. */
  public void export(Path dir) throws IOException {
    Files.createDirectories(dir.getParent());
    Signature signature =
        Signature.builder().key(Signature.DEFAULT_KEY).input(INPUT, scoreInput).output(OUTPUT, scoreOutput).build();
    SavedModelBundle.exporter(dir.toString()).withFunction(SessionFunction.create(signature, session)).export();
  }

  public long parameterCount() {
    return parameterCount;
  }

  public int numFeatures() {
    return numFeatures;
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
