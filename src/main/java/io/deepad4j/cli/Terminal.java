package io.deepad4j.cli;

import java.util.Map;

/** What the command line knows about where it prints: whether it is a terminal, and how wide. */
final class Terminal {
  /** The width when $COLUMNS is not set (shells rarely export it to child processes). */
  static final int DEFAULT_WIDTH = 100;
  /** Below this a table or a progress line would be unreadable anyway. */
  static final int MIN_WIDTH = 40;

  private Terminal() {}

  /**
   * Standard output is an interactive terminal: {@code System.console()} is there only when stdin and
   * stdout both are (so not under a pipe, a redirect, CI or a test), and TERM is not "dumb".
   */
  static boolean interactive() {
    return System.console() != null && !"dumb".equals(System.getenv("TERM"));
  }

  /** $COLUMNS when it is a number, else {@link #DEFAULT_WIDTH}; never below {@link #MIN_WIDTH}. */
  static int width() {
    return width(System.getenv());
  }

  static int width(Map<String, String> env) {
    String columns = env.get("COLUMNS");
    if (columns != null && columns.strip().matches("[0-9]{1,5}")) {
      return Math.max(MIN_WIDTH, Integer.parseInt(columns.strip()));
    }
    return DEFAULT_WIDTH;
  }
}
