package io.deepad4j.spark;

import io.deepad4j.tracking.RunStatus;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deepad4j.engine.EpochListener;
import io.deepad4j.models.ModelRegistry;
import io.deepad4j.spec.ResolvedSpec;
import io.deepad4j.spec.SpecLoader;
import io.deepad4j.sweep.SweepRunner;
import io.deepad4j.sweep.Trial;
import io.deepad4j.sweep.TrialHash;
import io.deepad4j.sweep.TrialRecord;
import java.io.Serializable;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;

/**
 * One sweep trial as a Spark task. The driver sends what it planned the trial from (the base spec's
 * text and the trial's overrides), not the spec object: the executor validates the trial again with
 * the same {@link SpecLoader}, checks that it gets the driver's {@link TrialHash}, and runs it with
 * {@link SweepRunner#runTrial}, the code path of a local trial. It returns the trial's record as JSON.
 */
final class TrialTask {
  static final ObjectMapper JSON = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  /** Dataset keys holding paths: relative ones are resolved against the driver's working directory. */
  static final List<String> PATH_KEYS = List.of("dataset.data_dir", "dataset.train_file", "dataset.test_file", "dataset.file");

  private TrialTask() {}

  /**
   * What a task needs to run one trial: plain strings, so that it serializes the same on any JVM.
   *
   * @param outputsRoot where the trial's run folder goes: the sweep folder's runs/, absolute
   * @param base the base spec's path as planned (it names the source in MLflow; its text travels in baseText)
   * @param overrides the trial's key=value overrides of the base spec
   * @param paramsJson the swept values of the trial's point, as JSON
   * @param workDir the driver's working directory: relative data paths are resolved against it
   * @param trackingUri the tracking server the driver resolved (the spec's, else its $MLFLOW_TRACKING_URI)
   * @param parentRunId the sweep's parent run, for the search of earlier attempts; null without one
   * @param lookUpEarlier whether the first attempt too searches MLflow for earlier runs of the trial
   *     (when the parent already has children: a resumed sweep); later attempts always do
   */
  record Input(String outputsRoot, String base, String baseText, List<String> overrides, int number, int point,
      String paramsJson, long seed, String hash, Map<String, String> sweepTags, String workDir, String trackingUri,
      String parentRunId, boolean lookUpEarlier) implements Serializable {

    static Input of(Trial t, ResolvedSpec base, Path outputsRoot, Map<String, String> sweepTags, String trackingUri,
        boolean lookUpEarlier) {
      try {
        return new Input(outputsRoot.toAbsolutePath().normalize().toString(),
            base.source() == null ? null : base.source().toString(), base.sourceText(),
            new ArrayList<>(t.spec().overrides()), t.number(), t.point(), JSON.writeValueAsString(t.params()),
            t.seed(), t.hash(), new HashMap<>(sweepTags), Path.of("").toAbsolutePath().toString(), trackingUri,
            sweepTags.get("mlflow.parentRunId"), lookUpEarlier);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("cannot write the params of trial " + t.number() + " as JSON", e);
      }
    }
  }

  /** Runs on an executor: the trial's record as a trials.jsonl line. */
  static String run(Input in) throws JsonProcessingException {
    TaskContext task = TaskContext.get();
    int attempt = task == null ? 0 : task.attemptNumber();
    String executor = SparkEnv.get() == null ? "?" : SparkEnv.get().executorId();
    String where = "Spark worker " + hostName() + " (executor " + executor + ", task attempt " + attempt + ")";
    Map<String, Object> params = JSON.readValue(in.paramsJson(), new TypeReference<LinkedHashMap<String, Object>>() {});
    long t0 = System.nanoTime();

    SpecLoader loader = new SpecLoader(ModelRegistry.get());
    ResolvedSpec spec;
    try {
      spec = loader.load(in.base() == null ? null : Path.of(in.base()), in.baseText(), in.overrides());
    } catch (RuntimeException e) {
      return JSON.writeValueAsString(failed(in, params, "on " + where + ": the trial's spec does not load here: "
          + e.getMessage() + " (is the same deepad4j jar on the driver and the workers?)", t0));
    }
    String hash = TrialHash.of(spec);
    if (!hash.equals(in.hash())) {
      return JSON.writeValueAsString(failed(in, params, "on " + where + ": the trial resolves to hash " + hash
          + ", the driver planned " + in.hash() + " (is the same deepad4j jar on the driver and the workers?)", t0));
    }
    spec = onThisWorker(spec, Path.of(in.workDir()), in.trackingUri());

    String attemptText = "task attempt " + attempt + " on " + hostName() + " (executor " + executor + ")";
    Optional<TrialRecord> adopted = attempt > 0 || in.lookUpEarlier()
        ? TrialAttempts.settle(in, params, attemptText) : Optional.empty();
    if (adopted.isPresent()) {
      return JSON.writeValueAsString(adopted.get());
    }

    Map<String, String> tags = new LinkedHashMap<>(in.sweepTags());
    tags.put("deepad4j.spark_host", hostName());
    tags.put("deepad4j.spark_executor", executor);
    tags.put("deepad4j.spark_attempt", Integer.toString(attempt));
    Trial trial = new Trial(in.number(), in.point(), params, in.seed(), spec, in.hash());
    TrialRecord r = new SweepRunner(Path.of(in.outputsRoot()), loader, EpochListener.NONE, 1)
        .runTrial(trial, tags, EpochListener.NONE);
    if (!r.finished()) {
      r = new TrialRecord(r.hash(), r.number(), r.point(), r.params(), r.seed(), r.status(), r.metrics(), r.runDir(),
          r.mlflowRunId(), "on " + where + ": " + r.error(), r.seconds(), r.ended());
    }
    return JSON.writeValueAsString(r);
  }

  /**
   * The spec as this worker runs it: relative data paths resolved against the driver's working
   * directory (a shared folder, or one each worker has), and the driver's tracking server when the
   * spec names none (the workers do not see the driver's $MLFLOW_TRACKING_URI). Neither is in the
   * trial's hash, so its identity does not change.
   */
  static ResolvedSpec onThisWorker(ResolvedSpec spec, Path workDir, String trackingUri) {
    Map<String, Object> changed = new LinkedHashMap<>();
    for (String key : PATH_KEYS) {
      if (spec.get(key) instanceof String p && !p.isBlank() && !Path.of(p).isAbsolute()) {
        changed.put(key, workDir.resolve(p).normalize().toString());
      }
    }
    String own = spec.getString("tracking.uri");
    if ((own == null || own.isBlank()) && trackingUri != null) {
      changed.put("tracking.uri", trackingUri);
    }
    return changed.isEmpty() ? spec : spec.with(changed, List.of());
  }

  static TrialRecord failed(Input in, Map<String, Object> params, String error, long t0) {
    return new TrialRecord(in.hash(), in.number(), in.point(), params, in.seed(), RunStatus.FAILED, null, null, null,
        error, (System.nanoTime() - t0) / 1e9, Instant.now().toString());
  }

  static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "unknown-host";
    }
  }
}
