package io.deepad4j.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads NumPy's {@code .npy} format (numpy.lib.format, versions 1.0, 2.0 and 3.0): the magic
 * {@code \x93NUMPY}, a version, the header's length (2 bytes little-endian in 1.0, 4 bytes in 2.0
 * and 3.0), a header that is a Python dict literal with {@code descr}, {@code fortran_order} and
 * {@code shape}, then the raw elements.
 *
 * <p>The header is parsed by a small strict parser of that literal (strings, True/False, tuples of
 * integers), never evaluated, and nothing is ever unpickled: object arrays ({@code |O}) and pickled
 * content are refused. Numeric dtypes only: {@code f2 f4 f8 i1 i2 i4 i8 u1 u2 u4 u8 b1} ({@code ?}),
 * little- or big-endian ({@code < > | =}), C or Fortran order, 1-D or 2-D. Every problem is a
 * {@link DataException} naming the file (and .npz entry) and what is wrong.
 */
public final class Npy {

  /** The first six bytes of every .npy file. */
  static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  /** Headers longer than this are refused (NumPy's own are under 100 bytes for these arrays). */
  static final int MAX_HEADER = 1 << 20;
  static final String SUPPORTED = "f2 f4 f8 i1 i2 i4 i8 u1 u2 u4 u8 b1 (any byte order)";

  private Npy() {}

