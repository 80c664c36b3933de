package io.deepad4j.sweep;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.deepad4j.tracking.RunStatus;
import java.util.Map;

/**
 * How one trial ended: a line of trials.jsonl, appended as the trial ends.
 *
 * @param status {@link RunStatus#FINISHED} or {@link RunStatus#FAILED}
 * @param runDir the trial's run folder; null when the trial failed before the runner made one
 * @param mlflowRunId the child run in MLflow, when tracked
 * @param error the failure, for FAILED
 * @param seconds the trial's wall time
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TrialRecord(String hash, int number, int point, Map<String, Object> params, long seed, RunStatus status,
    Map<String, Double> metrics, String runDir, String mlflowRunId, String error, double seconds, String ended) {

  public boolean finished() {
    return status == RunStatus.FINISHED;
  }
}
