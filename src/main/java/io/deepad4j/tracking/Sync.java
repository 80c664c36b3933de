package io.deepad4j.tracking;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deepad4j.tracking.SyncReport.Outcome;
import io.deepad4j.tracking.SyncReport.RunResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads what runs could not send: finds every run folder under a root (a folder holding
 * {@code tracking/journal.jsonl}) and replays the journal entries the server has not acknowledged,
 * with the journaled timestamps. A second sync sends nothing.
 *
 * <p>A journal without an {@code end} entry belongs to a run still going (its process is alive:
 * left alone) or to a process that died without closing the run (killed hard, out of memory): that
 * run is ended as {@link RunStatus#FAILED} with the error "process ended without closing the run" at
 * the time of its last journal entry; the ending is journaled first, like any other call.
 */
public final class Sync {
  private static final Logger LOG = LoggerFactory.getLogger(Sync.class);
  static final String DIED_MESSAGE = "process ended without closing the run";

  private Sync() {}

  /**
   * @param outputsRoot a run folder or any folder above run folders (e.g. {@code outputs/})
   * @param uriOverride the server to send to; null: the URI each run was started with, else
   *     {@code $MLFLOW_TRACKING_URI} (runs started without a server are uploaded there too)
   */
  public static SyncReport sync(Path outputsRoot, String uriOverride) {
    if (!Files.isDirectory(outputsRoot)) {
      throw new IllegalArgumentException(outputsRoot + " is not a folder; give the outputs folder (e.g. outputs/)");
    }
    Map<String, MlflowServer> servers = new HashMap<>();
    Set<String> unreachable = new HashSet<>();
    List<RunResult> results = new ArrayList<>();
    try {
      for (Path runDir : runFolders(outputsRoot)) {
        RunResult result = syncRun(runDir, uriOverride, servers, unreachable);
        LOG.info("{} {}: {} sent{}", result.outcome(), runDir, result.sent(),
            result.message() == null ? "" : " (" + result.message() + ")");
        results.add(result);
      }
    } finally {
      servers.values().forEach(MlflowServer::close);
    }
    return new SyncReport(List.copyOf(results));
  }

  private static RunResult syncRun(Path runDir, String uriOverride, Map<String, MlflowServer> servers,
      Set<String> unreachable) {
    Journal.Contents contents = Journal.read(runDir);
    Optional<Journal.JournalEntry> start = contents.first(EntrySender.START);
    if (start.isEmpty()) {
      return new RunResult(runDir, Outcome.UP_TO_DATE, 0, 0, null, "empty journal");
    }
    RemoteRun remote = RemoteRun.fromJournal(contents);
    boolean hasEnd = contents.first(EntrySender.END).isPresent();
    if (!hasEnd && processAlive(start.get().data())) {
      return new RunResult(runDir, Outcome.IN_PROGRESS, 0, 0, remote.runId, "its process is still running");
    }
    if (hasEnd && contents.pending().isEmpty()) {
      return new RunResult(runDir, Outcome.UP_TO_DATE, 0, 0, remote.runId, null);
    }
    String uri = uriOverride != null && !uriOverride.isBlank() ? uriOverride
        : start.get().data().hasNonNull("uri") ? start.get().data().get("uri").asText()
        : Tracking.resolveUri(null);
    if (uri == null) {
      return new RunResult(runDir, Outcome.NO_TRACKING_URI, 0, 0, null,
          "started without a tracking URI; give one to sync (or set MLFLOW_TRACKING_URI)");
    }
    ServerConfig config = ServerConfig.fromEnvironment(uri);
    Journal.Ack startAck = contents.acks().get(start.get().seq());
    if (startAck != null && !startAck.ok()) {
      return new RunResult(runDir, Outcome.RUN_REJECTED, 0, 0, null, startAck.error());
    }
    if (startAck != null && !config.uri().equals(startAck.result().path("uri").asText(config.uri()))) {
      return new RunResult(runDir, Outcome.OTHER_SERVER, 0, 0, remote.runId,
          "run exists on " + startAck.result().path("uri").asText() + ", not on " + config.uri());
    }
    if (unreachable.contains(config.uri())) {
      return new RunResult(runDir, Outcome.SERVER_UNREACHABLE, 0, 0, remote.runId, config.uri());
    }
    MlflowServer server = servers.computeIfAbsent(config.uri(), u -> new MlflowServer(config));
    EntrySender sender = new EntrySender(server, runDir);

    int sent = 0;
    int rejected = 0;
    List<String> rejections = new ArrayList<>();
    try (Journal journal = Journal.open(runDir)) {
      List<Journal.JournalEntry> pending = new ArrayList<>(contents.pending());
      if (!hasEnd) {
        pending.add(journal.append(EntrySender.END, diedEnd(contents)));
      }
      for (Journal.JournalEntry entry : pending) {
        try {
          journal.ack(entry.seq(), sender.send(entry, remote));
          sent++;
        } catch (TrackingException e) {
          journal.fail(entry.seq(), e.getMessage());
          rejected++;
          rejections.add(e.getMessage());
          if (entry.op().equals(EntrySender.START)) {
            return new RunResult(runDir, Outcome.RUN_REJECTED, sent, rejected, null, e.getMessage());
          }
        } catch (Retry.ServerUnavailableException e) {
          unreachable.add(config.uri());
          return new RunResult(runDir, Outcome.SERVER_UNREACHABLE, sent, rejected, remote.runId, e.getMessage());
        }
      }
    }
    return new RunResult(runDir, rejected == 0 ? Outcome.SYNCED : Outcome.SYNCED_WITH_REJECTIONS, sent, rejected,
        remote.runId, rejections.isEmpty() ? null : String.join("; ", rejections));
  }

  /** The end a dead process never wrote: FAILED, at the time of its last journal entry. */
  private static ObjectNode diedEnd(Journal.Contents contents) {
    long last = contents.entries().stream().mapToLong(Journal.JournalEntry::time).max().orElse(0);
    ObjectNode data = Journal.JSON.createObjectNode();
    data.put("status", RunStatus.FAILED.name());
    data.put("end_time", last);
    data.put("error", DIED_MESSAGE);
    return data;
  }

  /** Whether the process that started the run (same pid and start time) is still running here. */
  static boolean processAlive(ObjectNode startData) {
    if (!startData.has("pid")) {
      return false;
    }
    Optional<ProcessHandle> process = ProcessHandle.of(startData.get("pid").asLong());
    if (process.isEmpty() || !process.get().isAlive()) {
      return false;
    }
    if (!startData.has("process_start")) {
      return true;
    }
    return process.get().info().startInstant()
        .map(t -> t.toEpochMilli() == startData.get("process_start").asLong())
        .orElse(true);
  }

  private static List<Path> runFolders(Path root) {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(p -> p.getFileName().toString().equals(Journal.FILE)
              && p.getParent() != null && p.getParent().getFileName().toString().equals(Journal.DIR)
              && Files.isRegularFile(p))
          .map(p -> p.getParent().getParent())
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot search " + root + " for run folders: " + e.getMessage(), e);
    }
  }
}
