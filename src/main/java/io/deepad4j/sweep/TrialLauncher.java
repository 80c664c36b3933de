package io.deepad4j.sweep;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs a sweep's trials somewhere other than this JVM's thread pool (a Spark cluster): the sweep
 * itself (plan, folder, parent run, summary, --resume) stays with {@link SweepRunner}; a launcher only
 * decides where each trial runs. Every trial must still run through {@link SweepRunner#runTrial}.
 */
public interface TrialLauncher {

  /** TensorFlow threads per trial, unless the sweep sets {@code threads} itself. */
  int threadsPerTrial();

  /**
   * Called once the trials are planned and before the sweep folder or its parent run is made:
   * checks that the trials can run there (e.g. that the workers reach the tracking server).
   *
   * @param trackingUri the MLflow server of the base spec; null when the spec tracks nothing
   * @throws io.deepad4j.spec.SpecException when they cannot, saying what to change
   */
  void prepare(SweepPlanner.Plan plan, String trackingUri);

  /**
   * Runs the trials and calls {@code ended} for each as it ends (one call at a time), returning when
   * every trial has ended. A trial that fails, or that the launcher gives up on, ends as a FAILED record.
   *
   * @param trialsRoot where the trials' run folders go (the sweep folder's runs/, as outputs/ for a single run)
   * @param sweepTags tags of every trial's run (mlflow.parentRunId, deepad4j.sweep, ...)
   */
  void launch(List<Trial> todo, SweepPlanner.Plan plan, Path trialsRoot, Map<String, String> sweepTags,
      Consumer<TrialRecord> ended);
}
