package io.deepad4j.models;

import io.deepad4j.engine.CompiledModel;
import io.deepad4j.engine.LearningRateSchedule;
import io.deepad4j.engine.SavedModelScorer;
import io.deepad4j.engine.TfModel;
import io.deepad4j.engine.TrainingHistory;
import io.deepad4j.engine.TrainingOptions;
import io.deepad4j.preprocessing.Scaler;
import io.deepad4j.spec.ConfigRecords;
import io.deepad4j.spec.Field;
import io.deepad4j.spec.Param;
import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A detector whose network is a {@link TfModel}, trained by the engine and saved as a SavedModel. */
public final class TfDetector implements Detector {
  public static final String SAVED_MODEL_DIR = "tfmodel";

  /** A TensorFlow model's own defaults for the two training keys that differ from model to model. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.TYPE)
  public @interface TrainingDefaults {
    int epochs();

    int batchSize();
  }

  /**
   * The training keys every TensorFlow model has; {@code epochs} and {@code batch_size} default to
   * the values of the model's {@link TrainingDefaults}.
   */
  public record Training(
      @Param(value = "10", min = 0, max = 100_000, doc = "full passes over the training rows") int epochs,
      @Param(value = "256", min = 1, max = 1_000_000, doc = "rows per training step") int batchSize,
      @Param(value = "1", min = 1, max = 1000, doc = "training steps chained in one TensorFlow call (speed only; with"
          + " dropout or sampled noise the random draws differ from those of 1, so results differ as between seeds)")
      int stepsPerExecution,
      @Param(value = "true", doc = "reshuffle training rows every epoch (seeded)") boolean shuffle,
      @Param(value = "0.0", min = 0, max = 0.9, doc = "share of the training rows held out (seeded) and scored after"
          + " every epoch: val_score, their mean anomaly score (lower = better); 0 = none") double validationSplit,
      @Param(value = "false", doc = "end with the weights of the epoch with the lowest val_score (needs"
          + " validation_split; not with ema_decay)") boolean restoreBest,
      @Param(value = "0", min = 0, max = 100_000, doc = "stop after this many epochs without a lower val_score (needs"
          + " validation_split); 0 = train every epoch") int patience,
      @Param(value = "constant", doc = "learning rates over the epochs: constant, or cosine (Keras CosineDecay to 0"
          + " over model.epochs, one factor per epoch)") LearningRateSchedule lrSchedule,
      @Param(value = "0", min = 0, max = Integer.MAX_VALUE, doc = "train on at most this many training rows, drawn"
          + " with the seed (metrics train_rows, train_rows_capped); 0 = every row") int maxTrainRows) {

    TrainingOptions.Validation validation() {
      return new TrainingOptions.Validation(validationSplit, restoreBest, patience);
    }
  }

  private final TfModel model;
  private final Training training;
  private CompiledModel compiled;

  public TfDetector(TfModel model, Training training) {
    this.model = model;
    this.training = training;
  }

  /** The training keys of a model whose configuration record is {@code config} (annotated with its defaults). */
  public static List<Field> trainingFields(Class<?> config) {
    TrainingDefaults d = config.getAnnotation(TrainingDefaults.class);
    if (d == null) {
      throw new IllegalStateException(config.getName() + " needs @TfDetector.TrainingDefaults(epochs, batchSize)");
    }
    return ConfigRecords.fields(Training.class).stream().map(f -> switch (f.key()) {
      case "epochs" -> f.withDefault(d.epochs());
      case "batch_size" -> f.withDefault(d.batchSize());
      default -> f;
    }).toList();
  }

  @Override
  public TrainingHistory fit(float[][] train, Scaler scaler, RunContext ctx) {
    close();
    TrainingOptions options = new TrainingOptions(training.epochs(), training.batchSize(), training.stepsPerExecution(),
        training.shuffle(), ctx.seed(), ctx.threads(), ctx.device(), ctx.listener(), training.validation(),
        training.lrSchedule());
    TrainingHistory capped = new TrainingHistory();
    float[][] rows = training.maxTrainRows() > 0
        ? TrainingRows.cap(train, training.maxTrainRows(), ctx.seed(), model.getClass().getSimpleName(),
            "model.max_train_rows", capped)
        : train;
    compiled = CompiledModel.compile(model, scaler.offset(), scaler.scale(), options);
    TrainingHistory history = compiled.fit(rows);
    capped.fitMetrics().forEach(history::putMetric);
    return history;
  }

  private CompiledModel compiled() {
    return Detector.requireFitted(compiled);
  }

  @Override
  public double[] score(float[][] rows) {
    return compiled().score(rows);
  }

  @Override
  public long parameterCount() {
    return compiled().parameterCount();
  }

  @Override
  public void save(Path modelDir) throws IOException {
    compiled().export(modelDir.resolve(SAVED_MODEL_DIR));
  }

  @Override
  public SavedFormat savedFormat() {
    return SavedFormat.tensorflow(SAVED_MODEL_DIR);
  }

  /** Loads a saved TensorFlow detector; the scaling is inside the graph. */
  public static Scorer load(Path modelDir) {
    SavedModelScorer s = new SavedModelScorer(modelDir.resolve(SAVED_MODEL_DIR));
    return new Scorer() {
      @Override
      public double[] score(float[][] rows) {
        return s.score(rows);
      }

      @Override
      public void close() {
        s.close();
      }
    };
  }

  @Override
  public void close() {
    if (compiled != null) {
      compiled.close();
      compiled = null;
    }
  }
}
