package io.deepad4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepad4j.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ECG5000 from verified copies of Anomagram's files. */
class Ecg5000Test {

  @TempDir Path dir;

  private Path copy() throws IOException {
    Path shared = TestData.sharedData("ecg5000", Ecg5000.TRAIN_FILE);
    for (String f : new String[] {Ecg5000.TRAIN_FILE, Ecg5000.TEST_FILE}) {
      Files.copy(shared.resolve(f), dir.resolve(f));
    }
    return dir;
  }

  @Test
  void trainsOnTheNormalTrainingBeatsAndEvaluatesTheTestFile() throws IOException {
    Dataset d = Ecg5000.load(copy(), 0.5, 2018, true);
    assertEquals("ecg5000", d.name());
    assertEquals(140, d.numFeatures());
    assertEquals("t0", d.featureNames().get(0));
    assertEquals(2627, d.train().length, "the normal (label 1) beats of the training file");
    assertEquals(500, d.validation().length + d.test().length);
    int anomalies = Arrays.stream(d.validationLabels()).sum() + Arrays.stream(d.testLabels()).sum();
    assertEquals(208, anomalies, "labels 2-5 are anomalies");
    assertEquals(104, Arrays.stream(d.validationLabels()).sum(), "stratified: half of each class");
    Set<String> classes = new TreeSet<>(d.testClasses());
    assertTrue(classes.contains("1") && classes.contains("2") && classes.size() >= 3, classes.toString());
  }

  @Test
  void missingFilesSayWhereTheyComeFrom() {
    DataException e = assertThrows(DataException.class, () -> Ecg5000.load(dir, 0.5, 1, true));
    String m = e.getMessage();
    assertTrue(m.contains("[" + Ecg5000.TRAIN_FILE + ", " + Ecg5000.TEST_FILE + "] are not in " + dir), m);
    assertTrue(m.contains(dir.resolve(Ecg5000.TRAIN_FILE) + "  (from Anomagram's"), m);
    assertTrue(m.contains("github.com/victordibia/anomagram"), m);
  }

  @Test
  void aChangedFileIsNamedWithBothHashes() throws IOException {
    copy();
    Path test = dir.resolve(Ecg5000.TEST_FILE);
    byte[] bytes = Files.readAllBytes(test);
    bytes[bytes.length / 2] ^= 0x01;
    Files.write(test, bytes);
    DataException e = assertThrows(DataException.class, () -> Ecg5000.load(dir, 0.5, 1, true));
    assertTrue(e.getMessage().contains("Checksum mismatch for " + test.toAbsolutePath()), e.getMessage());
    assertTrue(e.getMessage().contains("expected SHA-256 7b668140751271f9d8a96b4430488ce7081bc8708bc764026230eff5d686ce91"),
        e.getMessage());
    assertTrue(e.getMessage().contains("Copy it again from Anomagram's"), e.getMessage());
  }
}
