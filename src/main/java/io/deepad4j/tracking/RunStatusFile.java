package io.deepad4j.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run folder's status file, run.json: RUNNING while its process lives, then FINISHED, FAILED or
 * KILLED. A process killed hard (kill -9, out of memory) or stopped by a full disk cannot write its
 * end, so {@link #reconcile} ends a RUNNING run whose {@link RunOwner} is dead as FAILED with
 * {@link Sync#DIED_MESSAGE}, as {@link Sync} ends it in MLflow; {@code runner sync} and every reader
 * of a run's state ({@code runner compare}, sweeps) go through it.
 *
 * <p>The other way round, run.json's final status is authoritative for {@link Sync}: a run whose
 * journal lacks its end (the end line torn by the dying process) is ended in MLflow as run.json says.
 */
public final class RunStatusFile {
  public static final String FILE = "run.json";
  private static final Logger LOG = LoggerFactory.getLogger(RunStatusFile.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private RunStatusFile() {}

  /** How a run ended, as run.json says. {@code endTime} is epoch millis, or null when not recorded. */
  record Final(RunStatus status, Long endTime, String error) {}

  /**
   * The run's state after reconciling it: empty without a readable run.json (or one whose status is not
   * a run status); a RUNNING run whose owner is dead is first rewritten as FAILED (ended at its last sign
   * of life).
   */
  public static Optional<RunStatus> reconcile(Path runDir) {
    Optional<ObjectNode> read = read(runDir);
    if (read.isEmpty()) {
      return Optional.empty();
    }
    ObjectNode status = read.get();
    Optional<RunStatus> state = parse(status);
    if (state.isEmpty() || state.get() != RunStatus.RUNNING) {
      return state;
    }
    Optional<RunOwner> owner = RunOwner.from(status);
    if (owner.isEmpty() || owner.get().liveness() != RunOwner.Liveness.DEAD) {
      return state;
    }
    Optional<Journal.JournalEntry> journaledEnd = journaledEnd(runDir);
    if (journaledEnd.isPresent()) {
      // the tracker recorded how the run ended but run.json could not be written (e.g. a full disk)
      ObjectNode end = journaledEnd.get().data();
      status.put("status", end.path("status").asText(RunStatus.FAILED.name()));
      status.put("ended", Instant.ofEpochMilli(end.path("end_time").asLong(journaledEnd.get().time())).toString());
      if (end.hasNonNull("error")) {
        status.put("error", end.get("error").asText());
      }
    } else {
      status.put("status", RunStatus.FAILED.name());
      status.put("ended", Instant.ofEpochMilli(lastSignOfLife(runDir, status)).toString());
      status.put("error", Sync.DIED_MESSAGE + " (" + owner.get() + ")");
    }
    status.put("updated", Instant.now().toString());
    try {
      AtomicFile.write(runDir.resolve(FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(status));
      LOG.info("{}: marked {}, its process ({}) ended without closing the run", runDir, status.path("status").asText(),
          owner.get());
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("{}: its process ({}) is gone but run.json cannot be rewritten: {}", runDir, owner.get(), e.getMessage());
    }
    return parse(status);
  }

  /** run.json's "status", if it is one of the run statuses. */
  public static Optional<RunStatus> parse(JsonNode status) {
    try {
      return Optional.of(RunStatus.valueOf(status.path("status").asText("")));
    } catch (IllegalArgumentException notAStatus) {
      return Optional.empty();
    }
  }

  private static Optional<Journal.JournalEntry> journaledEnd(Path runDir) {
    if (!Files.isRegularFile(Journal.file(runDir))) {
      return Optional.empty();
    }
    try {
      return Journal.read(runDir).first(EntrySender.END);
    } catch (UncheckedIOException e) {
      return Optional.empty();
    }
  }

  /** run.json's final status, if the run ended (or was reconciled as ended). */
  static Optional<Final> finalStatus(Path runDir) {
    Optional<ObjectNode> status = read(runDir);
    if (status.isEmpty()) {
      return Optional.empty();
    }
    return parse(status.get()).filter(RunStatus::terminal).map(ended -> new Final(ended,
        instant(status.get().path("ended").asText(null)), status.get().path("error").asText(null)));
  }

  private static Optional<ObjectNode> read(Path runDir) {
    Path file = runDir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      JsonNode node = JSON.readTree(file.toFile());
      return node instanceof ObjectNode o ? Optional.of(o) : Optional.empty();
    } catch (IOException e) {
      LOG.warn("{}: unreadable ({})", file, e.getMessage());
      return Optional.empty();
    }
  }

  /** The latest of run.json's last update and the journal's last entry. */
  private static long lastSignOfLife(Path runDir, ObjectNode status) {
    long last = Optional.ofNullable(instant(status.path("updated").asText(null)))
        .or(() -> Optional.ofNullable(instant(status.path("started").asText(null)))).orElse(0L);
    if (Files.isRegularFile(Journal.file(runDir))) {
      try {
        last = Math.max(last, Journal.read(runDir).entries().stream().mapToLong(Journal.JournalEntry::time).max().orElse(0));
      } catch (UncheckedIOException e) {
        // the journal is a hint here; run.json's own time stands
      }
    }
    if (last == 0) {
      try {
        last = Files.getLastModifiedTime(runDir.resolve(FILE)).toMillis();
      } catch (IOException e) {
        last = System.currentTimeMillis();
      }
    }
    return last;
  }

  private static Long instant(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(text).toEpochMilli();
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
