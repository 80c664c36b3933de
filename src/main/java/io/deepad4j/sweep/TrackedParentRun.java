package io.deepad4j.sweep;

import io.deepad4j.tracking.RunStatus;
import io.deepad4j.tracking.RunTracker;
import io.deepad4j.tracking.Tracking;
import io.deepad4j.tracking.TrackingException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A new parent run, journaled in the sweep folder's tracking/ like any run (so `runner sync` can finish it). */
final class TrackedParentRun implements ParentRun {
  private static final Logger log = LoggerFactory.getLogger(TrackedParentRun.class);
  private final RunTracker tracker;

  private TrackedParentRun(RunTracker tracker) {
    this.tracker = tracker;
  }

  static TrackedParentRun start(String uri, Path sweepDir, String experiment, String name, Map<String, String> params,
      Map<String, String> tags) {
    TrackedParentRun run = new TrackedParentRun(Tracking.open(uri, sweepDir));
    run.call(() -> run.tracker.start(experiment, name, params, tags));
    run.tracker.runUrl().ifPresent(u -> log.info("MLflow parent run {}", u));
    return run;
  }

  @Override
  public Optional<String> runId() {
    return tracker.runId();
  }

  @Override
  public void finish(Map<String, String> tags, Map<String, Double> metrics, Path sweepDir, RunStatus status,
      String error) {
    tags.forEach((k, v) -> call(() -> tracker.setTag(k, v)));
    call(() -> tracker.logMetrics(metrics));
    call(() -> tracker.logArtifactsAndModel(sweepDir));
    tracker.end(status, error);
  }

  @Override
  public void end(RunStatus status, String error) {
    tracker.end(status, error);
  }

  @Override
  public void close() {
    tracker.close();
  }

  private void call(Runnable r) {
    try {
      r.run();
    } catch (TrackingException e) {
      log.warn("MLflow rejected a call for the sweep's parent run: {} (the sweep goes on)", e.getMessage());
    }
  }
}
