package io.deepad4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The .npy reader on files NumPy wrote (every dtype, both byte orders, C and Fortran, format 2.0 and 3.0) and on damaged ones. */
class NpyTest {

  static final List<String> DTYPES = List.of("f8", "f4", "f2", "i8", "i4", "i2", "i1", "u8", "u4", "u2", "u1", "b1");

  @TempDir static Path dir;

  @BeforeAll
  static void writeWithNumpy() {
    NumpyScript.run(dir, """
        import pickle
        base = np.arange(12).reshape(3, 4)
        for t in %s:
            if t[0] in 'fi':
                a = (base - 5) * (0.25 if t[0] == 'f' else 1)
            elif t == 'u1':
                a = base + 200
            elif t[0] == 'u':
                a = base * 1000
            else:
                a = base %% 3 == 0
            for o in (['|'] if t[1] == '1' else ['<', '>']):
                for order in 'CF':
                    dt = np.dtype(t) if o == '|' else np.dtype(o + t)
                    np.save(f"{t}-{'be' if o == '>' else 'le'}-{order}.npy", np.array(a, dtype=dt, order=order))
        np.save('edges-u8.npy', np.array([0, 2**64 - 1, 2**63], dtype='>u8'))
        np.save('edges-i8.npy', np.array([-2**63, 2**63 - 1], dtype='<i8'))
        np.save('edges-u4.npy', np.array([2**32 - 1, 7], dtype='>u4'))
        np.save('edges-i2.npy', np.array([-32768, 32767], dtype='>i2'))
        np.save('edges-f2.npy', np.array([65504, 2**-24, -0.0, 1/3, np.inf, np.nan], dtype='<f2'))
        for v in (2, 3):
            with open(f'v{v}.npy', 'wb') as f:
                np.lib.format.write_array(f, np.asfortranarray(np.arange(6.0).reshape(2, 3)), version=(v, 0))
        np.save('object.npy', np.array([{'a': 1}, None], dtype=object), allow_pickle=True)
        np.save('complex.npy', np.arange(3, dtype=complex))
        np.save('text.npy', np.array(['ab', 'c']))
        np.save('record.npy', np.zeros(2, dtype=[('a', '<f8'), ('b', '<i4')]))
        np.save('cube.npy', np.zeros((2, 2, 2)))
        np.save('dates.npy', np.array(['2020-01-01'], dtype='datetime64[D]'))
        np.save('scalar.npy', np.float64(1.5))
        with open('pickle.npy', 'wb') as f:
            pickle.dump([1, 2, 3], f)
        """.formatted(DTYPES.stream().map(t -> "'" + t + "'").toList()));
  }

  /** The values the script wrote for dtype {@code t}, row by row. */
  private static double[] expected(String t) {
    double[] v = new double[12];
    for (int k = 0; k < 12; k++) {
      v[k] = switch (t.charAt(0)) {
        case 'f' -> (k - 5) * 0.25;
        case 'i' -> k - 5;
        case 'u' -> t.equals("u1") ? k + 200 : k * 1000;
        default -> k % 3 == 0 ? 1 : 0;
      };
    }
    return v;
  }

  @Test
  void everyDtypeInBothByteOrdersAndBothMemoryOrders() throws IOException {
    int files = 0;
    for (String t : DTYPES) {
      for (String order : t.endsWith("1") ? List.of("le") : List.of("le", "be")) {
        for (String layout : List.of("C", "F")) {
          Path f = dir.resolve(t + "-" + order + "-" + layout + ".npy");
          String header = new String(Files.readAllBytes(f), 0, 128, StandardCharsets.ISO_8859_1);
          assertTrue(header.contains("'fortran_order': " + (layout.equals("F") ? "True" : "False")), header);
          NpyArray a = Npy.read(f);
          assertArrayEquals(new int[] {3, 4}, a.shape(), f.toString());
          assertArrayEquals(expected(t), a.values(), f.toString());
          assertEquals(order.equals("be") ? '>' : t.endsWith("1") ? '|' : '<', a.descr().charAt(0), a.descr());
          files++;
        }
      }
    }
    assertEquals(3 * 2 + 9 * 2 * 2, files, "1-byte dtypes in one byte order, the others in two; C and F each");
  }

