package io.deepad4j.tracking;

import java.nio.file.Path;
import java.util.List;

/** What {@link Sync#sync} did, run folder by run folder. */
public record SyncReport(List<RunResult> runs) {

  /** The state a run folder was found in or left in. */
  public enum Outcome {
    /** Every journaled call had already reached the server: nothing sent. */
    UP_TO_DATE,
    /** The pending calls were sent. */
    SYNCED,
    /** Sent, but the server rejected some calls for good (see the message). */
    SYNCED_WITH_REJECTIONS,
    /** The process that runs it is still alive: left alone. */
    IN_PROGRESS,
    /** Started with tracking.uri: none: deliberately local, never uploaded. */
    LOCAL_ONLY,
    /** No URI given, none journaled and no MLFLOW_TRACKING_URI. */
    NO_TRACKING_URI,
    /** The run already lives on another server than the one asked for. */
    OTHER_SERVER,
    /** The server refused to create the run (e.g. its experiment was deleted). */
    RUN_REJECTED,
    /** The server could not be reached; try again later. */
    SERVER_UNREACHABLE
  }

  /**
   * @param sent calls the server accepted during this sync
   * @param rejected calls the server rejected during this sync
   * @param runId the MLflow run id, when the run exists on the server
   */
  public record RunResult(Path runDir, Outcome outcome, int sent, int rejected, String runId, String message) {}

  /** Calls sent over all runs. */
  public int sent() {
    return runs.stream().mapToInt(RunResult::sent).sum();
  }

  /** True when no run is left with calls still to send (in-progress runs aside). */
  public boolean complete() {
    return runs.stream().allMatch(r -> switch (r.outcome()) {
      case UP_TO_DATE, SYNCED, SYNCED_WITH_REJECTIONS, IN_PROGRESS, LOCAL_ONLY -> true;
      default -> false;
    });
  }

  /** One line per run, for the command line. */
  public String summary() {
    StringBuilder out = new StringBuilder();
    for (RunResult r : runs) {
      out.append(String.format("%-22s %s: %d sent, %d rejected%s%s%n", r.outcome(), r.runDir(), r.sent(),
          r.rejected(), r.runId() == null ? "" : ", run " + r.runId(),
          r.message() == null ? "" : " - " + r.message()));
    }
    out.append(String.format("%d run folder(s), %d call(s) sent%n", runs.size(), sent()));
    return out.toString();
  }
}
