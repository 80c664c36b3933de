package io.deepad4j.tracking;

/** How a run ended; the names are MLflow's terminal run statuses. */
public enum RunStatus {
  FINISHED,
  FAILED,
  KILLED
}