  @Test
  void extremeValuesOfEachWidth() {
    assertArrayEquals(new double[] {0, 18446744073709551615.0, 9223372036854775808.0}, Npy.read(dir.resolve("edges-u8.npy")).values());
    assertArrayEquals(new double[] {Long.MIN_VALUE, Long.MAX_VALUE}, Npy.read(dir.resolve("edges-i8.npy")).values());
    assertArrayEquals(new double[] {4294967295.0, 7}, Npy.read(dir.resolve("edges-u4.npy")).values());
    assertArrayEquals(new double[] {-32768, 32767}, Npy.read(dir.resolve("edges-i2.npy")).values());
    double[] half = Npy.read(dir.resolve("edges-f2.npy")).values();
    assertArrayEquals(new double[] {65504, 0x1p-24, -0.0, 0.333251953125, Double.POSITIVE_INFINITY}, Arrays.copyOf(half, 5));
    assertEquals(Double.doubleToLongBits(-0.0), Double.doubleToLongBits(half[2]), "the sign of -0.0 is kept");
    assertTrue(Double.isNaN(half[5]));
  }

  @Test
  void formatVersions2And3HaveFourByteHeaderLengths() throws IOException {
    for (int v : new int[] {2, 3}) {
      Path f = dir.resolve("v" + v + ".npy");
      assertEquals(v, Files.readAllBytes(f)[6], "NumPy wrote format " + v + ".0");
      NpyArray a = Npy.read(f);
      assertArrayEquals(new int[] {2, 3}, a.shape());
      assertArrayEquals(new double[] {0, 1, 2, 3, 4, 5}, a.values(), "Fortran order turned into rows");
    }
  }

  @Test
  void nativeByteOrderIsThisMachines() throws IOException {
    ByteBuffer data = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
    data.putDouble(1.5).putDouble(-2);
    Path f = Files.write(dir.resolve("native.npy"), npy(1, "{'descr': '=f8', 'fortran_order': False, 'shape': (2,), }", data.array()));
    assertArrayEquals(new double[] {1.5, -2}, Npy.read(f).values());
  }

  @Test
  void objectArraysAndPicklesAreRefusedWithoutUnpickling() {
    assertRefused("object.npy", "holds Python objects (dtype '|O')", "never does");
    assertRefused("pickle.npy", "holds a Python pickle, not a NumPy array", "never unpickles");
  }

  @Test
  void unsupportedDtypesAndShapesAreNamed() {
    assertRefused("complex.npy", "dtype '<c16' is not supported; supported: f2 f4 f8");
    assertRefused("text.npy", "dtype '<U2' is not supported");
    assertRefused("dates.npy", "dtype '<M8[D]' is not supported");
    assertRefused("record.npy", "structured (record) dtype");
    assertRefused("cube.npy", "shape (2, 2, 2); only 1-D and 2-D arrays are read");
    assertRefused("scalar.npy", "shape (); only 1-D and 2-D");
  }

  @Test
  void truncatedDataAndAShapeThatDoesNotMatchTheBytesAreRefused() throws IOException {
    byte[] whole = Files.readAllBytes(dir.resolve("f8-le-C.npy"));
    Files.write(dir.resolve("cut.npy"), Arrays.copyOf(whole, whole.length - 5));
    assertRefused("cut.npy", "the data is truncated: shape (3, 4) of '<f8' needs 96 bytes after the header, the file has 91");
    Files.write(dir.resolve("long.npy"), Arrays.copyOf(whole, whole.length + 8));
    assertRefused("long.npy", "the shape does not match the data: shape (3, 4) of '<f8' is 96 bytes, but 104 follow");
    Files.write(dir.resolve("short-header.npy"), Arrays.copyOf(whole, 40));
    assertRefused("short-header.npy", "the .npy header is truncated");
    Files.write(dir.resolve("magic-only.npy"), Npy.MAGIC);
    assertRefused("magic-only.npy", "the .npy header is truncated");
    Files.write(dir.resolve("empty.npy"), new byte[0]);
    assertRefused("empty.npy", "does not start with the magic");
  }

