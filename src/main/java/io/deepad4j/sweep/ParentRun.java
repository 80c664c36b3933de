package io.deepad4j.sweep;

import io.deepad4j.tracking.RunStatus;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The sweep's parent run in MLflow, under which every trial is a child run (tag mlflow.parentRunId).
 * Tracking problems are logged as warnings and never stop a sweep: the local folder is the record.
 */
interface ParentRun extends AutoCloseable {

  /** No MLflow: a sweep with local outputs only. */
  ParentRun NONE = new ParentRun() {
    @Override
    public Optional<String> runId() {
      return Optional.empty();
    }

    @Override
    public void finish(Map<String, String> tags, Map<String, Double> metrics, Path sweepDir, RunStatus status,
        String error) {}

    @Override
    public void end(RunStatus status, String error) {}

    @Override
    public void close() {}
  };

  Optional<String> runId();

  /** Logs the sweep's result (tags such as best.*, metrics such as best_roc_auc, the sweep folder's files) and ends the run. */
  void finish(Map<String, String> tags, Map<String, Double> metrics, Path sweepDir, RunStatus status, String error);

  /** Ends the run without a result (Ctrl-C); only the first end counts. */
  void end(RunStatus status, String error);

  @Override
  void close();
}
