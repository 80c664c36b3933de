package io.deepad4j.spec;

import java.util.List;

/**
 * A spec, sweep file or command-line argument that cannot be used: every problem found, each naming file, line and
 * key (or the argument). Raised before any work starts; the command line exits with code 2.
 */
public final class SpecException extends RuntimeException {
  private final List<String> problems;

  public SpecException(List<String> problems) {
    super(problems.size() == 1 ? problems.get(0) : "invalid spec:\n  " + String.join("\n  ", problems));
    this.problems = List.copyOf(problems);
  }

  public SpecException(String problem) {
    this(List.of(problem));
  }

  public List<String> problems() {
    return problems;
  }
}
