package io.deepad4j.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Trains a {@link CompiledModel}: epochs of shuffled rows fed to its training steps, {@code
 * stepsPerExecution} steps per Session.run and one step per batch for the rows left at the end,
 * with every other behaviour in {@link Callback}s, as Keras' {@code fit} loop. {@link #fit} adds
 * the callbacks its {@link TrainingOptions} ask for, in this order:
 *
 * <ol>
 *   <li>{@link HeldOutScore} and {@link EarlyStopping}, with a validation split: the held-out rows'
 *       mean score as {@code val_score}; the best epoch, patience and restore-best;
 *   <li>{@link EpochTimer}: the epoch's wall time, held-out scoring included;
 *   <li>{@link LearningRateScheduler}: the schedule's factor, set before each epoch;
 *   <li>{@link HistoryRecorder}: the returned {@link TrainingHistory} (history.csv);
 *   <li>{@link ProgressReporter}: the options' {@link EpochListener} (the progress display, MLflow);
 *   <li>{@link AfterTrainingOps}: the model's ops run once training ends (the moving average's
 *       assignment), after the best weights are restored;
 *   <li>{@link RowMeans}, for a model with {@link TfModel#rowMeans}: its statistics of the training rows,
 *       before the first epoch (from the initial weights) or after training (from the final ones);
 * </ol>
 *
 * then the callbacks {@link #add added} here. To add a behaviour, write a {@link Callback} and add
 * it (or, for one every run should have, add it to {@link #fit}'s list where its hooks must fall:
 * each hook is called on the callbacks in this order).
 */
public final class TrainingLoop {
  /** Name of the per-epoch mean score of the held-out rows in the history. */
  public static final String VAL_SCORE = "val_score";
  /**
   * Name of the learning rate each epoch trained at in the history (Keras' {@code learning_rate}; {@code
   * d_lr}, {@code g_lr}, ... when a GAN's objectives have different rates): see {@link LearningRateScheduler}.
   */
  public static final String LEARNING_RATE = "lr";

  /** Whether a history column is a learning rate ({@value #LEARNING_RATE} or {@code <name>_lr}) rather than a loss. */
  public static boolean isLearningRate(String column) {
    return column.equals(LEARNING_RATE) || column.endsWith("_" + LEARNING_RATE);
  }

  private final CompiledModel model;
  private final TrainingOptions options;
  private final List<Callback> extra = new ArrayList<>();

  public TrainingLoop(CompiledModel model) {
    this.model = model;
    this.options = model.options();
  }

  /** Adds a callback, called after the standard ones. */
  public TrainingLoop add(Callback callback) {
    extra.add(callback);
    return this;
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
    TrainingHistory history = new TrainingHistory();
    List<Callback> callbacks = new ArrayList<>();
    float[][] rows = all;
    TrainingOptions.Validation validation = options.validation();
    if (validation.enabled()) {
      float[][][] parts = holdOut(all, validation.split(), options.seed());
      rows = parts[0];
      callbacks.add(new HeldOutScore(model, parts[1]));
      callbacks.add(new EarlyStopping(model, validation, history));
    }
    callbacks.add(new EpochTimer());
    callbacks.add(new StepTimer());
    callbacks.add(new LearningRateScheduler(model, options.schedule()));
    callbacks.add(new HistoryRecorder(history));
    callbacks.add(new ProgressReporter(options.listener()));
    callbacks.add(new AfterTrainingOps(model));
    if (model.hasRowMeans()) {
      callbacks.add(new RowMeans(model, rows));
    }
    callbacks.addAll(extra);
    run(rows, callbacks);
    return history;
  }

  /** The epochs: shuffle (seeded), the steps, then the callbacks; stops early when one asks. */
  private void run(float[][] rows, List<Callback> callbacks) {
    int numFeatures = model.numFeatures();
    int n = rows.length;
    int b = options.batchSize();
    int k = options.stepsPerExecution();
    int chunkRows = b * k;
    float[] chunkBuffer = new float[chunkRows * numFeatures];
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    SplittableRandom shuffleRandom = new SplittableRandom(options.seed() ^ 0x5DEECE66DL);
    int epochs = options.epochs();
    long stepsPerEpoch = (long) (n / chunkRows) * k + (n % chunkRows + b - 1) / b;
    for (Callback c : callbacks) {
      c.onTrainBegin(epochs);
    }
    int epoch = 0;
    while (epoch < epochs) {
      epoch++;
      for (Callback c : callbacks) {
        c.onEpochBegin(epoch);
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
        fill(chunkBuffer, rows, order, pos, chunkRows, numFeatures);
        model.trainChunk(chunkBuffer, sums);
        steps += k;
        pos += chunkRows;
        for (Callback c : callbacks) {
          c.onStepsEnd(epoch, k, steps, stepsPerEpoch);
        }
      }
      while (pos < n) {
        int size = Math.min(b, n - pos);
        float[] buf = new float[size * numFeatures];
        fill(buf, rows, order, pos, size, numFeatures);
        model.trainStep(buf, size, sums);
        steps++;
        pos += size;
        for (Callback c : callbacks) {
          c.onStepsEnd(epoch, 1, steps, stepsPerEpoch);
        }
      }
      Map<String, Double> means = new LinkedHashMap<>();
      for (var e : sums.entrySet()) {
        means.put(e.getKey(), e.getValue() / steps);
      }
      EpochLogs logs = new EpochLogs(epoch, epochs, means);
      for (Callback c : callbacks) {
        c.onEpochEnd(logs);
      }
      if (Thread.currentThread().isInterrupted()) {
        throw new IllegalStateException("training interrupted after epoch " + epoch);
      }
      if (logs.stopRequested()) {
        break;
      }
    }
    for (Callback c : callbacks) {
      c.onTrainEnd(epoch);
    }
  }

  private static void fill(float[] buffer, float[][] rows, int[] order, int from, int count, int numFeatures) {
    for (int i = 0; i < count; i++) {
      System.arraycopy(rows[order[from + i]], 0, buffer, i * numFeatures, numFeatures);
    }
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
}
