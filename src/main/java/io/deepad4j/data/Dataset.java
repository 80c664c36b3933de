package io.deepad4j.data;

import java.util.List;

/**
 * A prepared, unscaled anomaly-detection data set: the rows a detector is fitted on (and the scaler
 * with it), a labelled validation split (for choosing thresholds) and a labelled test split.
 * Labels: 1 = anomaly, 0 = normal. Row arrays are never shared with a caller that mutates them;
 * the splits may share rows with each other (an ADBench data set's validation split is its
 * training part).
 *
 * @param name human readable description, e.g. "kdd99/ff12/8020"
 * @param featureNames one name per column
 * @param train the rows the detector is fitted on, unlabelled: normal rows only in the
 *     semi-supervised protocols (kdd99, csv, ecg5000, npz and adbench with semi_supervised);
 *     normal and anomalous rows alike in ADBench's unsupervised setting
 * @param validation validation rows; may be empty when the protocol has no validation split
 * @param validationLabels labels of the validation rows
 * @param test test rows
 * @param testLabels labels of the test rows
 * @param testClasses the source's own class of each test row (e.g. KDD's "smurf." or "normal."),
 *     for a breakdown of the errors by class; empty when the source has none
 */
public record Dataset(
    String name,
    List<String> featureNames,
    float[][] train,
    float[][] validation,
    int[] validationLabels,
    float[][] test,
    int[] testLabels,
    List<String> testClasses) {

  public Dataset {
    testClasses = testClasses == null ? List.of() : List.copyOf(testClasses);
    if (!testClasses.isEmpty() && testClasses.size() != test.length) {
      throw new IllegalArgumentException(
          testClasses.size() + " test classes for " + test.length + " test rows");
    }
  }

  public int numFeatures() {
    return featureNames.size();
  }
}