  /** Reads a {@code .npy} file. */
  public static NpyArray read(Path file) {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      return read(in, file.toString());
    } catch (NoSuchFileException e) {
      throw new DataException(file + " does not exist.", e);
    } catch (IOException e) {
      throw new DataException("Cannot read " + file + " (" + e + ").", e);
    }
  }

  /**
   * Reads one array from {@code in}, which must hold exactly the array (an .npz entry).
   *
   * @param where the file (and entry) named in messages
   */
  static NpyArray read(InputStream in, String where) throws IOException {
    Header header = header(in, where);
    Dtype dtype = Dtype.parse(header.descr, where);
    long count = 1;
    for (int d : header.shape) {
      count *= d; // each d < 2^31 and at most two of them: no overflow
    }
    if (count > Integer.MAX_VALUE - 8) {
      throw new DataException(where + ": shape " + NpyArray.shapeText(header.shape) + " holds " + count
          + " elements, more than a Java array can; split the data set.");
    }
    long bytes = count * dtype.size;
    double[] values = new double[(int) count];
    ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(dtype.order);
    int done = 0;
    long read = 0;
    while (done < count) {
      int want = (int) Math.min(buffer.capacity(), bytes - read);
      int got = in.readNBytes(buffer.array(), 0, want);
      read += got;
      if (got < want) {
        throw new DataException(where + ": the data is truncated: shape " + NpyArray.shapeText(header.shape)
            + " of '" + header.descr + "' needs " + bytes + " bytes after the header, the file has " + read
            + ". The file is incomplete; write it again (numpy.save / numpy.savez).");
      }
      buffer.clear().limit(got);
      while (buffer.hasRemaining()) {
        values[done++] = dtype.next(buffer);
      }
    }
    long extra = 0; // counted up to 1 MiB: enough to tell, without reading a huge tail
    for (int n; extra < (1 << 20) && (n = in.read(buffer.array())) > 0; ) {
      extra += n;
    }
    if (extra > 0) {
      throw new DataException(where + ": the shape does not match the data: shape " + NpyArray.shapeText(header.shape)
          + " of '" + header.descr + "' is " + bytes + " bytes, but " + (extra < (1 << 20) ? "" : "at least ")
          + (bytes + extra) + " follow the header. The"
          + " header is wrong or the file was altered; write it again with numpy.save / numpy.savez.");
    }
    if (header.fortranOrder && header.shape.length == 2) {
      values = toRowMajor(values, header.shape[0], header.shape[1]);
    }
    return new NpyArray(where, header.descr, header.shape, values);
  }

  /** Fortran order stores column after column: element k is at row k % rows, column k / rows. */
  private static double[] toRowMajor(double[] columnMajor, int rows, int columns) {
    double[] out = new double[columnMajor.length];
    for (int k = 0; k < columnMajor.length; k++) {
      out[(k % rows) * columns + k / rows] = columnMajor[k];
    }
    return out;
  }

  /** The parsed header dict. */
  record Header(String descr, boolean fortranOrder, int[] shape) {}

  static Header header(InputStream in, String where) throws IOException {
    byte[] magic = in.readNBytes(MAGIC.length);
    if (!java.util.Arrays.equals(magic, MAGIC)) {
      if (magic.length > 0 && (magic[0] & 0xff) == 0x80) {
        throw new DataException(where + " holds a Python pickle, not a NumPy array; deepad4j never unpickles (it"
            + " could run any code). Save numeric arrays with numpy.save / numpy.savez (allow_pickle is not needed).");
      }
      throw new DataException(where + " is not a NumPy .npy array: it does not start with the magic \\x93NUMPY."
          + " Write it with numpy.save / numpy.savez.");
    }
    int major = in.read();
    int minor = in.read();
    int length;
    if (minor < 0) {
      throw new DataException(where + ": the .npy header is truncated; the file is incomplete.");
    } else if (major == 1 && minor == 0) {
      length = (int) littleEndian(in, 2, where);
    } else if ((major == 2 || major == 3) && minor == 0) {
      long l = littleEndian(in, 4, where);
      if (l > MAX_HEADER) {
        throw new DataException(where + ": the .npy header claims " + l + " bytes, more than the " + MAX_HEADER
            + " a reader accepts; the file is damaged.");
      }
      length = (int) l;
    } else {
      throw new DataException(where + ": .npy format version " + major + "." + minor + " is not supported (1.0,"
          + " 2.0 and 3.0 are); write it with numpy.save.");
    }
    byte[] text = in.readNBytes(length);
    if (text.length < length) {
      throw new DataException(where + ": the .npy header is truncated (" + text.length + " of " + length
          + " bytes); the file is incomplete.");
    }
    String dict = new String(text, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    return new HeaderParser(dict, where).parse();
  }

  private static long littleEndian(InputStream in, int bytes, String where) throws IOException {
    long v = 0;
    for (int i = 0; i < bytes; i++) {
      int b = in.read();
      if (b < 0) {
        throw new DataException(where + ": the .npy header is truncated; the file is incomplete.");
      }
      v |= (long) b << (8 * i);
    }
    return v;
  }

  /** A supported element type: kind f (float), i (signed), u (unsigned) or b (bool), size in bytes, byte order. */
  record Dtype(char kind, int size, ByteOrder order) {

    static Dtype parse(String descr, String where) {
      if (descr.length() >= 2 && descr.charAt(1) == 'O') {
        throw new DataException(where + " holds Python objects (dtype '" + descr + "'): reading them means"
            + " unpickling, which deepad4j never does. Save numeric arrays, e.g. X.astype('float64') and"
            + " y.astype('int64').");
      }
      String body = descr.isEmpty() ? "" : descr.substring(1);
      char orderChar = descr.isEmpty() ? ' ' : descr.charAt(0);
      ByteOrder order = switch (orderChar) {
        case '<', '|' -> ByteOrder.LITTLE_ENDIAN;
        case '>' -> ByteOrder.BIG_ENDIAN;
        case '=' -> ByteOrder.nativeOrder();
        default -> null;
      };
      Dtype d = order == null ? null : switch (body) {
        case "f2", "f4", "f8", "i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8", "b1" ->
            new Dtype(body.charAt(0), body.charAt(1) - '0', order);
        case "?" -> new Dtype('b', 1, order);
        default -> null;
      };
      if (d == null) {
        throw new DataException(where + ": dtype '" + descr + "' is not supported; supported: " + SUPPORTED
            + ". Convert the array, e.g. X.astype('float64').");
      }
      if (orderChar == '|' && d.size > 1) {
        throw new DataException(where + ": dtype '" + descr + "' has no byte order ('|') for a " + d.size
            + "-byte type; write it with numpy.save, which writes '<' or '>'.");
      }
      return d;
    }

    /** The next element of {@code b} as a double. */
    double next(ByteBuffer b) {
      return switch (kind) {
        case 'f' -> size == 8 ? b.getDouble() : size == 4 ? b.getFloat() : halfToFloat(b.getShort());
        case 'i' -> size == 8 ? b.getLong() : size == 4 ? b.getInt() : size == 2 ? b.getShort() : b.get();
        case 'u' -> size == 8 ? unsigned(b.getLong()) : size == 4 ? Integer.toUnsignedLong(b.getInt())
            : size == 2 ? Short.toUnsignedInt(b.getShort()) : Byte.toUnsignedInt(b.get());
        default -> b.get() == 0 ? 0 : 1;
      };
    }

    private static double unsigned(long v) {
      return v >= 0 ? v : (double) (v >>> 1) * 2 + (v & 1);
    }

    /** IEEE 754 half precision (NumPy's float16) to float. */
    static float halfToFloat(short half) {
      int h = half & 0xffff;
      int sign = h >>> 15;
      int exponent = (h >>> 10) & 0x1f;
      int mantissa = h & 0x3ff;
      float magnitude;
      if (exponent == 0x1f) {
        magnitude = mantissa == 0 ? Float.POSITIVE_INFINITY : Float.NaN;
      } else if (exponent == 0) {
        magnitude = mantissa * 0x1p-24f; // subnormal
      } else {
        magnitude = Float.intBitsToFloat((exponent - 15 + 127) << 23 | mantissa << 13);
      }
      return sign == 0 ? magnitude : -magnitude;
    }
  }

  /**
   * The header dict, e.g. {@code {'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }}:
   * exactly these three keys, string keys and values in single or double quotes (no escapes),
   * {@code True}/{@code False}, a tuple of non-negative integers; then only padding.
   */
  static final class HeaderParser {
    private final String text;
    private final String where;
    private int pos;

    HeaderParser(String text, String where) {
      this.text = text;
      this.where = where;
    }

    Header parse() {
      Map<String, Object> dict = new LinkedHashMap<>();
      expect('{');
      while (true) {
        skipSpace();
        if (peek() == '}') {
          pos++;
          break;
        }
        String key = string();
        expect(':');
        Object value = value(key);
        if (dict.put(key, value) != null) {
          throw bad("the key '" + key + "' is given twice");
        }
        skipSpace();
        if (peek() == ',') {
          pos++;
        } else if (peek() != '}') {
          throw bad("expected ',' or '}' at character " + pos);
        }
      }
      skipSpace();
      if (pos != text.length()) {
        throw bad("text after the closing '}' at character " + pos);
      }
      if (!dict.keySet().equals(java.util.Set.of("descr", "fortran_order", "shape"))) {
        throw bad("its keys are " + dict.keySet() + "; expected exactly descr, fortran_order and shape");
      }
      if (!(dict.get("descr") instanceof String descr)) {
        throw bad("'descr' is not a string: a structured (record) dtype; only plain numeric arrays are read");
      }
      if (!(dict.get("fortran_order") instanceof Boolean fortran)) {
        throw bad("'fortran_order' is not True or False");
      }
      if (!(dict.get("shape") instanceof int[] shape)) {
        throw bad("'shape' is not a tuple of integers");
      }
      if (shape.length < 1 || shape.length > 2) {
        throw new DataException(where + ": the array has shape " + (shape.length == 0 ? "()" : NpyArray.shapeText(shape))
            + "; only 1-D and 2-D arrays are read.");
      }
      return new Header(descr, fortran, shape);
    }

    private Object value(String key) {
      skipSpace();
      char c = peek();
      if (c == '\'' || c == '"') {
        return string();
      }
      if (c == '(') {
        return tuple();
      }
      if (text.startsWith("True", pos)) {
        pos += 4;
        return Boolean.TRUE;
      }
      if (text.startsWith("False", pos)) {
        pos += 5;
        return Boolean.FALSE;
      }
      if (c == '[') {
        throw bad("'" + key + "' is a list: a structured (record) dtype; only plain numeric arrays are read");
      }
      throw bad("unexpected '" + c + "' at character " + pos + " (value of '" + key + "')");
    }

    private int[] tuple() {
      expect('(');
      List<Integer> dims = new java.util.ArrayList<>();
      while (true) {
        skipSpace();
        if (peek() == ')') {
          pos++;
          return dims.stream().mapToInt(Integer::intValue).toArray();
        }
        int start = pos;
        while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
          pos++;
        }
        if (start == pos) {
          throw bad("expected a non-negative integer in 'shape' at character " + pos);
        }
        try {
          dims.add(Integer.parseInt(text.substring(start, pos)));
        } catch (NumberFormatException e) {
          throw bad("the dimension " + text.substring(start, pos) + " is too large");
        }
        skipSpace();
        if (peek() == ',') {
          pos++;
        } else if (peek() != ')') {
          throw bad("expected ',' or ')' in 'shape' at character " + pos);
        }
      }
    }

    private String string() {
      skipSpace();
      char quote = peek();
      if (quote != '\'' && quote != '"') {
        throw bad("expected a quoted string at character " + pos);
      }
      int end = text.indexOf(quote, pos + 1);
      if (end < 0) {
        throw bad("a string is not closed");
      }
      String s = text.substring(pos + 1, end);
      if (s.indexOf('\\') >= 0) {
        throw bad("escapes in strings are not accepted");
      }
      pos = end + 1;
      return s;
    }

    private void expect(char c) {
      skipSpace();
      if (peek() != c) {
        throw bad("expected '" + c + "' at character " + pos);
      }
      pos++;
    }

    private char peek() {
      return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private void skipSpace() {
      while (pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\n')) {
        pos++;
      }
    }

    private DataException bad(String what) {
      String shown = text.strip();
      return new DataException(where + ": the .npy header is not the dict NumPy writes (" + what + "): "
          + (shown.length() > 200 ? shown.substring(0, 200) + "..." : shown) + ". Write the file with numpy.save.");
    }
  }
}
