package io.deepad4j.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the verified KDD Cup 1999 copies tests use: system property {@code deepad4j.kdd99.dir},
 * else environment variable {@code DEEPAD4J_KDD99_DIR}, else {@code ../shared/data/kdd99} next to
 * the checkout.
 */
final class Kdd99TestFiles {

  private Kdd99TestFiles() {}

  static Path dir() {
    String configured = System.getProperty("deepad4j.kdd99.dir",
        System.getenv("DEEPAD4J_KDD99_DIR"));
    Path dir = configured != null ? Path.of(configured)
        : Path.of(System.getProperty("user.dir")).resolve("../shared/data/kdd99").normalize();
    if (!Files.isRegularFile(dir.resolve(Kdd99Files.TRAIN_FILE))
        || !Files.isRegularFile(dir.resolve(Kdd99Files.TEST_FILE))) {
      throw new IllegalStateException("The KDD Cup 1999 test files are not in " + dir + ". Put "
          + Kdd99Files.TRAIN_FILE + " and " + Kdd99Files.TEST_FILE + " there, or point"
          + " -Ddeepad4j.kdd99.dir / DEEPAD4J_KDD99_DIR at a folder that holds them.");
    }
    return dir;
  }

  static Path train() {
    return dir().resolve(Kdd99Files.TRAIN_FILE);
  }

  static Path test() {
    return dir().resolve(Kdd99Files.TEST_FILE);
  }

  /** Copies both files into {@code target} (a writable folder the test owns). */
  static void copyTo(Path target) throws IOException {
    Files.createDirectories(target);
    Files.copy(train(), target.resolve(Kdd99Files.TRAIN_FILE));
    Files.copy(test(), target.resolve(Kdd99Files.TEST_FILE));
  }
}
