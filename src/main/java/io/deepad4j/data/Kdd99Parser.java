package io.deepad4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.SoftReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;

/**
 * Reads a gzipped KDD Cup 1999 CSV file (41 features and a label such as {@code normal.} per
 * line) into a {@link Kdd99Table}. Every malformed line is an error naming the file and line;
 * nothing is skipped.
 *
 * <p>The parser works on bytes: the two files hold 805,050 lines and a per-line split into
 * Strings and {@code Float.parseFloat} would dominate load time. Parsed tables are cached per
 * file (path, size and modification time) for the life of the JVM, behind soft references so the
 * memory comes back under pressure; sweeps and benchmarks then parse each file once.
 */
final class Kdd99Parser {

  private static final Map<String, SoftReference<Kdd99Table>> CACHE = new ConcurrentHashMap<>();
  private static final Map<String, Object> LOCKS = new ConcurrentHashMap<>();
  private static final int BUFFER = 1 << 20;
  private static final double[] POW10 = new double[19];

  static {
    POW10[0] = 1;
    for (int i = 1; i < POW10.length; i++) {
      POW10[i] = POW10[i - 1] * 10;
    }
  }

  private Kdd99Parser() {}

  /** The parsed file, from the cache when the file has not changed since it was parsed. */
  static Kdd99Table read(Path file) {
    Path path = file.toAbsolutePath().normalize();
    String key;
    try {
      key = path + "|" + Files.size(path) + "|" + Files.getLastModifiedTime(path).toMillis();
    } catch (NoSuchFileException e) {
      throw new DataException("Data file " + path + " does not exist.", e);
    } catch (IOException e) {
      throw new DataException("Cannot read " + path + " (" + e + ").", e);
    }
    // one parse per file even when parallel sweep trials ask for it at the same moment
    synchronized (LOCKS.computeIfAbsent(key, k -> new Object())) {
      SoftReference<Kdd99Table> ref = CACHE.get(key);
      Kdd99Table table = ref == null ? null : ref.get();
      if (table == null) {
        table = parse(path);
        CACHE.put(key, new SoftReference<>(table));
      }
      return table;
    }
  }

  /** Parses the file without looking at the cache. */
  static Kdd99Table parse(Path file) {
    return new Reader(file).read();
  }

  /** State of one parse: growing columns, dictionaries and the current line number. */
  private static final class Reader {
    private final Path file;
    private float[] values = new float[Kdd99Table.COLUMNS * (1 << 16)];
    private short[] labels = new short[1 << 16];
    private final Dictionary[] text = new Dictionary[Kdd99Table.COLUMNS];
    private final Dictionary labelNames = new Dictionary();
    private int rows;
    private long line;

    Reader(Path file) {
      this.file = file;
      for (int c : Kdd99Table.TEXT_COLUMNS) {
        text[c] = new Dictionary();
      }
    }

