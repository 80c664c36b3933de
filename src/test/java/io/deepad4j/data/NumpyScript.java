package io.deepad4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Runs a Python script with the project's NumPy, {@code <repo>/.venv/bin/python} (made by
 * .ci/install-mlflow.sh, which {@code mvn verify} runs before the tests; mlflow brings NumPy), so
 * that the tests read files NumPy itself wrote. A missing venv fails the test with what to do.
 */
final class NumpyScript {
  private NumpyScript() {}

  static Path python() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("pom.xml"))) {
      p = p.getParent();
    }
    Path python = (p == null ? Path.of("").toAbsolutePath() : p).resolve(".venv/bin/python");
    if (!Files.isExecutable(python)) {
      fail("No " + python + ": these tests write .npy/.npz files with NumPy. Run .ci/install-mlflow.sh (it creates"
          + " .venv with mlflow, which brings NumPy), as mvn verify does.");
    }
    return python;
  }

  /** Runs {@code script} (numpy imported as np) in {@code dir}; fails the test when it fails. */
  static void run(Path dir, String script) {
    try {
      Process p = new ProcessBuilder(python().toString(), "-c", "import numpy as np\n" + script)
          .directory(dir.toFile()).redirectErrorStream(true).start();
      boolean done = p.waitFor(120, TimeUnit.SECONDS);
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(done, "python did not finish in 120 s: " + out);
      assertEquals(0, p.exitValue(), "python failed:\n" + out);
    } catch (IOException e) {
      fail("cannot run " + python() + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail("interrupted");
    }
  }
}
