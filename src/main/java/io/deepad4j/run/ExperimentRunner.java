package io.deepad4j.run;

import io.deepad4j.data.Dataset;
import io.deepad4j.engine.Device;
import io.deepad4j.engine.EpochListener;
import io.deepad4j.engine.TrainingHistory;
import io.deepad4j.engine.TrainingLoop;
import io.deepad4j.evaluation.ClassBreakdown;
import io.deepad4j.evaluation.Evaluation;
import io.deepad4j.evaluation.EvaluationResult;
import io.deepad4j.evaluation.LossCurvePlot;
import io.deepad4j.evaluation.MetricName;
import io.deepad4j.evaluation.PlotTitle;
import io.deepad4j.evaluation.ThresholdRule;
import io.deepad4j.models.Detector;
import io.deepad4j.models.ModelFolder;
import io.deepad4j.models.SavedFormat;
import io.deepad4j.models.ModelRegistry;
import io.deepad4j.models.RunContext;
import io.deepad4j.preprocessing.Scaler;
import io.deepad4j.spec.ResolvedSpec;
import io.deepad4j.spec.SpecException;
import io.deepad4j.tracking.MlmodelFile;
import io.deepad4j.tracking.RunStatus;
import io.deepad4j.tracking.RunTracker;
import io.deepad4j.tracking.SystemMetrics;
import io.deepad4j.tracking.Tracking;
import io.deepad4j.tracking.TrackingException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one experiment: data, preprocessing, training, evaluation, outputs, tracking. The run is
 * RUNNING in run.json and in MLflow until it ends FINISHED, FAILED (with the error) or KILLED
 * (Ctrl-C), always both locally and in MLflow (or in the journal kept for {@code sync}).
 */
public final class ExperimentRunner {
  private static final Logger log = LoggerFactory.getLogger(ExperimentRunner.class);

  private final Path outputsRoot;
  private final Map<String, String> extraTags;
  private final EpochListener progress;

  /**
   * @param outputsRoot usually outputs/
   * @param extraTags added to the MLflow run (e.g. mlflow.parentRunId for sweep trials)
   * @param progress shows training to the user (steps and epochs, or a log line per epoch); may be NONE
   */
  public ExperimentRunner(Path outputsRoot, Map<String, String> extraTags, EpochListener progress) {
    this.outputsRoot = outputsRoot;
    this.extraTags = Map.copyOf(extraTags);
    this.progress = progress;
  }

