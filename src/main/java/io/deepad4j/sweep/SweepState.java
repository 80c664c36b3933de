package io.deepad4j.sweep;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * What {@code --resume} needs besides sweep.yaml: state.json of the sweep folder.
 *
 * @param sweepFile the sweep file the sweep was started from (or the command line, for --sweep)
 * @param base the base spec, as an absolute path (sweep.yaml's relative base no longer resolves from the copy)
 * @param overrides key=value overrides given for every trial
 * @param parentRunId the MLflow parent run, once created; reused when resumed
 * @param trackingUri where the parent run is
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SweepState(String name, String sweepFile, String base, List<String> overrides, String parentRunId,
    String trackingUri, String created) {

  public SweepState withParent(String runId, String uri) {
    return new SweepState(name, sweepFile, base, overrides, runId, uri, created);
  }
}
