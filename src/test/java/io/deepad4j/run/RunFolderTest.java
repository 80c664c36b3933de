package io.deepad4j.run;

import io.deepad4j.tracking.RunStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunFolderTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Issue 18.8: a write that fails (a full disk, a folder in the way) left .run.json.tmp behind. */
  @Test
  void aFailedAtomicWriteLeavesNoTemporaryFile(@TempDir Path dir) throws Exception {
    Path target = dir.resolve(RunFolder.STATUS_FILE);
    Files.createDirectories(target.resolve("in-the-way")); // a non-empty folder where the file goes: the rename fails
    UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> RunFolder.writeAtomically(target, "{}"));
    assertEquals(true, e.getMessage().contains(target.toString()), e.getMessage());
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(RunFolder.STATUS_FILE), files.map(p -> p.getFileName().toString()).toList());
    }
  }

  /** Issue 18.8: run.json of a process that died (kill -9) said RUNNING for ever; every reader now fixes it. */
  @Test
  void aRunningRunWhoseProcessIsGoneReadsAsFailedAndIsRewritten(@TempDir Path outputs) throws Exception {
    Process gone = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-version")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    gone.waitFor();
    RunFolder live = RunFolder.create(outputs, "exp", "live");
    live.status(RunStatus.RUNNING, Map.of("started", "2026-01-01T12:00:00Z"));
    RunFolder dead = RunFolder.create(outputs, "exp", "dead");
    dead.status(RunStatus.RUNNING, Map.of("started", "2026-01-01T12:00:00Z"));
    ObjectNode status = (ObjectNode) JSON.readTree(dead.resolve(RunFolder.STATUS_FILE).toFile());
    assertEquals(ProcessHandle.current().pid(), status.path("pid").asLong(), "the owner is recorded: " + status);
    assertTrue(status.hasNonNull("host") && status.has("process_start"), status.toString());
    status.put("pid", gone.pid());
    Files.writeString(dead.resolve(RunFolder.STATUS_FILE), status.toString());

    assertEquals(Optional.of(RunStatus.RUNNING), RunFolder.readState(live.dir()), "this process is alive");
    assertEquals(Optional.of(RunStatus.FAILED), RunFolder.readState(dead.dir()));
    JsonNode after = JSON.readTree(dead.resolve(RunFolder.STATUS_FILE).toFile());
    assertEquals("FAILED", after.path("status").asText());
    assertTrue(after.path("error").asText().startsWith("process ended without closing the run (pid " + gone.pid()), after.toString());
    assertEquals(java.time.Instant.parse(status.path("updated").asText()).toEpochMilli(),
        java.time.Instant.parse(after.path("ended").asText()).toEpochMilli(), "ended at its last sign of life");
    assertEquals(Optional.of(RunStatus.FAILED), RunFolder.readState(dead.dir()), "and stays so");

    // a pid now used by another process (not the one that started the run) does not keep it RUNNING
    status.put("pid", ProcessHandle.current().pid());
    status.put("process_start", 12345L);
    Files.writeString(dead.resolve(RunFolder.STATUS_FILE), status.toString());
    assertEquals(Optional.of(RunStatus.FAILED), RunFolder.readState(dead.dir()));
    // a run started on another host cannot be checked from here: left as it is
    status.put("host", "some-other-host");
    Files.writeString(dead.resolve(RunFolder.STATUS_FILE), status.toString());
    assertEquals(Optional.of(RunStatus.RUNNING), RunFolder.readState(dead.dir()));
  }

  /** Two runs of one name started in the same second get two folders, the second with a -2 suffix. */
  @Test
  void twoRunsInTheSameSecondGetTwoFolders(@TempDir Path outputs) throws Exception {
    RunFolder a = RunFolder.create(outputs, "e", "r");
    RunFolder b = RunFolder.create(outputs, "e", "r");
    org.junit.jupiter.api.Assertions.assertNotEquals(a.dir(), b.dir());
    if (a.dir().getFileName().toString().substring(0, 17).equals(b.dir().getFileName().toString().substring(0, 17))) {
      org.junit.jupiter.api.Assertions.assertEquals(a.dir().getFileName() + "-2", b.dir().getFileName().toString());
    }
  }
}
