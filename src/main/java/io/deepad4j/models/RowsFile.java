package io.deepad4j.models;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;

/**
 * A float matrix saved in a model folder (the kNN and LOF detectors' training rows, ECOD's sorted
 * columns): compact, exact, and checked when read. Layout, big-endian:
 * <pre>
 *   8 bytes   magic "DA4JROWS"
 *   4 bytes   format version (1)
 *   4 bytes   rows
 *   4 bytes   columns
 *   rows x columns x 4 bytes   IEEE-754 floats, row by row
 *   8 bytes   CRC-32 of the floats' bytes
 * </pre>
 * numpy reads it as {@code np.frombuffer(b[20:-8], '>f4').reshape(rows, columns)}.
 */
public final class RowsFile {
  private static final byte[] MAGIC = "DA4JROWS".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final int VERSION = 1;
  private static final int HEADER = MAGIC.length + 12;

  private RowsFile() {}

  /** Writes {@code rows} (all of one length, at least one row) to {@code file}. */
  public static void write(Path file, float[][] rows) throws IOException {
    int columns = rows.length == 0 ? 0 : rows[0].length;
    CRC32 crc = new CRC32();
    ByteBuffer row = ByteBuffer.allocate(4 * columns).order(ByteOrder.BIG_ENDIAN);
    try (OutputStream raw = Files.newOutputStream(file);
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw, 1 << 16))) {
      out.write(MAGIC);
      out.writeInt(VERSION);
      out.writeInt(rows.length);
      out.writeInt(columns);
      for (float[] r : rows) {
        if (r.length != columns) {
          throw new IllegalArgumentException("rows of different lengths: " + r.length + " and " + columns);
        }
        row.clear();
        row.asFloatBuffer().put(r);
        crc.update(row.array(), 0, row.capacity());
        out.write(row.array(), 0, row.capacity());
      }
      out.writeLong(crc.getValue());
    }
  }

  /**
   * Reads a matrix written by {@link #write}. A missing, truncated, foreign or corrupted file, or one
   * whose columns are not {@code columns}, is an IOException naming the file.
   *
   * @param columns the expected number of columns; -1 to accept any
   */
  public static float[][] read(Path file, int columns) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException(file + " is missing");
    }
    byte[] bytes = Files.readAllBytes(file);
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
    if (bytes.length < HEADER + 8 || !java.util.Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      throw new IOException(file + " is not a deepad4j rows file (no DA4JROWS header)");
    }
    b.position(MAGIC.length);
    int version = b.getInt();
    int n = b.getInt();
    int m = b.getInt();
    if (version != VERSION) {
      throw new IOException(file + ": format version " + version + ", this deepad4j reads " + VERSION);
    }
    if (n < 0 || m < 0 || bytes.length != HEADER + 4L * n * m + 8) {
      throw new IOException(file + ": " + bytes.length + " bytes, but its header says " + n + " x " + m
          + " floats (" + (HEADER + 4L * n * m + 8) + " bytes); the file is truncated or damaged");
    }
    if (columns >= 0 && m != columns) {
      throw new IOException(file + ": " + m + " columns, expected " + columns);
    }
    CRC32 crc = new CRC32();
    crc.update(bytes, HEADER, 4 * n * m);
    long stored = b.getLong(HEADER + 4 * n * m);
    if (stored != crc.getValue()) {
      throw new IOException(file + ": checksum mismatch (the file is damaged)");
    }
    float[][] out = new float[n][m];
    b.position(HEADER);
    for (float[] r : out) {
      b.asFloatBuffer().get(r);
      b.position(b.position() + 4 * m);
    }
    return out;
  }
}