    Kdd99Table read() {
      byte[] buf = new byte[BUFFER];
      int len = 0;
      try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 1 << 16)) {
        while (true) {
          int n = in.read(buf, len, buf.length - len);
          if (n < 0) {
            if (len > 0) {
              parseLine(buf, 0, len);
            }
            break;
          }
          len += n;
          int start = 0;
          for (int i = 0; i < len; i++) {
            if (buf[i] == '\n') {
              parseLine(buf, start, i);
              start = i + 1;
            }
          }
          if (start == 0 && len == buf.length) {
            throw new DataException(file + ", line " + (line + 1) + ": line longer than "
                + BUFFER + " bytes; this is not a KDD Cup 1999 file. " + replaceAdvice());
          }
          System.arraycopy(buf, start, buf, 0, len - start);
          len -= start;
        }
      } catch (NoSuchFileException e) {
        throw new DataException("Data file " + file + " does not exist.", e);
      } catch (IOException e) {
        // GZIPInputStream reports a damaged or truncated archive as ZipException/EOFException
        throw new DataException(file + " is not a readable gzip file (" + e.getMessage()
            + ", after line " + line + "). The file is damaged or truncated. " + replaceAdvice(),
            e);
      }
      if (rows == 0) {
        throw new DataException(file + " holds no rows. " + replaceAdvice());
      }
      List<List<String>> categories = new ArrayList<>();
      for (Dictionary d : text) {
        categories.add(d == null ? List.of() : List.copyOf(d.names));
      }
      return new Kdd99Table(file, rows, Arrays.copyOf(values, rows * Kdd99Table.COLUMNS),
          categories, Arrays.copyOf(labels, rows), List.copyOf(labelNames.names));
    }

    private String replaceAdvice() {
      return "Delete it so that it is downloaded again, or copy it again from "
          + DataFiles.fileUrl(Kdd99Files.DEFAULT_BASE_URL, file.getFileName().toString()) + ".";
    }

    /** Parses bytes {@code from..to-1} (without the newline) as one row. */
    private void parseLine(byte[] b, int from, int to) {
      line++;
      if (to > from && b[to - 1] == '\r') {
        to--;
      }
      if (rows == labels.length) {
        labels = Arrays.copyOf(labels, rows * 2);
        values = Arrays.copyOf(values, rows * 2 * Kdd99Table.COLUMNS);
      }
      // count the fields first, so a short or long row is reported as such rather than as
      // whatever field it happens to misalign
      int fields = 1;
      for (int i = from; i < to; i++) {
        if (b[i] == ',') {
          fields++;
        }
      }
      if (fields != Kdd99Table.COLUMNS + 1) {
        throw new DataException(file + ", line " + line + ": expected 42 comma-separated fields"
            + " (41 features and the label), found " + (to == from ? 0 : fields)
            + ". The file is damaged. " + replaceAdvice());
      }
      int base = rows * Kdd99Table.COLUMNS;
      int column = 0;
      int p = from;
      while (true) {
        int q = p;
        while (q < to && b[q] != ',') {
          q++;
        }
        if (column < Kdd99Table.COLUMNS) {
          Dictionary d = text[column];
          if (d != null) {
            if (q == p) {
              throw malformed(column, "is empty");
            }
            values[base + column] = d.code(b, p, q);
          } else {
            values[base + column] = number(b, p, q, column);
          }
        } else if (column == Kdd99Table.COLUMNS) {
          int end = q > p && b[q - 1] == '.' ? q - 1 : q; // "normal." -> "normal"
          if (end == p) {
            throw malformed(column, "(the label) is empty");
          }
          int code = labelNames.code(b, p, end);
          if (code > Short.MAX_VALUE) {
            throw malformed(column, "is one label too many: more than " + Short.MAX_VALUE
                + " different labels");
          }
          labels[rows] = (short) code;
        }
        column++;
        if (q >= to) {
          break;
        }
        p = q + 1;
      }
      rows++;
    }

    /**
     * Parses a plain decimal such as {@code 0}, {@code 105} or {@code 0.07} from bytes; anything
     * else (exponents, very long numbers) goes through {@link Numbers#parseFiniteFloat}.
     */
    private float number(byte[] b, int p, int q, int column) {
      long mantissa = 0;
      int digits = 0;
      int fraction = -1;
      boolean negative = false;
      for (int i = p; i < q; i++) {
        int c = b[i];
        if (c >= '0' && c <= '9') {
          mantissa = mantissa * 10 + (c - '0');
          digits++;
          if (fraction >= 0) {
            fraction++;
          }
        } else if (c == '.' && fraction < 0) {
          fraction = 0;
        } else if (c == '-' && i == p) {
          negative = true;
        } else {
          return slowNumber(b, p, q, column);
        }
      }
      if (digits == 0 || digits > 18) {
        return slowNumber(b, p, q, column);
      }
      double v = fraction > 0 ? mantissa / POW10[fraction] : mantissa;
      return (float) (negative ? -v : v);
    }

    private float slowNumber(byte[] b, int p, int q, int column) {
      String s = new String(b, p, q - p, StandardCharsets.ISO_8859_1);
      try {
        return Numbers.parseFiniteFloat(s);
      } catch (NumberFormatException e) {
        throw malformed(column, "is " + e.getMessage().replaceFirst("^('.*') is ", "$1, ")); // "is '18x1', not a number"
      }
    }

    private DataException malformed(int column, String what) {
      String name = column < Kdd99Table.COLUMNS ? Kdd99.FEATURE_NAMES.get(column) : "label";
      return new DataException(file + ", line " + line + ", column " + (column + 1) + " ("
          + name + ") " + what + ". The file is damaged. " + replaceAdvice());
    }
  }

  /** Byte strings to dense codes 0, 1, 2, ... without making a String per lookup. */
  private static final class Dictionary {
    final List<String> names = new ArrayList<>();
    private byte[][] keys = new byte[64][];
    private int[] codes = new int[64];

    int code(byte[] b, int from, int to) {
      int h = hash(b, from, to);
      int mask = keys.length - 1;
      int slot = h & mask;
      while (keys[slot] != null) {
        byte[] k = keys[slot];
        if (Arrays.equals(k, 0, k.length, b, from, to)) {
          return codes[slot];
        }
        slot = (slot + 1) & mask;
      }
      int code = names.size();
      byte[] key = Arrays.copyOfRange(b, from, to);
      names.add(new String(key, StandardCharsets.UTF_8));
      keys[slot] = key;
      codes[slot] = code;
      if (names.size() * 2 > keys.length) {
        grow();
      }
      return code;
    }

    private void grow() {
      byte[][] oldKeys = keys;
      int[] oldCodes = codes;
      keys = new byte[oldKeys.length * 2][];
      codes = new int[oldKeys.length * 2];
      int mask = keys.length - 1;
      for (int i = 0; i < oldKeys.length; i++) {
        if (oldKeys[i] != null) {
          int slot = hash(oldKeys[i], 0, oldKeys[i].length) & mask;
          while (keys[slot] != null) {
            slot = (slot + 1) & mask;
          }
          keys[slot] = oldKeys[i];
          codes[slot] = oldCodes[i];
        }
      }
    }

    private static int hash(byte[] b, int from, int to) {
      int h = 1;
      for (int i = from; i < to; i++) {
        h = 31 * h + b[i];
      }
      return h ^ (h >>> 16);
    }
  }
}
