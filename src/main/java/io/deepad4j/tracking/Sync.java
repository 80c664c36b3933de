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
 * the time of its last journal entry, unless its run.json holds a final status (written before the
 * tracker's end, so the process died after it, e.g. while writing the end line): that status is used.
 * The ending is journaled first, like any other call. Run folders with {@code tracking.uri: none} are
 * never uploaded ({@link SyncReport.Outcome#LOCAL_ONLY}). Every run folder's run.json is reconciled
 * first ({@link RunStatusFile#reconcile}).
 */
public final class Sync {
  private static final Logger LOG = LoggerFactory.getLogger(Sync.class);
  static final String DIED_MESSAGE = "process ended without closing the run";
  static final String LOCAL_ONLY_MESSAGE = "tracking.uri was none (a deliberately local run): not uploaded";

  private Sync() {}

  /**
   * @param outputsRoot a run folder or any folder above run folders (e.g. {@code outputs/})
   * @param uriOverride the server to send to; null: the URI each run was started with, else
   *     {@code $MLFLOW_TRACKING_URI} (runs started without a server are uploaded there too; runs with
   *     {@code tracking.uri: none} never are)
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
    // the local state first: a RUNNING run.json whose process is gone is ended as the journal is below
    RunStatusFile.reconcile(runDir);
    Journal.Contents contents = Journal.read(runDir);
    Optional<Journal.JournalEntry> start = contents.first(EntrySender.START);
    if (start.isEmpty()) {
      return new RunResult(runDir, Outcome.UP_TO_DATE, 0, 0, null, "empty journal");
    }
    RemoteRun remote = RemoteRun.fromJournal(contents);
    if (deliberatelyLocal(runDir, start.get().data())) {
      return new RunResult(runDir, Outcome.LOCAL_ONLY, 0, 0, null, LOCAL_ONLY_MESSAGE);
    }
    boolean hasEnd = contents.first(EntrySender.END).isPresent();
    if (!hasEnd) {
      Optional<RunOwner> owner = RunOwner.from(start.get().data());
      RunOwner.Liveness liveness = owner.map(RunOwner::liveness).orElse(RunOwner.Liveness.DEAD);
      if (liveness == RunOwner.Liveness.ALIVE) {
        return new RunResult(runDir, Outcome.IN_PROGRESS, 0, 0, remote.runId, "its process is still running");
      }
      if (liveness == RunOwner.Liveness.UNKNOWN) {
        return new RunResult(runDir, Outcome.IN_PROGRESS, 0, 0, remote.runId, "started by " + owner.get()
            + ", which this host cannot check; sync it on that host");
      }
    }
    if (hasEnd && contents.pending().isEmpty()) {
      return new RunResult(runDir, Outcome.UP_TO_DATE, 0, 0, remote.runId, null);
    }
    String uri = uriOverride != null && !uriOverride.isBlank() ? uriOverride
        : start.get().data().hasNonNull("uri") ? start.get().data().get("uri").asText()
        : Tracking.resolveUri(null);
    if (uri == null) {
      return new RunResult(runDir, Outcome.NO_TRACKING_URI, 0, 0, null,
          "started without a tracking URI; pass --uri URL (or set MLFLOW_TRACKING_URI) to upload it");
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
      return new RunResult(runDir, Outcome.SERVER_UNREACHABLE, 0, 0, remote.runId, unreachableMessage(config.uri(), null));
    }
    MlflowServer server = servers.computeIfAbsent(config.uri(), u -> new MlflowServer(config));
    EntrySender sender = new EntrySender(server, runDir);

    int sent = 0;
    int rejected = 0;
    List<String> rejections = new ArrayList<>();
    try (Journal journal = Journal.open(runDir)) {
      List<Journal.JournalEntry> pending = new ArrayList<>(contents.pending());
      if (!hasEnd) {
        pending.add(journal.append(EntrySender.END, diedEnd(contents, runDir)));
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
          return new RunResult(runDir, Outcome.SERVER_UNREACHABLE, sent, rejected, remote.runId,
              unreachableMessage(config.uri(), e.getMessage()));
        }
      }
    }
    return new RunResult(runDir, rejected == 0 ? Outcome.SYNCED : Outcome.SYNCED_WITH_REJECTIONS, sent, rejected,
        remote.runId, rejections.isEmpty() ? null : String.join("; ", rejections));
  }

  /**
   * The end a dead process never wrote (or whose line it tore): as run.json says when it holds a
   * final status (it is written before the tracker's end), else FAILED at the time of the last
   * journal entry.
   */
  private static ObjectNode diedEnd(Journal.Contents contents, Path runDir) {
    long last = contents.entries().stream().mapToLong(Journal.JournalEntry::time).max().orElse(0);
    Optional<RunStatusFile.Final> local = RunStatusFile.finalStatus(runDir);
    ObjectNode data = Journal.JSON.createObjectNode();
    if (local.isPresent()) {
      data.put("status", local.get().status().name());
      data.put("end_time", local.get().endTime() != null ? local.get().endTime() : last);
      if (local.get().error() != null) {
        data.put("error", MlflowLimits.tagValue(local.get().error()));
      }
      return data;
    }
    data.put("status", RunStatus.FAILED.name());
    data.put("end_time", last);
    data.put("error", DIED_MESSAGE);
    return data;
  }

  /** A run with tracking.uri: none (journaled as such, or in its config.yaml for runs made before the flag). */
  private static boolean deliberatelyLocal(Path runDir, ObjectNode startData) {
    if (startData.path(JournalingRunTracker.LOCAL_ONLY).asBoolean(false)) {
      return true;
    }
    if (startData.hasNonNull("uri") || !Files.isRegularFile(runDir.resolve("config.yaml"))) {
      return false;
    }
    try {
      Object root = new org.yaml.snakeyaml.Yaml(new org.yaml.snakeyaml.LoaderOptions())
          .load(Files.readString(runDir.resolve("config.yaml")));
      return root instanceof Map<?, ?> m && m.get("tracking") instanceof Map<?, ?> t
          && Tracking.NONE.equalsIgnoreCase(String.valueOf(t.get("uri")));
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static String unreachableMessage(String uri, String why) {
    return "MLflow server at " + uri + " is not reachable" + (why == null ? "" : " (" + UriCredentials.redact(why) + ")")
        + "; run sync again once it is up, or pass --uri URL to send the run to another server";
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
