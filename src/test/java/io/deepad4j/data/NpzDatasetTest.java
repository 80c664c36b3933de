package io.deepad4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepad4j.TestData;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** .npz files (NumPy's savez and savez_compressed) as data sets: X and y checked, split as ADBench does. */
class NpzDatasetTest {

  @TempDir static Path dir;

  /** 20 rows x 2 features, X[i] = (i, -i / 4), rows 3, 7, 11, 15, 19 anomalous. */
  @BeforeAll
  static void writeWithNumpy() {
    NumpyScript.run(dir, """
        import pickle, zipfile
        X = np.stack([np.arange(20.0), -np.arange(20.0) / 4], axis=1)
        y = (np.arange(20) % 4 == 3).astype('int64')
        np.savez('plain.npz', X=X, y=y)
        np.savez_compressed('compressed.npz', X=X.astype('>f4'), y=y.astype('>i4'))
        np.savez('fortran.npz', X=np.asfortranarray(X.astype('<i8')), y=y.astype(bool))
        np.savez('float-y.npz', X=X.astype('<f2'), y=y.astype('<f8'), extra=np.arange(3))
        np.savez('object.npz', X=np.array([[1, 'a']] * 20, dtype=object), y=y)
        np.savez('no-x.npz', A=X, y=y)
        np.savez('no-y.npz', X=X)
        np.savez('x-1d.npz', X=np.arange(20.0), y=y)
        np.savez('y-short.npz', X=X, y=y[:19])
        np.savez('y-2d.npz', X=X, y=y.reshape(-1, 1))
        y2 = y.copy(); y2[7] = 2
        np.savez('y-two.npz', X=X, y=y2)
        for name, value in [('nan', np.nan), ('inf', -np.inf), ('big', 1e39)]:
            Xn = X.copy(); Xn[3, 1] = value
            np.savez(f'x-{name}.npz', X=Xn, y=y)
        with zipfile.ZipFile('pickled.npz', 'w') as z:
            z.writestr('X.npy', pickle.dumps(X))
            z.writestr('y.npy', pickle.dumps(y))
        with open('single.npz', 'wb') as f:
            np.save(f, X)
        np.savez('one-anomaly.npz', X=X, y=(np.arange(20) == 5).astype('int64'))
        """);
  }

  private static void assertRows(NpzDataset.Labelled d) {
    assertEquals(20, d.x().length);
    for (int i = 0; i < 20; i++) {
      assertArrayEquals(new float[] {i, -(i / 4f)}, d.x()[i], "row " + i);
      assertEquals(i % 4 == 3 ? 1 : 0, d.y()[i], "label " + i);
    }
  }

  @Test
  void storedCompressedAndFortranFilesGiveTheSameRowsAndLabels() {
    assertRows(NpzDataset.read(dir.resolve("plain.npz")));
    assertRows(NpzDataset.read(dir.resolve("compressed.npz")));
    NpzDataset.Labelled fortran = NpzDataset.read(dir.resolve("fortran.npz")); // integers: -i / 4 truncated
    for (int i = 0; i < 20; i++) {
      assertArrayEquals(new float[] {i, (long) (-i / 4.0)}, fortran.x()[i]);
    }
    assertArrayEquals(NpzDataset.read(dir.resolve("plain.npz")).y(), fortran.y(), "boolean labels");
    assertRows(NpzDataset.read(dir.resolve("float-y.npz"))); // f2 holds these exactly; other arrays are ignored
  }

  @Test
  void unsupervisedFitsOnTheWholeTrainingPartAndThresholdsOnItsLabels() {
    Dataset d = NpzDataset.load(dir.resolve("plain.npz"), "npz/plain.npz", "unsupervised", 7);
    StratifiedSplit.Parts parts = StratifiedSplit.of(NpzDataset.read(dir.resolve("plain.npz")).y(), 7);
    assertEquals("npz/plain.npz/unsupervised", d.name());
    assertEquals(java.util.List.of("x0", "x1"), d.featureNames());
    assertEquals(13, d.train().length); // 15 normal: 5 test (round(4.5), halves up); 5 anomalies: 2 test
    assertEquals(7, d.test().length);
    assertArrayEquals(d.train(), d.validation(), "validation = the labelled training part");
    assertEquals(3, Arrays.stream(d.validationLabels()).sum());
    assertEquals(2, Arrays.stream(d.testLabels()).sum());
    for (int k = 0; k < parts.test().length; k++) {
      int row = parts.test()[k];
      assertEquals(row, (int) d.test()[k][0], "test rows are the split's, in file order");
      assertEquals(row % 4 == 3 ? 1 : 0, d.testLabels()[k]);
    }
    for (int k = 0; k < parts.train().length; k++) {
      assertEquals(parts.train()[k], (int) d.train()[k][0]);
      assertEquals(parts.train()[k] % 4 == 3 ? 1 : 0, d.validationLabels()[k]);
    }
  }

  @Test
  void semiSupervisedFitsOnTheNormalTrainingRowsOnly() {
    Dataset semi = NpzDataset.load(dir.resolve("plain.npz"), "npz/plain.npz", "semi_supervised", 7);
    Dataset unsupervised = NpzDataset.load(dir.resolve("plain.npz"), "npz/plain.npz", "unsupervised", 7);
    assertEquals(10, semi.train().length);
    for (float[] row : semi.train()) {
      assertTrue((int) row[0] % 4 != 3, "an anomaly in training: row " + row[0]);
    }
    assertEquals(13, semi.validation().length, "the threshold is still chosen on the whole labelled training part");
    for (int k = 0; k < semi.test().length; k++) {
      assertArrayEquals(unsupervised.test()[k], semi.test()[k], "the same test rows in both settings");
    }
  }

  @Test
  void objectArraysAndPicklesAreRefusedNamingTheEntry() {
    assertRefused("object.npz", "entry 'X.npy' holds Python objects (dtype '|O')");
    assertRefused("pickled.npz", "entry 'X.npy' holds a Python pickle, not a NumPy array; deepad4j never unpickles");
  }

  @Test
  void missingOrMisshapenArraysAreNamed() {
    assertRefused("no-x.npz", "has no array 'X' (its arrays: [A, y])", "numpy.savez(file, X=X, y=y)");
    assertRefused("no-y.npz", "has no array 'y' (its arrays: [X])");
    assertRefused("x-1d.npz", "entry 'X.npy': X has shape (20,); expected 2-D (rows x features)");
    assertRefused("y-short.npz", "entry 'y.npy': y has shape (19,), but X has 20 rows");
    assertRefused("y-2d.npz", "entry 'y.npy': y has shape (20, 1), but X has 20 rows");
    assertRefused("single.npz", "is a single .npy array, not an .npz archive");
  }

  @Test
  void labelsOtherThan0And1AndNonFiniteValuesAreRefusedWithTheirPlace() {
    assertRefused("y-two.npz", "entry 'y.npy': y[7] is 2.0; labels must be 0 (normal) or 1 (anomaly)");
    assertRefused("x-nan.npz", "entry 'X.npy': X[3, 1] is NaN", "finite");
    assertRefused("x-inf.npz", "entry 'X.npy': X[3, 1] is -Infinity");
    assertRefused("x-big.npz", "entry 'X.npy': X[3, 1] is 1.0E39, beyond a float,");
  }

  @Test
  void aClassTooSmallForBothPartsIsRefusedBeforeTraining() {
    DataException e = assertThrows(DataException.class,
        () -> NpzDataset.load(dir.resolve("one-anomaly.npz"), "x", "unsupervised", 1));
    assertTrue(e.getMessage().contains("one-anomaly.npz: y holds 1 anomalies and 19 normal rows; the 70/30 split needs"
        + " at least 2 of each"), e.getMessage());
  }

  @Test
  void truncatedArchivesAndEntriesAreRefused() throws IOException {
    byte[] whole = Files.readAllBytes(dir.resolve("plain.npz"));
    Files.write(dir.resolve("cut.npz"), Arrays.copyOf(whole, whole.length / 2));
    assertRefused("cut.npz", "is not an .npz file (a zip archive of .npy arrays)", "damaged or truncated");

    ByteBuffer data = ByteBuffer.allocate(8 * 5).order(ByteOrder.LITTLE_ENDIAN); // 5 of the 40 values
    try (OutputStream f = Files.newOutputStream(dir.resolve("short-entry.npz")); ZipOutputStream z = new ZipOutputStream(f)) {
      z.putNextEntry(new ZipEntry("X.npy"));
      z.write(NpyTest.npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (20, 2), }", data.array()));
      z.closeEntry();
    }
    assertRefused("short-entry.npz", "entry 'X.npy': the data is truncated: shape (20, 2) of '<f8' needs 320 bytes");
    assertRefused("nope.npz", "does not exist");
  }

  @Test
  void adbenchsCardioReadsWithItsPublishedShape() throws IOException {
    Path cardio = TestData.sharedData("adbench", "6_cardio.npz").resolve("6_cardio.npz");
    NpzDataset.Labelled d = NpzDataset.read(cardio);
    assertEquals(1831, d.x().length);
    assertEquals(21, d.x()[0].length);
    assertEquals(176, Arrays.stream(d.y()).sum()); // 9.6% anomalies
    Dataset split = NpzDataset.load(cardio, "adbench/6_cardio", "unsupervised", 1);
    assertEquals(1831 - 550, split.train().length); // round(0.3 * 1655) + round(0.3 * 176) = 497 + 53 test rows
    assertEquals(53, Arrays.stream(split.testLabels()).sum());
    Set<float[]> seen = new HashSet<>(Arrays.asList(split.train()));
    assertTrue(IntStream.range(0, split.test().length).noneMatch(i -> seen.contains(split.test()[i])));
  }

  private static void assertRefused(String file, String... parts) {
    DataException e = assertThrows(DataException.class, () -> NpzDataset.read(dir.resolve(file)), file);
    assertTrue(e.getMessage().startsWith(dir.resolve(file).toString()), e.getMessage());
    for (String p : parts) {
      assertTrue(e.getMessage().contains(p), "expected '" + p + "' in: " + e.getMessage());
    }
  }
}
