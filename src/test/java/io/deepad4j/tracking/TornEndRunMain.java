package io.deepad4j.tracking;

import io.deepad4j.run.RunFolder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;

/**
 * A run that finished but whose process died while writing the journal's end line, as a kill or a
 * full disk can leave it: run.json says FINISHED, the journal ends with half an end entry. Run in a
 * child JVM by the tests. Arguments: tracking URI, outputs root.
 */
public final class TornEndRunMain {
  private TornEndRunMain() {}

  public static void main(String[] args) throws Exception {
    RunFolder folder = RunFolder.create(Path.of(args[1]), "torn-end", "finished");
    folder.status(RunStatus.RUNNING, Map.of("started", Instant.now().toString()));
    RunTracker tracker = Tracking.open(args[0], folder.dir());
    tracker.start("torn-end", "finished", Map.of("model.type", "ae"), Map.of());
    tracker.logMetrics(Map.of("roc_auc", 0.9));
    // as ExperimentRunner: run.json says FINISHED before the tracker is ended
    folder.status(RunStatus.FINISHED, Map.of("ended", Instant.now().toString()));
    Files.writeString(folder.dir().resolve("tracking/journal.jsonl"),
        "{\"seq\":4,\"op\":\"end\",\"time\":" + System.currentTimeMillis() + ",\"status\":\"FINI",
        StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    Runtime.getRuntime().halt(137);
  }
}
