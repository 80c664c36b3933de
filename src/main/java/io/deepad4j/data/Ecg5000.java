package io.deepad4j.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * ECG5000 as the FF12 report's Anomagram prototype uses it: 5,000 heartbeats of 140 samples (UCR
 * archive; BIDMC congestive heart failure database), label 1 = normal beat, 2-5 = kinds of abnormal
 * beats. Anomagram's copies (github.com/victordibia/anomagram, MIT licence,
 * app/public/data/ecg/train_scaled_.json and test_scaled.json, already min-max scaled on the
 * training part) as two CSV files with columns {@code t0..t139, label}: {@link #TRAIN_FILE} (4,500
 * rows) and {@link #TEST_FILE} (500 rows), checked against their SHA-256.
 *
 * <p>As in Anomagram: the model trains on the normal beats of the training file; the test file is
 * evaluated. A seeded, stratified share of the test file is held out as the labelled validation
 * split, as a csv data set's is ({@link CsvDataset#load}); the beats' own labels (1-5) are the
 * classes of per_class.csv.
 */
public final class Ecg5000 {

  public static final String TRAIN_FILE = "ecg5000_train.csv.gz";
  public static final String TEST_FILE = "ecg5000_test.csv.gz";

  static final DataFiles FILES = new DataFiles("ECG5000 (Anomagram)", Map.of(
      TRAIN_FILE, "a840e00e1fe3c0549fb4c5d0541a306fb72a1180050d7c6457d04af72f8bda2c",
      TEST_FILE, "7b668140751271f9d8a96b4430488ce7081bc8708bc764026230eff5d686ce91"), null,
      "Anomagram's app/public/data/ecg/train_scaled_.json and test_scaled.json at github.com/victordibia/anomagram,"
          + " as CSV with columns t0..t139 then label; no server publishes these two files, so copy them from"
          + " whoever keeps your verified copies (docs/SPECS.md, ECG5000)");

  private Ecg5000() {}

  /**
   * Checks the two files in {@code dataDir} (no download: they are not published as such) and loads them.
   *
   * @param validationFraction share of each class of the test file held out for the threshold
   * @param seed draws the validation rows
   * @throws DataException when a file is missing (saying where to get it) or does not match its SHA-256
   */
  public static Dataset load(Path dataDir, double validationFraction, long seed, boolean verifyChecksums) {
    FILES.ensure(dataDir, List.of(TRAIN_FILE, TEST_FILE), null, verifyChecksums);
    Dataset d = CsvDataset.load(dataDir.resolve(TRAIN_FILE), dataDir.resolve(TEST_FILE), "label", "1", List.of(),
        validationFraction, seed);
    return new Dataset("ecg5000", d.featureNames(), d.train(), d.validation(), d.validationLabels(), d.test(),
        d.testLabels(), d.testClasses());
  }
}
