package io.deepad4j.tracking;

import java.nio.file.Path;
import java.util.Map;

/**
 * A training process killed hard: starts a tracked run, logs two epochs and halts without end() or
 * shutdown hooks, as {@code kill -9} or the OOM killer would leave it. Run in a child JVM by the
 * tests. Arguments: tracking URI, run folder.
 */
public final class KilledRunMain {
  private KilledRunMain() {}

  public static void main(String[] args) {
    RunTracker tracker = Tracking.open(args[0], Path.of(args[1]));
    tracker.start("killed-hard", "oom", Map.of("model.type", "ae"), Map.of());
    tracker.logEpoch(1, Map.of("loss", 1.0));
    tracker.logEpoch(2, Map.of("loss", 0.5));
    Runtime.getRuntime().halt(137);
  }
}
