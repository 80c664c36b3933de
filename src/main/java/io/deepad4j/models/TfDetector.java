package io.deepad4j.models;

import io.deepad4j.engine.CompiledModel;
import io.deepad4j.engine.LearningRateSchedule;
import io.deepad4j.engine.SavedModelScorer;
import io.deepad4j.engine.TfModel;
import io.deepad4j.engine.TrainingHistory;
import io.deepad4j.engine.TrainingOptions;
import io.deepad4j.preprocessing.Scaler;
import io.deepad4j.spec.Field;
import io.deepad4j.spec.ResolvedSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A detector whose network is a {@link TfModel}, trained by the engine and saved as a SavedModel. */
public final class TfDetector implements Detector {
  public static final String SAVED_MODEL_DIR = "tfmodel";

  private final TfModel model;
  private final int epochs;
  private final int batchSize;
  private final int stepsPerExecution;
  private final boolean shuffle;
  private final TrainingOptions.Validation validation;
  private final LearningRateSchedule schedule;
  private CompiledModel compiled;

  public TfDetector(TfModel model, ResolvedSpec spec) {
    this(model, spec.getInt("model.epochs"), spec.getInt("model.batch_size"),
        spec.getInt("model.steps_per_execution"), spec.getBool("model.shuffle"),
        new TrainingOptions.Validation(spec.getDouble("model.validation_split"), spec.getBool("model.restore_best"),
            spec.getInt("model.patience")),
        LearningRateSchedule.parse(spec.getString("model.lr_schedule")));
  }

  public TfDetector(TfModel model, int epochs, int batchSize, int stepsPerExecution, boolean shuffle,
      TrainingOptions.Validation validation, LearningRateSchedule schedule) {
    this.model = model;
    this.epochs = epochs;
    this.batchSize = batchSize;
    this.stepsPerExecution = stepsPerExecution;
    this.shuffle = shuffle;
    this.validation = validation;
    this.schedule = schedule;
  }

  /** Keys every TensorFlow model has, with its own defaults for epochs, batch size and learning rate. */
  public static List<Field> trainingFields(int epochs, int batchSize) {
    return List.of(
        Field.integer("epochs", epochs, 0, 100_000, "full passes over the training rows"),
        Field.integer("batch_size", batchSize, 1, 1_000_000, "rows per training step"),
        Field.integer("steps_per_execution", 1, 1, 1000, "training steps chained in one TensorFlow call (speed only; with dropout or sampled noise the random draws differ from those of 1, so results differ as between seeds)"),
        Field.bool("shuffle", true, "reshuffle training rows every epoch (seeded)"),
        Field.number("validation_split", 0.0, 0, 0.9,
            "share of the training rows held out (seeded) and scored after every epoch: val_score, their mean anomaly score (lower = better); 0 = none"),
        Field.bool("restore_best", false,
            "end with the weights of the epoch with the lowest val_score (needs validation_split; not with ema_decay)"),
        Field.integer("patience", 0, 0, 100_000,
            "stop after this many epochs without a lower val_score (needs validation_split); 0 = train every epoch"),
        Field.choice("lr_schedule", "constant", LearningRateSchedule.NAMES,
            "learning rates over the epochs: constant, or cosine (Keras CosineDecay to 0 over model.epochs, one factor per epoch)"));
  }

  @Override
  public TrainingHistory fit(float[][] train, Scaler scaler, RunContext ctx) {
    close();
    TrainingOptions options = new TrainingOptions(epochs, batchSize, stepsPerExecution, shuffle,
        ctx.seed(), ctx.threads(), ctx.device(), ctx.listener(), validation, schedule);
    compiled = CompiledModel.compile(model, scaler.offset(), scaler.scale(), options);
    return compiled.fit(train);
  }

  private CompiledModel compiled() {
    if (compiled == null) {
      throw new IllegalStateException("fit the detector first");
    }
    return compiled;
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
  public Map<String, Object> mlflowFlavors() {
    Map<String, Object> tf = new LinkedHashMap<>();
    tf.put("saved_model_dir", SAVED_MODEL_DIR);
    tf.put("meta_graph_tags", List.of("serve"));
    tf.put("signature_def_key", "serving_default");
    tf.put("model_type", "tf1-estimator");
    tf.put("code", null);
    Map<String, Object> py = new LinkedHashMap<>();
    py.put("loader_module", "mlflow.tensorflow");
    py.put("python_version", "3.11");
    py.put("env", Map.of("virtualenv", "python_env.yaml"));
    Map<String, Object> flavors = new LinkedHashMap<>();
    flavors.put("tensorflow", tf);
    flavors.put("python_function", py);
    return flavors;
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
