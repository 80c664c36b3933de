package io.deepad4j.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The append-only record of a run's tracking calls: {@code <runDir>/tracking/journal.jsonl}.
 *
 * <p>Two kinds of lines. An entry, written before the call is sent:
 * {@code {"seq":3,"op":"metrics","time":1700000000000,...payload}}. An acknowledgement, written
 * once the server accepted it ({@code {"ack":3,"ok":true,"time":...,"result":{...}}}) or rejected it
 * for good ({@code {"ack":3,"ok":false,"error":"HTTP 400 ..."}}). An entry without an ack has not
 * reached the server yet; {@link Sync} sends exactly those. Appending (never rewriting) keeps the file
 * valid when the process dies at any point; a torn last line is skipped on reading.
 */
final class Journal implements Closeable {
  static final String DIR = "tracking";
  static final String FILE = "journal.jsonl";
  static final ObjectMapper JSON = new ObjectMapper();

  private static final Logger LOG = LoggerFactory.getLogger(Journal.class);

  private final Path file;
  private final BufferedWriter writer;
  private long lastSeq;

  private Journal(Path file, BufferedWriter writer, long lastSeq) {
    this.file = file;
    this.writer = writer;
    this.lastSeq = lastSeq;
  }

  static Path file(Path runDir) {
    return runDir.resolve(DIR).resolve(FILE);
  }

  /** Opens the run's journal for appending, creating it when missing. */
  static Journal open(Path runDir) {
    Path file = file(runDir);
    try {
      Files.createDirectories(file.getParent());
      long lastSeq = Files.exists(file) ? read(runDir).lastSeq() : 0;
      boolean needsNewline = Files.exists(file) && Files.size(file) > 0 && !endsWithNewline(file);
      BufferedWriter writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      if (needsNewline) {
        // a torn line from a killed process: end it so the next line stays parseable
        writer.write('\n');
      }
      return new Journal(file, writer, lastSeq);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot open the tracking journal " + file + ": " + e.getMessage(), e);
    }
  }

  /** Appends an entry and returns its sequence number. */
  synchronized JournalEntry append(String op, ObjectNode payload) {
    long seq = ++lastSeq;
    long time = System.currentTimeMillis();
    ObjectNode line = JSON.createObjectNode();
    line.put("seq", seq);
    line.put("op", op);
    line.put("time", time);
    line.setAll(payload);
    write(line);
    return new JournalEntry(seq, op, time, payload);
  }

  /** Records that the server accepted entry {@code seq}. */
  synchronized void ack(long seq, ObjectNode result) {
    ObjectNode line = JSON.createObjectNode();
    line.put("ack", seq);
    line.put("ok", true);
    line.put("time", System.currentTimeMillis());
    line.set("result", result == null ? JSON.createObjectNode() : result);
    write(line);
  }

  /** Records that the server rejected entry {@code seq} for good: it is never replayed. */
  synchronized void fail(long seq, String error) {
    ObjectNode line = JSON.createObjectNode();
    line.put("ack", seq);
    line.put("ok", false);
    line.put("time", System.currentTimeMillis());
    line.put("error", error);
    write(line);
  }

  private void write(ObjectNode line) {
    try {
      writer.write(JSON.writeValueAsString(line));
      writer.write('\n');
      writer.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the tracking journal " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void close() {
    try {
      writer.close();
    } catch (IOException e) {
      LOG.warn("Cannot close the tracking journal {}: {}", file, e.getMessage());
    }
  }

  /** Reads a run's journal: entries in sequence order and the acks by sequence number. */
  static Contents read(Path runDir) {
    Path file = file(runDir);
    List<JournalEntry> entries = new ArrayList<>();
    Map<Long, Ack> acks = new HashMap<>();
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the tracking journal " + file + ": " + e.getMessage(), e);
    }
    for (int i = 0; i < lines.size(); i++) {
      String text = lines.get(i);
      if (text.isBlank()) {
        continue;
      }
      JsonNode node;
      try {
        node = JSON.readTree(text);
      } catch (IOException e) {
        LOG.warn("{} line {}: skipping an unreadable line (a process killed while writing?)", file, i + 1);
        continue;
      }
      if (node.has("seq")) {
        ObjectNode payload = ((ObjectNode) node).deepCopy();
        payload.remove(List.of("seq", "op", "time"));
        entries.add(new JournalEntry(node.get("seq").asLong(), node.path("op").asText(),
            node.path("time").asLong(), payload));
      } else if (node.has("ack")) {
        long seq = node.get("ack").asLong();
        acks.put(seq, new Ack(seq, node.path("ok").asBoolean(),
            node.has("result") ? (ObjectNode) node.get("result") : JSON.createObjectNode(),
            node.path("error").asText(null)));
      }
    }
    entries.sort((a, b) -> Long.compare(a.seq(), b.seq()));
    return new Contents(file, entries, acks);
  }

  private static boolean endsWithNewline(Path file) throws IOException {
    try (var channel = Files.newByteChannel(file)) {
      channel.position(channel.size() - 1);
      var buffer = java.nio.ByteBuffer.allocate(1);
      channel.read(buffer);
      return buffer.get(0) == '\n';
    }
  }

  /** One journaled call. {@code data} holds the op's own fields. */
  record JournalEntry(long seq, String op, long time, ObjectNode data) {}

  /** The server's answer to an entry. */
  record Ack(long seq, boolean ok, ObjectNode result, String error) {}

  /** A journal as read from disk. */
  record Contents(Path file, List<JournalEntry> entries, Map<Long, Ack> acks) {
    long lastSeq() {
      return entries.isEmpty() ? 0 : entries.get(entries.size() - 1).seq();
    }

    List<JournalEntry> pending() {
      return entries.stream().filter(e -> !acks.containsKey(e.seq())).toList();
    }

    Optional<JournalEntry> first(String op) {
      return entries.stream().filter(e -> e.op().equals(op)).findFirst();
    }
  }
}
