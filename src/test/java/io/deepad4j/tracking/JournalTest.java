package io.deepad4j.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {
  @TempDir
  Path runDir;

  @Test
  void entriesWithoutAcksArePendingAndFailedOnesAreNot() {
    try (Journal journal = Journal.open(runDir)) {
      Journal.JournalEntry a = journal.append("metrics", metric(1.0));
      Journal.JournalEntry b = journal.append("metrics", metric(Double.NaN));
      journal.append("metrics", metric(3.0));
      journal.ack(a.seq(), Journal.JSON.createObjectNode().put("x", 1));
      journal.fail(b.seq(), "HTTP 400: no");
    }
    Journal.Contents contents = Journal.read(runDir);
    assertEquals(List.of(1L, 2L, 3L), contents.entries().stream().map(Journal.JournalEntry::seq).toList());
    assertEquals(List.of(3L), contents.pending().stream().map(Journal.JournalEntry::seq).toList());
    assertEquals("HTTP 400: no", contents.acks().get(2L).error());
    assertEquals(1, contents.acks().get(1L).result().path("x").asInt());
    // NaN survives the round trip (MLflow accepts NaN metrics)
    assertTrue(Double.isNaN(EntrySender.doubles(contents.entries().get(1).data().path("metrics")).get("loss")));
  }

  @Test
  void aTornLastLineIsSkippedAndTheJournalContinuesAfterIt() throws Exception {
    try (Journal journal = Journal.open(runDir)) {
      journal.append("tag", Journal.JSON.createObjectNode().put("key", "k").put("value", "v"));
    }
    // the process died in the middle of writing the next line
    Files.writeString(Journal.file(runDir), "{\"seq\":2,\"op\":\"metr", StandardCharsets.UTF_8,
        StandardOpenOption.APPEND);
    try (Journal journal = Journal.open(runDir)) {
      Journal.JournalEntry next = journal.append("end", Journal.JSON.createObjectNode().put("status", "FAILED"));
      assertEquals(2, next.seq());
    }
    Journal.Contents contents = Journal.read(runDir);
    assertEquals(List.of("tag", "end"), contents.entries().stream().map(Journal.JournalEntry::op).toList());
    assertEquals(Map.of("key", "k", "value", "v"), EntrySender.strings(contents.entries().get(0).data()));
  }

  private static ObjectNode metric(double value) {
    ObjectNode data = Journal.JSON.createObjectNode();
    data.put("step", 1);
    data.putObject("metrics").put("loss", value);
    return data;
  }
}
