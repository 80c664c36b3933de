package io.deepad4j.tracking;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a text file atomically: a temporary file next to it ({@code .<name>.tmp}), then a rename,
 * so a reader never sees half a file. When the write or the rename fails (a full disk, a folder in
 * the way) the temporary file is removed and the old file, if any, is left as it was.
 */
public final class AtomicFile {
  private AtomicFile() {}

  /** What writes the file's content. */
  @FunctionalInterface
  public interface Content {
    void writeTo(Writer out) throws IOException;
  }

  /** @throws UncheckedIOException naming the file, after removing the temporary file */
  public static void write(Path target, String content) {
    write(target, out -> out.write(content));
  }

  /** As {@link #write(Path, String)}, for content streamed by {@code content} (a large table of scores). */
  public static void write(Path target, Content content) {
    writeVia(target, tmp -> {
      try (Writer out = Files.newBufferedWriter(tmp)) {
        content.writeTo(out);
      }
    });
  }

  /** As {@link #write(Path, String)}, for a binary file (a PNG). */
  public static void write(Path target, byte[] bytes) {
    writeVia(target, tmp -> Files.write(tmp, bytes));
  }

  private interface TempWriter {
    void writeTo(Path tmp) throws IOException;
  }

  private static void writeVia(Path target, TempWriter writer) {
    Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
    try {
      Files.createDirectories(target.toAbsolutePath().getParent());
      writer.writeTo(tmp);
      try {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
    }
  }
}
