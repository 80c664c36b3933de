package io.deepad4j.spark;

import io.deepad4j.engine.EpochListener;
import io.deepad4j.models.ModelRegistry;
import io.deepad4j.spec.SpecLoader;
import io.deepad4j.sweep.SweepConfig;
import io.deepad4j.sweep.SweepFileParser;
import io.deepad4j.sweep.SweepRunner;
import io.deepad4j.sweep.SweepSummary;
import io.deepad4j.sweep.TrialRecord;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A small real data set and a tiny autoencoder sweep for the Spark tests: CSV files with 4
 * features (anomalies shifted a little, so points differ), relative paths in the base spec (resolved
 * on the workers against the driver's working directory), and a 2 x 2 grid.
 */
final class SparkFixture {
  /** Metrics that measure time, not the model: they differ between any two runs. */
  static final List<String> TIMINGS = List.of("train_time_s", "inference_time_s", "epoch_time_median_s",
      "step_time_median_s", "model_size_kb");

  final Path dir;
  final Path base;
  final Path sweep;
  final Path outputs;

  /**
   * @param relative data paths relative to {@code dir} in the base spec (for a driver started in
   *     {@code dir}); else absolute (for sweeps in the test JVM, whose working directory is the project)
   */
  SparkFixture(Path dir, String trackingUri, int epochs, boolean relative) {
    this.dir = dir;
    this.base = dir.resolve("base.yaml");
    this.sweep = dir.resolve("grid.yaml");
    this.outputs = dir.resolve("outputs");
    SplittableRandom random = new SplittableRandom(11);
    StringBuilder train = new StringBuilder("id,a,b,c,d,label\n");
    for (int i = 0; i < 400; i++) {
      train.append("tr").append(i).append(',').append(row(random, 0.5)).append(",normal\n");
    }
    StringBuilder test = new StringBuilder("id,a,b,c,d,label\n");
    for (int i = 0; i < 300; i++) {
      test.append("te").append(i).append(',').append(row(random, 0.5)).append(",normal\n");
    }
    for (int i = 0; i < 60; i++) {
      test.append("ta").append(i).append(',').append(row(random, 0.54)).append(",attack\n");
    }
    write(dir.resolve("data/train.csv"), train.toString());
    write(dir.resolve("data/test.csv"), test.toString());
    write(base, """
        experiment: spark-test
        seed: 7
        dataset:
          name: csv
          train_file: %s
          test_file: %s
          features: [a, b, c, d]
        model:
          type: ae
          hidden: [4]
          latent_dim: 2
          learning_rate: 0.01
          epochs: %d
          batch_size: 64
        device: cpu
        tracking:
          uri: %s
        """.formatted(relative ? "data/train.csv" : dir.resolve("data/train.csv").toAbsolutePath(),
            relative ? "data/test.csv" : dir.resolve("data/test.csv").toAbsolutePath(), epochs, trackingUri == null ? "none" : trackingUri));
    write(sweep, """
        base: base.yaml
        sweep:
          parallel: 2
          params:
            model.latent_dim: [1, 2]
            model.learning_rate: [0.01, 0.003]
        """);
  }

  private static String row(SplittableRandom random, double center) {
    StringBuilder sb = new StringBuilder();
    for (int j = 0; j < 4; j++) {
      sb.append(j == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.4f", center + 0.1 * (random.nextDouble() - 0.5)));
    }
    return sb.toString();
  }

  SweepConfig config() {
    return SweepFileParser.parse(sweep);
  }

  /** The sweep on this JVM's threads (2 at a time on 2 cores: one TensorFlow thread per trial, as on Spark). */
  SweepRunner.Result runLocally() {
    return new SweepRunner(outputs, new SpecLoader(ModelRegistry.get()), EpochListener.NONE, 2)
        .run("grid", config(), List.of(), sweep.toString());
  }

  /** Each trial's metrics less the timings, by trial number: what a local and a Spark sweep must agree on. */
  static Map<Integer, Map<String, Double>> modelMetrics(List<TrialRecord> records) {
    Map<Integer, Map<String, Double>> out = new TreeMap<>();
    for (TrialRecord r : records) {
      Map<String, Double> m = new TreeMap<>(r.metrics());
      TIMINGS.forEach(m::remove);
      out.put(r.number(), m);
    }
    return out;
  }

  /** summary.csv less the run folders and MLflow run ids (which differ between two sweeps). */
  static List<String> summaryRows(SweepSummary s) {
    return s.toCsv().lines().map(l -> {
      String[] cells = l.split(",", -1);
      return String.join(",", java.util.Arrays.copyOf(cells, cells.length - 2));
    }).collect(Collectors.toList());
  }

  static void write(Path file, String text) {
    io.deepad4j.sweep.SweepFixture.write(file, text);
  }
}