  public RunResult run(ResolvedSpec spec) {
    ThresholdRule rule;
    try {
      rule = ThresholdRule.parse(spec.getString("evaluation.threshold"));
    } catch (IllegalArgumentException e) { // a bad spec (exit 2), found before any data or outputs
      throw new SpecException((spec.source() == null ? "(spec)" : spec.source()) + ": evaluation.threshold: " + e.getMessage());
    }
    if (!spec.getBool("evaluation.score_validation") && rule instanceof ThresholdRule.BestAccuracy) {
      throw new SpecException((spec.source() == null ? "(spec)" : spec.source()) + ": evaluation.score_validation:"
          + " false leaves no validation scores for evaluation.threshold: best_accuracy; use percentile:P or value:X,"
          + " or score the validation split");
    }
    Device device = Device.parse(spec.getString("device"));
    device.requireAvailable(); // before any data or outputs
    long t0 = System.nanoTime();
    Dataset data = Datasets.load(spec);
    log.info("data {}: {} training rows, {} validation, {} test, {} features ({} s)", data.name(),
        data.train().length, data.validation().length, data.test().length, data.numFeatures(),
        String.format("%.1f", (System.nanoTime() - t0) / 1e9));
    Provenance provenance = Provenance.of(spec);

    RunFolder folder = RunFolder.create(outputsRoot, spec.experiment(), spec.runName());
    folder.write("config.yaml", spec.toYaml());
    folder.status(RunStatus.RUNNING, Map.of("started", Instant.now().toString(), "spec", String.valueOf(spec.source()),
        "overrides", spec.overrides(), "pid", ProcessHandle.current().pid()));
    log.info("run folder {}", folder.dir());

    RunTracker tracker = Tracking.open(trackingUri(spec), folder.dir());
    Thread killHook = new Thread(() -> endKilled(folder, tracker), "deepad4j-kill");
    Runtime.getRuntime().addShutdownHook(killHook);
    SystemMetrics systemMetrics = null;
    try {
      tracking(() -> tracker.start(spec.experiment(), spec.runName(), spec.flatParams(), tags(spec, device, provenance)));
      tracker.runUrl().ifPresent(u -> log.info("MLflow run {}", u));
      tracking(() -> tracker.logInputs(DatasetInputs.of(spec, data, provenance)));
      if (spec.getBool("tracking.system_metrics")) {
        systemMetrics = SystemMetrics.start(tracker);
      }
      RunResult result = train(spec, data, provenance, rule, device, folder, tracker);
      closeQuietly(systemMetrics);
      tracker.end(RunStatus.FINISHED, null);
      return result;
    } catch (RuntimeException | Error e) {
      closeQuietly(systemMetrics);
      String message = e.getClass().getSimpleName() + ": " + e.getMessage();
      if (folder.state() != RunStatus.KILLED) {
        try {
          folder.status(RunStatus.FAILED, Map.of("ended", Instant.now().toString(), "error", message));
        } catch (RuntimeException statusError) {
          // e.g. the disk is full: MLflow still hears of the failure; `runner sync` or `compare` mark run.json FAILED later
          log.warn("could not record the failure in {}: {}", folder.resolve(RunFolder.STATUS_FILE), statusError.getMessage());
          e.addSuppressed(statusError);
        }
        try {
          tracker.end(RunStatus.FAILED, message);
        } catch (RuntimeException te) {
          log.warn("could not record the failure in MLflow: {}", te.getMessage());
        }
      }
      throw e;
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(killHook);
        tracker.close();
      } catch (IllegalStateException shuttingDown) {
        // the JVM is exiting: the hook records KILLED and the tracker stays open for it
      }
    }
  }

  /**
   * A tracking call whose rejection by the server (a 4xx, already kept in the journal) must not
   * fail a run whose training and outputs are fine: it is reported and the run goes on.
   */
  private static void tracking(Runnable call) {
    try {
      call.run();
    } catch (TrackingException e) {
      log.warn("MLflow rejected a call: {} (the run goes on; see tracking/journal.jsonl)", e.getMessage());
    }
  }

  /** Stops the system metrics sampler (its last sample) before the run ends; never throws over the run. */
  private static void closeQuietly(SystemMetrics sampler) {
    if (sampler == null) {
      return;
    }
    try {
      sampler.close();
    } catch (RuntimeException e) {
      log.debug("stopping the system metrics sampler: {}", e.toString());
    }
  }

  /**
   * tracking.uri, else $MLFLOW_TRACKING_URI; "none" ({@link Tracking#NONE}) turns tracking off whatever
   * the environment says, and keeps `runner sync` from uploading the run.
   */
  static String trackingUri(ResolvedSpec spec) {
    String uri = spec.getString("tracking.uri");
    return Tracking.NONE.equalsIgnoreCase(uri) ? Tracking.NONE : Tracking.resolveUri(uri);
  }

  private static void endKilled(RunFolder folder, RunTracker tracker) {
    if (folder.state() != RunStatus.RUNNING) {
      return;
    }
    folder.status(RunStatus.KILLED, Map.of("ended", Instant.now().toString(), "error", "interrupted (SIGINT/SIGTERM)"));
    try {
      tracker.end(RunStatus.KILLED, "interrupted");
    } catch (RuntimeException e) {
      System.err.println("could not mark the MLflow run KILLED: " + e.getMessage());
    }
    System.err.println("run interrupted; marked KILLED: " + folder.dir());
  }

  private RunResult train(ResolvedSpec spec, Dataset data, Provenance provenance, ThresholdRule rule, Device device,
      RunFolder folder, RunTracker tracker) {
    Scaler scaler = Scaler.fit(Scaler.Kind.of(spec.getString("preprocessing.scaler")), data.featureNames(), data.train());
    EpochListener listener = new EpochListener() { // the display from the first step; MLflow per epoch
      @Override
      public void onTrainBegin(int epochs) {
        progress.onTrainBegin(epochs);
      }

      @Override
      public void onSteps(int epoch, int epochs, long done, long total) {
        progress.onSteps(epoch, epochs, done, total);
      }

      @Override
      public void onEpochEnd(int epoch, int epochs, Map<String, Double> losses, double seconds) {
        progress.onEpochEnd(epoch, epochs, losses, seconds);
        tracking(() -> tracker.logEpoch(epoch, losses));
      }
    };
    RunContext ctx = new RunContext(spec.seed(), spec.getInt("threads"), device, listener);
    try (Detector detector = ModelRegistry.get().create(spec)) {
      long t = System.nanoTime();
      TrainingHistory history = detector.fit(data.train(), scaler, ctx);
      double trainSeconds = (System.nanoTime() - t) / 1e9;
      folder.write("history.csv", history.toCsv());
      PlotTitle plotTitle = plotTitle(spec, folder, tracker);
      writeLossCurve(folder, history, plotTitle);

      // a benchmark suite leaves the validation split unscored: on ADBench it is the training part, a second
      // scoring pass as long as the fit's for kNN, LOF and the one-class SVM
      boolean scoreValidation = spec.getBool("evaluation.score_validation") && data.validation().length > 0;
      double[] validationScores = scoreValidation ? detector.score(data.validation()) : new double[0];
      t = System.nanoTime();
      double[] testScores = detector.score(data.test());
      double inferenceSeconds = (System.nanoTime() - t) / 1e9;

      EvaluationResult eval = Evaluation.evaluate(validationScores, scoreValidation ? data.validationLabels() : new int[0],
          testScores, data.testLabels(), rule);
      Path modelDir = folder.resolve("model");
      try {
        // the run's decision goes with the model: `runner score` labels new rows at the same threshold
        ModelFolder.Threshold threshold = new ModelFolder.Threshold(eval.threshold(), eval.rule().spec());
        ModelFolder.save(modelDir, detector, scaler, spec, data.name(), provenance.toMap(), threshold);
        writeMlmodel(modelDir, detector.savedFormat(), spec.modelType(), threshold, example(data));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException("cannot save the model to " + modelDir + ": " + e.getMessage(), e);
      }
      Map<String, Double> metrics = new LinkedHashMap<>(eval.metrics());
      Double ties = metrics.get(MetricName.THRESHOLD_TIES.key());
      if (ties != null && ties >= 0.01 * testScores.length) {
        log.warn("{} test rows ({}%) score exactly the threshold {}: they count as normal (score > threshold is"
            + " flagged), so precision, recall and F1 hinge on that convention (Zenati et al.'s code flags"
            + " score >= threshold); ROC AUC does not", ties.longValue(),
            String.format(java.util.Locale.ROOT, "%.1f", 100 * ties / testScores.length), eval.threshold());
      }
      metrics.put(MetricName.TRAIN_TIME_S.key(), trainSeconds);
      metrics.put(MetricName.INFERENCE_TIME_S.key(), inferenceSeconds);
      metrics.put(MetricName.NUM_PARAMS.key(), (double) detector.parameterCount());
      metrics.put(MetricName.MODEL_SIZE_KB.key(), RunFolder.size(modelDir) / 1024.0);
      metrics.putAll(history.fitMetrics());
      if (history.bestEpoch() > 0) {
        metrics.put(MetricName.BEST_EPOCH.key(), (double) history.bestEpoch());
      }
      if (history.size() > 0) {
        metrics.put(MetricName.EPOCH_TIME_MEDIAN_S.key(), median(history.epochSeconds()));
        java.util.List<Double> steps = history.stepSeconds().stream().filter(v -> !v.isNaN()).toList();
        if (!steps.isEmpty()) {
          metrics.put(MetricName.STEP_TIME_MEDIAN_S.key(), median(steps));
        }
      }
      try {
        eval.writeArtifacts(folder.dir(), testScores, data.testLabels(), plotTitle);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException("cannot write the evaluation files to " + folder.dir() + ": " + e.getMessage(), e);
      }
      if (!data.testClasses().isEmpty()) {
        var byClass = ClassBreakdown.of(data.testClasses(), data.testLabels(), testScores, eval.threshold());
        folder.write(ClassBreakdown.FILE_NAME, ClassBreakdown.toCsv(byClass));
        String worst = ClassBreakdown.summary(byClass, 4);
        if (!worst.isEmpty()) {
          log.info("most errors by class ({}): {}", ClassBreakdown.FILE_NAME, worst);
        }
      }
      folder.write("metrics.json", RunFolder.toJson(metrics));
      log.info("{}", summary(metrics));

      folder.status(RunStatus.FINISHED, Map.of("ended", Instant.now().toString(), "metrics", metrics));
      tracking(() -> tracker.logMetrics(metrics));
      tracking(() -> tracker.logArtifactsAndModel(folder.dir(), modelName(spec)));
      String register = spec.getString("tracking.register_model");
      if (register != null && !register.isBlank()) {
        tracking(() -> tracker.registerModel(register, versionDescription(spec, tracker), versionTags(spec, provenance,
            data)));
      }
      return new RunResult(folder.dir(), metrics, tracker.runId().orElse(null));
    }
  }

  /**
   * What the run's plots name in their titles: the model type, and the run as its name and MLflow run id when
   * tracked, else as its folder's name (the run name and the time stamp: unique among local runs).
   */
  static PlotTitle plotTitle(ResolvedSpec spec, RunFolder folder, RunTracker tracker) {
    return tracker.runId().map(id -> new PlotTitle(spec.modelType(), modelName(spec), id))
        .orElseGet(() -> new PlotTitle(spec.modelType(), folder.dir().getFileName().toString(), null));
  }

  /**
   * loss_curve_plot.png from the history: every loss per epoch, and val_score with a validation split; the
   * learning-rate columns stay in history.csv. A detector without epochs (PCA, the SVM, the native baselines) has
   * no curve to draw and gets none.
   */
  static void writeLossCurve(RunFolder folder, TrainingHistory history, PlotTitle title) {
    if (history.size() == 0) {
      return;
    }
    Map<String, double[]> losses = new LinkedHashMap<>();
    double[] valScore = null;
    for (String column : history.lossNames()) {
      if (TrainingLoop.isLearningRate(column)) {
        continue;
      }
      double[] values = new double[history.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = history.epoch(i).getOrDefault(column, Double.NaN);
      }
      if (column.equals(TrainingLoop.VAL_SCORE)) {
        valScore = values;
      } else {
        losses.put(column, values);
      }
    }
    if (losses.isEmpty()) {
      return;
    }
    try {
      LossCurvePlot.write(folder.dir(), losses, valScore, TrainingLoop.VAL_SCORE, title);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot write " + folder.resolve(LossCurvePlot.FILE_NAME) + ": "
          + e.getMessage(), e);
    }
  }

  static double median(java.util.List<Double> values) {
    double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private static String summary(Map<String, Double> m) {
    StringBuilder sb = new StringBuilder("results:");
    for (String k : MetricName.keys(MetricName.ROC_AUC, MetricName.PRECISION_RECALL_AUC, MetricName.ACCURACY,
        MetricName.PRECISION, MetricName.RECALL, MetricName.F1, MetricName.THRESHOLD, MetricName.TRAIN_TIME_S,
        MetricName.INFERENCE_TIME_S, MetricName.VAL_ROC_AUC)) {
      if (m.containsKey(k)) {
        sb.append(' ').append(k).append('=').append(String.format("%.4f", m.get(k)));
      }
    }
    return sb.toString();
  }

  private Map<String, String> tags(ResolvedSpec spec, Device device, Provenance provenance) {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("mlflow.runName", spec.runName());
    tags.put("mlflow.source.name", spec.source() == null ? "(none)" : spec.source().toString());
    tags.put("mlflow.source.type", "LOCAL");
    tags.put("mlflow.user", System.getProperty("user.name", "unknown"));
    StringBuilder note = new StringBuilder("Spec `").append(spec.source()).append("`");
    if (!spec.overrides().isEmpty()) {
      note.append(" with overrides `").append(String.join(" ", spec.overrides())).append('`');
    }
    note.append(":\n\n```yaml\n").append(spec.sourceText()).append("\n```\n");
    tags.put("mlflow.note.content", note.toString());
    GitInfo.commit().ifPresent(c -> tags.put("mlflow.source.git.commit", c));
    // what ran, not what was asked: auto is resolved, and the non-TensorFlow detectors run in Java on the CPU
    Device ran = ModelRegistry.get().usesTensorflow(spec.modelType()) ? device.resolved() : Device.CPU;
    tags.put("device", ran.name().toLowerCase(java.util.Locale.ROOT));
    tags.put("device.requested", device.name().toLowerCase(java.util.Locale.ROOT));
    tags.put("deepad4j.version", ModelFolder.version());
    tags.put("deepad4j.model_type", spec.modelType());
    tags.putAll(provenance.tags());
    tags.putAll(extraTags);
    return tags;
  }

  /** Training rows shown as the logged model's input example. */
  static final int EXAMPLE_ROWS = 5;

  /** The model's input: the features in order and the first few training rows, raw (the model scales them itself). */
  static MlmodelFile.Example example(Dataset data) {
    float[][] rows = java.util.Arrays.copyOf(data.train(), Math.min(EXAMPLE_ROWS, data.train().length));
    return new MlmodelFile.Example(data.featureNames(), rows);
  }

  /**
   * The model folder's MLflow description: the flavors follow from what the detector saved; the signature
   * and input example from the data set's features and training rows; the metadata names the model type,
   * the version and the decision threshold (MLflow keeps metadata values as given: strings here).
   */
  static void writeMlmodel(Path modelDir, SavedFormat format, String modelType, ModelFolder.Threshold threshold,
      MlmodelFile.Example example)
      throws java.io.IOException {
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("deepad4j_model_type", modelType);
    metadata.put("deepad4j_version", ModelFolder.version());
    metadata.put("threshold", Double.toString(threshold.value()));
    metadata.put("threshold_rule", threshold.rule());
    switch (format.kind()) {
      case TENSORFLOW_SAVED_MODEL -> MlmodelFile.writeTensorflow(modelDir, format.path(), example, metadata);
      case JAVA_AND_TENSORFLOW -> MlmodelFile.writeTensorflowAndDeepad4j(modelDir, format.savedModelDir(), modelType,
          format.path(), format.format(), Scaler.FILE_NAME, example, metadata);
      case JAVA_ONLY -> MlmodelFile.writeDeepad4j(modelDir, modelType, format.path(), format.format(),
          Scaler.FILE_NAME, example, metadata);
    }
  }

  /** The logged model's name: the spec's run name, else its experiment (MLflow's UI lists models by it). */
  static String modelName(ResolvedSpec spec) {
    String name = spec.runName();
    return name == null || name.isBlank() ? spec.experiment() : name;
  }

  /** The registered version's description (markdown): what made it, and the resolved spec. */
  private static String versionDescription(ResolvedSpec spec, RunTracker tracker) {
    return "`" + spec.modelType() + "` detector of run `" + spec.runName() + "`"
        + tracker.runId().map(id -> " (" + id + ")").orElse("") + ", experiment `" + spec.experiment()
        + "`, data " + Datasets.describe(spec) + ", seed " + spec.seed() + ".\n\nResolved spec:\n\n```yaml\n"
        + spec.toYaml() + "```\n";
  }

  /** The registered version's tags: model type, run name and the data the model was trained on (name, digest, files). */
  private static Map<String, String> versionTags(ResolvedSpec spec, Provenance provenance, Dataset data) {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("deepad4j.model_type", spec.modelType());
    tags.put("deepad4j.run_name", spec.runName());
    tags.put("deepad4j.spec", String.valueOf(spec.source()));
    tags.put("deepad4j.data.name", DatasetInputs.name(spec));
    tags.put("deepad4j.data.digest", DatasetInputs.digest(spec, provenance, "train"));
    tags.putAll(provenance.tags());
    tags.put("deepad4j.features", Integer.toString(data.numFeatures()));
    return tags;
  }
}
