package io.deepad4j.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
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
 */
public final class CompiledModel implements AutoCloseable {
  /** Name of the SavedModel signature's input (float [-1, n_features]). */
  public static final String INPUT = "x";
  /** Name of the SavedModel signature's output (float [-1]). */
  public static final String OUTPUT = "score";
  /** Name of the per-epoch mean score of the held-out rows in the history. */
  public static final String VAL_SCORE = "val_score";

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

      scoreInput = tf.withName(INPUT).placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, numFeatures)));
      scoreOutput = tf.withName(OUTPUT).identity(model.score(tf, scaled(tf, scoreInput, offsetC, scaleC)));
      trainingEndTargets = List.copyOf(model.afterTraining(tf));
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
   * Trains on raw rows for {@code options.epochs()} epochs. With a validation split, that share of
   * the rows (seeded) is held out and its mean score is the epoch's {@code val_score}; with
   * restore_best the weights of the epoch with the lowest val_score are kept, and with a patience
   * training stops after that many epochs without a lower one.
   */
  public TrainingHistory fit(float[][] all) {
    if (all.length == 0) {
      throw new IllegalArgumentException("no training rows");
    }
    TrainingOptions.Validation validation = options.validation();
    float[][] rows = all;
    float[][] held = new float[0][];
    if (validation.enabled()) {
      float[][][] parts = holdOut(all, validation.split(), options.seed());
      rows = parts[0];
      held = parts[1];
    }
    int n = rows.length;
    int b = options.batchSize();
    int chunkRows = b * options.stepsPerExecution();
    float[] chunkBuffer = new float[chunkRows * numFeatures];
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    SplittableRandom shuffleRandom = new SplittableRandom(options.seed() ^ 0x5DEECE66DL);
    TrainingHistory history = new TrainingHistory();
    double bestScore = Double.POSITIVE_INFINITY;
    int bestEpoch = 0;
    for (int epoch = 1; epoch <= options.epochs(); epoch++) {
      long start = System.nanoTime();
      if (options.schedule() != LearningRateSchedule.CONSTANT) {
        setRateFactor(options.schedule().factor(epoch, options.epochs()));
      }
      if (options.shuffle()) {
        for (int i = n - 1; i > 0; i--) {
          int j = shuffleRandom.nextInt(i + 1);
          int t = order[i];
          order[i] = order[j];
          order[j] = t;
        }
      }
      Map<String, Double> sums = new LinkedHashMap<>();
      long steps = 0;
      int pos = 0;
      while (n - pos >= chunkRows) {
        fill(chunkBuffer, rows, order, pos, chunkRows);
        runStep(chunkInput, chunkBuffer, chunkRows, chunkTargets, chunkLosses, sums);
        steps += options.stepsPerExecution();
        pos += chunkRows;
      }
      while (pos < n) {
        int size = Math.min(b, n - pos);
        float[] buf = new float[size * numFeatures];
        fill(buf, rows, order, pos, size);
        runStep(stepInput, buf, size, stepTargets, stepLosses, sums);
        steps++;
        pos += size;
      }
      Map<String, Double> means = new LinkedHashMap<>();
      for (var e : sums.entrySet()) {
        means.put(e.getKey(), e.getValue() / steps);
      }
      boolean stop = false;
      if (held.length > 0) {
        double valScore = Arrays.stream(score(held)).average().orElseThrow();
        means.put(VAL_SCORE, valScore);
        if (valScore < bestScore) { // NaN never improves
          bestScore = valScore;
          bestEpoch = epoch;
          if (best != null) {
            runTargets(best.save());
          }
        }
        stop = validation.patience() > 0 && epoch - bestEpoch >= validation.patience();
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      history.add(means, seconds);
      options.listener().onEpochEnd(epoch, options.epochs(), means, seconds);
      if (Thread.currentThread().isInterrupted()) {
        throw new IllegalStateException("training interrupted after epoch " + epoch);
      }
      if (stop) {
        break;
      }
    }
    if (bestEpoch > 0) {
      if (best != null && bestEpoch < history.size()) {
        runTargets(best.restore());
      }
      history.setBestEpoch(bestEpoch);
    }
    if (!trainingEndTargets.isEmpty()) {
      runTargets(trainingEndTargets);
    }
    return history;
  }

  private void setRateFactor(double factor) {
    try (TFloat32 f = TFloat32.scalarOf((float) factor)) {
      session.runner().feed(rateFactorInput, f).addTarget(setRateFactor).run().close();
    }
  }

  private void runTargets(List<Op> targets) {
    Session.Runner r = session.runner();
    targets.forEach(r::addTarget);
    r.run().close();
  }

  /**
   * Splits rows into {training, held out}: a seeded choice of round(share x n) rows (at least one,
   * never all), both parts in the original order.
   */
  static float[][][] holdOut(float[][] rows, double share, long seed) {
    int n = rows.length;
    int k = (int) Math.min(n - 1, Math.max(1, Math.round(share * n)));
    if (k < 1) {
      throw new IllegalArgumentException("model.validation_split needs at least 2 training rows, got " + n);
    }
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    SplittableRandom r = new SplittableRandom(seed ^ 0x7A11DA7EL);
    for (int i = 0; i < k; i++) { // partial Fisher-Yates: the first k are the held-out rows
      int j = i + r.nextInt(n - i);
      int t = idx[i];
      idx[i] = idx[j];
      idx[j] = t;
    }
    boolean[] heldOut = new boolean[n];
    for (int i = 0; i < k; i++) {
      heldOut[idx[i]] = true;
    }
    float[][] train = new float[n - k][];
    float[][] held = new float[k][];
    int a = 0;
    int b = 0;
    for (int i = 0; i < n; i++) {
      if (heldOut[i]) {
        held[b++] = rows[i];
      } else {
        train[a++] = rows[i];
      }
    }
    return new float[][][] {train, held};
  }

  private void fill(float[] buffer, float[][] rows, int[] order, int from, int count) {
    for (int i = 0; i < count; i++) {
      System.arraycopy(rows[order[from + i]], 0, buffer, i * numFeatures, numFeatures);
    }
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
