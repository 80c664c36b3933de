package io.deepad4j.run;

import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The git commit of the working directory, for provenance tags. */
final class GitInfo {
  private static volatile Optional<String> cached;

  private GitInfo() {}

  static Optional<String> commit() {
    if (cached == null) {
      cached = read();
    }
    return cached;
  }

  private static Optional<String> read() {
    try {
      Process p = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0 && out.matches("[0-9a-f]{40}")) {
        return Optional.of(out);
      }
    } catch (Exception e) {
      // no git here: no commit tag
    }
    return Optional.empty();
  }
}
