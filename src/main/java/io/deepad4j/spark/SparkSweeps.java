package io.deepad4j.spark;

import io.deepad4j.sweep.TrialLauncher;
import java.nio.file.Path;

/**
 * The command line's door to Spark. Its signatures name no Spark type, so the CLI classes load
 * and verify in a runner JVM that has no Spark; its bodies run only in a Spark driver.
 */
public final class SparkSweeps {
  private SparkSweeps() {}

  /**
   * A launcher that runs trials as tasks of a Spark application on {@code master}; close it (it is
   * AutoCloseable) to stop the application.
   *
   * @param threads TensorFlow threads and spark.task.cpus per trial
   */
  public static TrialLauncher launcher(String master, int threads) {
    return new SparkTrialLauncher(master, threads);
  }

  /** Batch scoring on Spark (see {@link SparkScoring}); returns the exit code. */
  public static int score(String master, Path modelDir, java.util.List<Path> inputs, Path output,
      java.util.List<String> idColumns, Double threshold) {
    return SparkScoring.run(master, modelDir, inputs, output, idColumns, threshold);
  }
}
