package io.deepad4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The verified KDD Cup 99 files for tests: -Ddeepad4j.kdd99.dir or $DEEPAD4J_KDD99_DIR, else
 * data/kdd99 of the checkout (where .ci/run and ./runner put them), else ../shared/data/kdd99.
 * Missing files fail the test with what to do; they never skip it.
 */
public final class TestData {
  private TestData() {}

  public static Path kdd99Dir() {
    String configured = System.getProperty("deepad4j.kdd99.dir", System.getenv("DEEPAD4J_KDD99_DIR"));
    Path root = Path.of(System.getProperty("user.dir"));
    for (Path candidate : configured != null ? new Path[] {Path.of(configured)}
        : new Path[] {root.resolve("data/kdd99"), root.resolve("../shared/data/kdd99").normalize()}) {
      if (Files.isRegularFile(candidate.resolve("kddcup.data_10_percent.gz")) && Files.isRegularFile(candidate.resolve("corrected.gz"))) {
        return candidate;
      }
    }
    throw new IllegalStateException("KDD Cup 99 files not found in data/kdd99 or ../shared/data/kdd99: run "
        + "./runner experiments/kdd_ae.yaml once (it downloads and verifies them) or set DEEPAD4J_KDD99_DIR");
  }

  /**
   * A folder of verified data files from the shared data ({@code data/<name>} of the checkout, else
   * ../shared/data/{@code <name>}) that holds {@code file}; tests copy from it, never write to it.
   */
  public static Path sharedData(String name, String file) {
    Path root = Path.of(System.getProperty("user.dir"));
    for (Path candidate : new Path[] {root.resolve("data").resolve(name), root.resolve("../shared/data").resolve(name).normalize()}) {
      if (Files.isRegularFile(candidate.resolve(file))) {
        return candidate;
      }
    }
    throw new IllegalStateException(file + " not found in data/" + name + " or ../shared/data/" + name + ": copy the"
        + " verified " + name + " files there (their SHA-256 are in the data set's README or the jar)");
  }

  /** A private copy of the KDD files in {@code dir}. */
  public static Path copyKdd99(Path dir) throws IOException {
    Files.createDirectories(dir);
    for (String f : new String[] {"kddcup.data_10_percent.gz", "corrected.gz"}) {
      Files.copy(kdd99Dir().resolve(f), dir.resolve(f));
    }
    return dir;
  }
}
