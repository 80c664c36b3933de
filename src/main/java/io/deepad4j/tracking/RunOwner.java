package io.deepad4j.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The process that owns a run: pid, the process's start time (so a reused pid is not mistaken for
 * it) and host. Recorded in the journal's start entry and in run.json, it is the one way
 * {@link Sync} and {@link RunStatusFile#reconcile} tell a run still going from one whose process died
 * without ending it (kill -9, out of memory, a full disk).
 *
 * @param processStart epoch millis, or null when the OS does not say
 * @param host null in records older than this field (taken as this host)
 */
public record RunOwner(long pid, Long processStart, String host) {
  static final String PID = "pid";
  static final String PROCESS_START = "process_start";
  static final String HOST = "host";

  /** Whether the owner still runs, as far as this host can tell. */
  public enum Liveness {
    ALIVE,
    DEAD,
    /** Started on another host: this one cannot tell. */
    UNKNOWN
  }

  private static volatile String localHost;

  /** This process. */
  public static RunOwner current() {
    ProcessHandle self = ProcessHandle.current();
    return new RunOwner(self.pid(), self.info().startInstant().map(t -> t.toEpochMilli()).orElse(null), localHost());
  }

  /** The owner recorded in a journal start entry or run.json, if it has one. */
  public static Optional<RunOwner> from(JsonNode node) {
    if (node == null || !node.path(PID).canConvertToLong()) {
      return Optional.empty();
    }
    return Optional.of(new RunOwner(node.get(PID).asLong(),
        node.path(PROCESS_START).canConvertToLong() ? node.get(PROCESS_START).asLong() : null,
        node.hasNonNull(HOST) ? node.get(HOST).asText() : null));
  }

  /** Records this owner in {@code node} (pid, process_start, host). */
  public void writeTo(ObjectNode node) {
    node.put(PID, pid);
    if (processStart != null) {
      node.put(PROCESS_START, processStart);
    }
    if (host != null) {
      node.put(HOST, host);
    }
  }

  public Liveness liveness() {
    if (host != null && !host.equals(localHost())) {
      return Liveness.UNKNOWN;
    }
    Optional<ProcessHandle> process = ProcessHandle.of(pid);
    if (process.isEmpty() || !process.get().isAlive()) {
      return Liveness.DEAD;
    }
    if (processStart == null) {
      return Liveness.ALIVE;
    }
    return process.get().info().startInstant()
        .map(t -> t.toEpochMilli() == processStart ? Liveness.ALIVE : Liveness.DEAD)
        .orElse(Liveness.ALIVE);
  }

  @Override
  public String toString() {
    return "pid " + pid + (host == null ? "" : " on " + host);
  }

  /** The host name, from the kernel on Linux (no DNS lookup), else from Java. */
  static String localHost() {
    String h = localHost;
    if (h == null) {
      try {
        Path kernel = Path.of("/proc/sys/kernel/hostname");
        h = Files.isReadable(kernel) ? Files.readString(kernel).trim() : InetAddress.getLocalHost().getHostName();
      } catch (IOException | RuntimeException e) {
        h = "unknown";
      }
      localHost = h.isEmpty() ? "unknown" : h;
    }
    return localHost;
  }
}
