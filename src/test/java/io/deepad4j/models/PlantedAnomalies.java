package io.deepad4j.models;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * A small synthetic data set for detector tests: normal rows lie near a 2-d plane in 8 features
 * (values in [0, 1]); planted anomalies are uniform noise in the same box, far from the plane.
 */
public record PlantedAnomalies(List<String> features, float[][] train, float[][] test, int[] testLabels) {
  public static final int FEATURES = 8;

  public static PlantedAnomalies make(int trainRows, int testNormal, int testAnomalies, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[][] train = new float[trainRows][];
    for (int i = 0; i < trainRows; i++) {
      train[i] = normalRow(r);
    }
    float[][] test = new float[testNormal + testAnomalies][];
    int[] labels = new int[test.length];
    for (int i = 0; i < testNormal; i++) {
      test[i] = normalRow(r);
    }
    for (int i = testNormal; i < test.length; i++) {
      float[] row = new float[FEATURES];
      for (int j = 0; j < FEATURES; j++) {
        row[j] = (float) r.nextDouble();
      }
      test[i] = row;
      labels[i] = 1;
    }
    List<String> names = IntStream.range(0, FEATURES).mapToObj(j -> "f" + j).toList();
    return new PlantedAnomalies(names, train, test, labels);
  }

  private static float[] normalRow(SplittableRandom r) {
    double a = r.nextDouble();
    double b = r.nextDouble();
    float[] row = {(float) a, (float) b, (float) ((a + b) / 2), (float) (0.2 + 0.6 * a), (float) (1 - b),
        (float) (a * b), (float) (0.5 + 0.4 * (a - b)), (float) (0.1 + 0.8 * b)};
    for (int j = 0; j < row.length; j++) {
      row[j] = (float) Math.min(1, Math.max(0, row[j] + r.nextGaussian() * 0.01));
    }
    return row;
  }
}