  @Test
  void badMagicVersionOrHeaderAreRefused() throws IOException {
    byte[] data = new byte[16];
    Files.write(dir.resolve("magic.npy"), "NUMPY!\u0001\u0000".getBytes(StandardCharsets.ISO_8859_1));
    assertRefused("magic.npy", "is not a NumPy .npy array: it does not start with the magic \\x93NUMPY");
    Files.write(dir.resolve("v4.npy"), npy(4, "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", data));
    assertRefused("v4.npy", ".npy format version 4.0 is not supported");
    String[][] headers = {
        {"{'descr': '<f8', 'fortran_order': False, 'shape': (2,), 'extra': 1}", "unexpected '1'"},
        {"{'descr': '<f8', 'fortran_order': False, 'shape': (2,), 'x': 'y'}", "expected exactly descr, fortran_order and shape"},
        {"{'descr': '<f8', 'fortran_order': False}", "expected exactly descr"},
        {"{'descr': '<f8', 'descr': '<f8', 'fortran_order': False, 'shape': (2,)}", "the key 'descr' is given twice"},
        {"{'descr': __import__('os').system('true'), 'fortran_order': False, 'shape': (2,)}", "unexpected '_'"},
        {"{'descr': '<f8', 'fortran_order': 0, 'shape': (2,)}", "unexpected '0'"},
        {"{'descr': '<f8', 'fortran_order': False, 'shape': (-2,)}", "expected a non-negative integer in 'shape'"},
        {"{'descr': '<f8', 'fortran_order': False, 'shape': (2,)} junk", "text after the closing '}'"},
        {"{'descr': '<f\\x38', 'fortran_order': False, 'shape': (2,)}", "escapes in strings are not accepted"},
        {"{'descr': '|f8', 'fortran_order': False, 'shape': (2,)}", "has no byte order ('|') for a 8-byte type"},
    };
    for (String[] h : headers) {
      Files.write(dir.resolve("header.npy"), npy(1, h[0], data));
      assertRefused("header.npy", h[1]);
    }
  }

  private static void assertRefused(String file, String... parts) {
    DataException e = assertThrows(DataException.class, () -> Npy.read(dir.resolve(file)), file);
    assertTrue(e.getMessage().startsWith(dir.resolve(file).toString()), e.getMessage());
    for (String p : parts) {
      assertTrue(e.getMessage().contains(p), "expected '" + p + "' in: " + e.getMessage());
    }
  }

  /** A .npy file by hand: magic, version, the header padded with spaces to 64 bytes and a newline, then data. */
  static byte[] npy(int major, String dict, byte[] data) throws IOException {
    int prefix = 6 + 2 + (major == 1 ? 2 : 4);
    int padded = (prefix + dict.length() + 1 + 63) / 64 * 64;
    String header = dict + " ".repeat(padded - prefix - dict.length() - 1) + "\n";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(Npy.MAGIC);
    out.write(major);
    out.write(0);
    ByteBuffer length = ByteBuffer.allocate(major == 1 ? 2 : 4).order(ByteOrder.LITTLE_ENDIAN);
    if (major == 1) {
      length.putShort((short) header.length());
    } else {
      length.putInt(header.length());
    }
    out.write(length.array());
    out.write(header.getBytes(StandardCharsets.ISO_8859_1));
    out.write(data);
    return out.toByteArray();
  }
}
