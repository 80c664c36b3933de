package io.deepad4j.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deepad4j.tracking.AtomicFile;
import io.deepad4j.tracking.RunOwner;
import io.deepad4j.tracking.RunStatus;
import io.deepad4j.tracking.RunStatusFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * One run's outputs folder, outputs/&lt;experiment&gt;/&lt;run_name&gt;-&lt;yyyyMMdd-HHmmss&gt;/, and its
 * status file run.json (RUNNING, FINISHED, FAILED or KILLED). Files are written atomically
 * (temporary file, then rename) so an interrupted run never leaves a half-written file.
 */
public final class RunFolder {
  public static final String STATUS_FILE = RunStatusFile.FILE;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

  private final Path dir;
  private final ObjectNode status = JSON.createObjectNode();

  private RunFolder(Path dir) {
    this.dir = dir;
  }

  /** Creates a new, unique run folder under {@code outputsRoot/experiment}. */
  public static RunFolder create(Path outputsRoot, String experiment, String runName) {
    return new RunFolder(OutputNames.claimFolder(outputsRoot.resolve(OutputNames.safe(experiment)),
        OutputNames.safe(runName) + "-" + LocalDateTime.now().format(STAMP)));
  }

  public Path dir() {
    return dir;
  }

  public Path resolve(String name) {
    return dir.resolve(name);
  }

  /** Writes a text file atomically. */
  public void write(String name, String content) {
    writeAtomically(dir.resolve(name), content);
  }

  /** Writes a text file atomically; a failed write leaves no temporary file (see {@link AtomicFile}). */
  public static void writeAtomically(Path target, String content) {
    AtomicFile.write(target, content);
  }

  /**
   * Sets status fields and rewrites run.json. The first write records this process as the run's
   * {@link RunOwner}, so that a run whose process dies without ending it is marked FAILED later
   * ({@link RunStatusFile#reconcile}).
   */
  public synchronized void status(RunStatus state, Map<String, Object> fields) {
    if (!status.has("host")) {
      RunOwner.current().writeTo(status);
    }
    status.put("status", state.name());
    status.put("updated", Instant.now().toString());
    fields.forEach((k, v) -> status.set(k, JSON.valueToTree(v)));
    try {
      write(STATUS_FILE, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(status));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public synchronized RunStatus state() {
    return RunStatusFile.parse(status).orElse(RunStatus.RUNNING);
  }

  /**
   * Reads the status of an existing run folder (empty when it has no readable one); a RUNNING run whose
   * process is gone is marked FAILED first ({@link RunStatusFile#reconcile}).
   */
  public static java.util.Optional<RunStatus> readState(Path runDir) {
    return RunStatusFile.reconcile(runDir);
  }

  public static String toJson(Object o) {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(o);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Total size of the files under {@code p}, in bytes. */
  public static long size(Path p) {
    try (var s = Files.walk(p)) {
      return s.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
