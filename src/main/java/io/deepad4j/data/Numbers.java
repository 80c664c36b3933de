package io.deepad4j.data;

import java.util.regex.Pattern;

/**
 * The one way deepad4j reads a number written by a user, in a spec, a sweep file, a command-line
 * override or a data file: plain decimal notation with an optional exponent ({@code 3}, {@code -0.5},
 * {@code 1e-5}, {@code .25}), finite. Java's own parsers also take {@code NaN}, {@code Infinity},
 * hexadecimal floats and a type suffix ({@code 2f} reads as 2.0); none of those is a number a user
 * means, and NaN in particular passes every range check ({@code NaN < min} is false), so they are
 * refused here, at the boundary, with the reason.
 */
public final class Numbers {
  private static final Pattern DECIMAL = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");

  private Numbers() {}

  /**
   * Parses {@code text} (trimmed) as a finite decimal number.
   *
   * @throws NumberFormatException with a message saying what is wrong, e.g. "'NaN' is not a finite number"
   */
  public static double parseFinite(String text) {
    String s = text.trim();
    if (!DECIMAL.matcher(s).matches()) {
      if (isNonFiniteWord(s)) {
        throw new NumberFormatException("'" + s + "' is not a finite number");
      }
      throw new NumberFormatException("'" + s + "' is not a number");
    }
    double v = Double.parseDouble(s);
    if (!Double.isFinite(v)) {
      throw new NumberFormatException("'" + s + "' is too large (beyond the range of a double)");
    }
    return v;
  }

  /** As {@link #parseFinite}, for a value stored as a 32-bit float (feature cells): beyond ±3.4e38 is refused too. */
  public static float parseFiniteFloat(String text) {
    double v = parseFinite(text);
    float f = (float) v;
    if (!Float.isFinite(f)) {
      throw new NumberFormatException("'" + text.trim() + "' is too large for a 32-bit float (beyond ±3.4e38)");
    }
    return f;
  }

  /** Checks a number that arrived already parsed (a YAML float such as {@code .nan} or {@code .inf}). */
  public static double requireFinite(double v) {
    if (!Double.isFinite(v)) {
      throw new NumberFormatException(v + " is not a finite number");
    }
    return v;
  }

  private static boolean isNonFiniteWord(String s) {
    String w = s.replaceFirst("^[-+]", "").replace(".", "").toLowerCase(java.util.Locale.ROOT);
    return w.equals("nan") || w.equals("inf") || w.equals("infinity");
  }
}
