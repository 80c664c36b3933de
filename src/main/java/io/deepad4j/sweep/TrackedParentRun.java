package io.deepad4j.sweep;

import io.deepad4j.tracking.RunStatus;
import io.deepad4j.tracking.RunTracker;
import io.deepad4j.tracking.Tracking;
import io.deepad4j.tracking.TrackingException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A new parent run, journaled in the sweep folder's tracking/ like any run (so `runner sync` can finish it). */
final class TrackedParentRun implements ParentRun {
  private static final Logger log = LoggerFactory.getLogger(TrackedParentRun.class);
  private final RunTracker tracker;
  private final List<Path> notUploaded;

  private TrackedParentRun(RunTracker tracker, List<Path> notUploaded) {
    this.tracker = tracker;
    this.notUploaded = List.copyOf(notUploaded);
  }

  static TrackedParentRun start(String uri, Path sweepDir, String experiment, String name, Map<String, String> params,
      Map<String, String> tags) {
    return start(uri, sweepDir, List.of(), experiment, name, params, tags);
  }

  /**
   * @param notUploaded folders under {@code dir} whose files {@link #finish} does not upload (a suite's trial run
   *     folders: each child run uploads its own)
   */
  static TrackedParentRun start(String uri, Path dir, List<Path> notUploaded, String experiment, String name,
      Map<String, String> params, Map<String, String> tags) {
    TrackedParentRun run = new TrackedParentRun(Tracking.open(uri, dir), notUploaded);
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
    call(() -> tracker.logArtifactsAndModel(sweepDir, "model", notUploaded));
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
