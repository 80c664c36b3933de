package io.deepad4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvDatasetTest {

  @TempDir Path dir;

  /** 100 test rows: id = row number, 20 of them labelled "attack". */
  private Path testFile() throws IOException {
    StringBuilder s = new StringBuilder("id,x,label,y\n");
    for (int i = 0; i < 100; i++) {
      s.append(i).append(',').append(i * 0.5).append(',')
          .append(i % 5 == 0 ? "attack" : "ok").append(',').append(-i).append('\n');
    }
    return Files.writeString(dir.resolve("test.csv"), s.toString());
  }

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  @Test
  void loadsAllColumnsButTheLabelAndDropsAnomaliesFromTraining() throws IOException {
    Path train = write("train.csv", "label,y,x,id\nok,1,2,3\nattack,4,5,6\nok,7,8,9\n\n");

    Dataset d = CsvDataset.load(train, testFile(), "label", "ok", null, 0.25, 1);

    assertEquals(List.of("id", "x", "y"), d.featureNames());
    // columns are taken by name, so the training file's order does not matter
    assertEquals(2, d.train().length);
    assertArrayEquals(new float[] {3, 2, 1}, d.train()[0]);
    assertArrayEquals(new float[] {9, 8, 7}, d.train()[1]);
    assertEquals(100, d.validation().length + d.test().length);
    // stratified: a quarter of the 80 normal and of the 20 anomalous rows
    assertEquals(25, d.validation().length);
    assertEquals(5, Arrays.stream(d.validationLabels()).sum());
    assertEquals(15, Arrays.stream(d.testLabels()).sum());
    Set<Float> validationIds = new HashSet<>();
    for (int i = 0; i < d.validation().length; i++) {
      float id = d.validation()[i][0];
      validationIds.add(id);
      assertEquals(id % 5 == 0 ? 1 : 0, d.validationLabels()[i]);
      assertEquals(id * 0.5f, d.validation()[i][1]);
    }
    for (int i = 0; i < d.test().length; i++) {
      float id = d.test()[i][0];
      assertFalse(validationIds.contains(id), "row " + id + " is in validation and test");
      assertEquals(id % 5 == 0 ? 1 : 0, d.testLabels()[i]);
    }
  }

  @Test
  void sameSeedSameSplit() throws IOException {
    Path train = write("train.csv", "id,x,y\n1,2,3\n");
    Path test = testFile();

    Dataset a = CsvDataset.load(train, test, "label", "ok", List.of(), 0.3, 5);
    Dataset b = CsvDataset.load(train, test, "label", "ok", List.of(), 0.3, 5);
    Dataset c = CsvDataset.load(train, test, "label", "ok", List.of(), 0.3, 6);

    assertTrue(Arrays.deepEquals(a.validation(), b.validation()));
    assertTrue(Arrays.deepEquals(a.test(), b.test()));
    assertFalse(Arrays.deepEquals(a.validation(), c.validation()));
  }

  @Test
  void trainingFileWithoutLabelColumnIsAllNormalAndFeatureOrderIsKept() throws IOException {
    Path train = write("train.csv.gz", "");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(train))) {
      out.write("y,x\n1,2\n3,4\n".getBytes(StandardCharsets.UTF_8));
    }

    Dataset d = CsvDataset.load(train, testFile(), "label", "ok", List.of("y", "x"), 0, 1);

    assertEquals(List.of("y", "x"), d.featureNames());
    assertArrayEquals(new float[] {3, 4}, d.train()[1]);
    assertEquals(0, d.validation().length);
    assertEquals(100, d.test().length);
    assertArrayEquals(new float[] {-7, 3.5f}, d.test()[7]);
  }

  @Test
  void quotedFieldsAndNumericLabels() throws IOException {
    Path train = write("train.csv", "\"a,b\",class\n\"1.5\",0\n2,1\n");
    Path test = write("test.csv", "class,\"a,b\"\n0.0,1\n1,2\n\" 0 \",3\n");

    Dataset d = CsvDataset.load(train, test, "class", "0", null, 0, 1);

    assertEquals(List.of("a,b"), d.featureNames());
    assertEquals(1, d.train().length);
    assertArrayEquals(new float[] {1.5f}, d.train()[0]);
    assertArrayEquals(new int[] {0, 1, 0}, d.testLabels());
  }

  @Test
  void unknownFeatureListsTheColumns() throws IOException {
    Path train = write("train.csv", "id,x,y\n1,2,3\n");
    Path test = testFile();

    DataException e = assertThrows(DataException.class,
        () -> CsvDataset.load(train, test, "label", "ok", List.of("x", "z"), 0, 1));

    assertEquals(test + " has no column 'z'. Its columns are: [id, x, label, y].",
        e.getMessage());
  }

  @Test
  void featureMissingFromTheTrainingFileIsNamed() throws IOException {
    Path train = write("train.csv", "id,x\n1,2\n");

    DataException e = assertThrows(DataException.class,
        () -> CsvDataset.load(train, testFile(), "label", "ok", null, 0, 1));

    assertEquals(train + " has no column 'y'. Its columns are: [id, x].", e.getMessage());
  }

  @Test
  void unknownLabelColumnListsTheColumns() throws IOException {
    Path train = write("train.csv", "id,x,y\n1,2,3\n");
    Path test = testFile();

    DataException e = assertThrows(DataException.class,
        () -> CsvDataset.load(train, test, "target", "ok", null, 0, 1));

    assertTrue(e.getMessage().startsWith(test + " has no label column 'target'. Its columns are:"
        + " [id, x, label, y]."), e.getMessage());
  }

  @Test
  void nonNumericCellNamesFileLineAndColumn() throws IOException {
    Path train = write("train.csv", "id,x,y\n1,2,3\n4,five,6\n");

    DataException e = assertThrows(DataException.class,
        () -> CsvDataset.load(train, testFile(), "label", "ok", null, 0, 1));

    assertTrue(e.getMessage().startsWith(train + ", line 3, column 'x': 'five' is not a number."),
        e.getMessage());
  }

  @Test
  void emptyCellAndNaNAreErrors() throws IOException {
    Path empty = write("empty.csv", "id,x,y\n1,,3\n");
    Path nan = write("nan.csv", "id,x,y\n1,2,NaN\n");

    DataException e1 = assertThrows(DataException.class,
        () -> CsvDataset.load(empty, testFile(), "label", "ok", null, 0, 1));
    DataException e2 = assertThrows(DataException.class,
        () -> CsvDataset.load(nan, testFile(), "label", "ok", null, 0, 1));

    assertTrue(e1.getMessage().startsWith(empty + ", line 2, column 'x': empty cell."),
        e1.getMessage());
    assertTrue(e2.getMessage().startsWith(nan + ", line 2, column 'y': 'NaN' is not a finite"),
        e2.getMessage());
  }

  @Test
  void raggedRowNamesItsLine() throws IOException {
    Path test = write("test.csv", "x,label\n1,ok\n2,ok,extra\n");
    Path train = write("train.csv", "x\n1\n");

    DataException e = assertThrows(DataException.class,
        () -> CsvDataset.load(train, test, "label", "ok", null, 0, 1));

    assertEquals(test + ", line 3: 3 fields, but the header has 2. Every row needs one value per"
        + " header column.", e.getMessage());
  }

  @Test
  void trainingFileWithoutNormalRowsAndBadFractionAreErrors() throws IOException {
    Path train = write("train.csv", "x,label\n1,attack\n");
    Path test = write("test.csv", "x,label\n1,ok\n");

    DataException e1 = assertThrows(DataException.class,
        () -> CsvDataset.load(train, test, "label", "ok", null, 0, 1));
    DataException e2 = assertThrows(DataException.class,
        () -> CsvDataset.load(train, test, "label", "ok", null, 1.0, 1));

    assertTrue(e1.getMessage().contains("has no row whose label is 'ok'"), e1.getMessage());
    assertTrue(e2.getMessage().contains("got 1.0"), e2.getMessage());
  }

  @Test
  void missingFileIsNamed() {
    Path missing = dir.resolve("nope.csv");

    DataException e = assertThrows(DataException.class,
        () -> CsvDataset.load(missing, missing, "label", "ok", null, 0, 1));

    assertEquals("CSV file " + missing + " does not exist.", e.getMessage());
  }
}
