package io.deepad4j.tracking;

/**
 * A run's state, locally (run.json, trials.jsonl) and in MLflow: the names are MLflow's run statuses.
 * A run starts {@link #RUNNING} and ends in one of the others.
 */
public enum RunStatus {
  RUNNING,
  FINISHED,
  FAILED,
  KILLED;

  /** Whether the run has ended. */
  public boolean terminal() {
    return this != RUNNING;
  }
}
