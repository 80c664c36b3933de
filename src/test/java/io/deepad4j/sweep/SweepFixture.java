package io.deepad4j.sweep;

import io.deepad4j.engine.EpochListener;
import io.deepad4j.models.ModelRegistry;
import io.deepad4j.spec.SpecLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A small real data set for sweep tests: CSV files with 4 features (normal rows around 0.5,
 * anomalies shifted away), a base autoencoder spec on them that trains in a second, and sweep files
 * written next to it.
 */
public final class SweepFixture {
  final Path dir;
  final Path base;
  final Path outputs;

  private SweepFixture(Path dir) {
    this.dir = dir;
    this.base = dir.resolve("base.yaml");
    this.outputs = dir.resolve("outputs");
  }

  static SweepFixture create(Path dir) {
    SweepFixture f = new SweepFixture(dir);
    SplittableRandom random = new SplittableRandom(11);
    StringBuilder train = new StringBuilder("a,b,c,d,label\n");
    for (int i = 0; i < 400; i++) {
      train.append(row(random, 0.5)).append(",normal\n");
    }
    StringBuilder test = new StringBuilder("a,b,c,d,label\n");
    for (int i = 0; i < 300; i++) {
      test.append(row(random, 0.5)).append(",normal\n");
    }
    for (int i = 0; i < 60; i++) {
      test.append(row(random, 0.54)).append(",attack\n"); // overlapping: ROC AUC below 1, so points differ
    }
    write(dir.resolve("train.csv"), train.toString());
    write(dir.resolve("test.csv"), test.toString());
    write(f.base, """
        experiment: sweep-test
        seed: 7
        dataset:
          name: csv
          train_file: %s
          test_file: %s
        model:
          type: ae
          hidden: [4]
          latent_dim: 2
          learning_rate: 0.01
          epochs: 2
          batch_size: 64
        device: cpu
        tracking:
          uri: none
        """.formatted(dir.resolve("train.csv"), dir.resolve("test.csv")));
    return f;
  }

  private static String row(SplittableRandom random, double center) {
    StringBuilder sb = new StringBuilder();
    for (int j = 0; j < 4; j++) {
      sb.append(j == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.4f", center + 0.1 * (random.nextDouble() - 0.5)));
    }
    return sb.toString();
  }

  /** Writes a sweep file whose base is base.yaml. */
  Path sweepFile(String name, String sweepBlock) {
    Path file = dir.resolve(name);
    write(file, "base: base.yaml\n" + sweepBlock);
    return file;
  }

  SweepRunner runner() {
    return new SweepRunner(outputs, new SpecLoader(ModelRegistry.get()), EpochListener.NONE, 2);
  }

  /** Writes a text file, making its folder. */
  public static void write(Path file, String text) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
