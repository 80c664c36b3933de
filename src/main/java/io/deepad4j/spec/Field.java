package io.deepad4j.spec;

import io.deepad4j.data.Numbers;
import java.util.ArrayList;
import java.util.List;

/**
 * One key of the spec schema: its type, default, allowed values and a line of documentation.
 * Values are normalised to Integer, Double, Boolean, String or List of those.
 */
public record Field(String key, Type type, Object defaultValue, double min, double max, List<String> choices, String doc) {

  /** Value types a spec key can have. */
  public enum Type { INT, FLOAT, BOOL, STRING, INT_LIST, STRING_LIST }

  public static Field integer(String key, int def, int min, int max, String doc) {
    return new Field(key, Type.INT, def, min, max, List.of(), doc);
  }

  public static Field number(String key, double def, double min, double max, String doc) {
    return new Field(key, Type.FLOAT, def, min, max, List.of(), doc);
  }

  public static Field bool(String key, boolean def, String doc) {
    return new Field(key, Type.BOOL, def, 0, 0, List.of(), doc);
  }

  /** A free string; {@code def} may be null (key optional). */
  public static Field string(String key, String def, String doc) {
    return new Field(key, Type.STRING, def, 0, 0, List.of(), doc);
  }

  public static Field choice(String key, String def, List<String> choices, String doc) {
    return new Field(key, Type.STRING, def, 0, 0, List.copyOf(choices), doc);
  }

  public static Field intList(String key, List<Integer> def, int min, int max, String doc) {
    return new Field(key, Type.INT_LIST, def, min, max, List.of(), doc);
  }

  public static Field stringList(String key, List<String> def, String doc) {
    return new Field(key, Type.STRING_LIST, def, 0, 0, List.of(), doc);
  }

  /** This key with another default (a model's own number of epochs, say). */
  public Field withDefault(Object def) {
    return new Field(key, type, def, min, max, choices, doc);
  }

  /** Converts and checks a raw YAML value; returns the normalised value or throws IllegalArgumentException with the reason. */
  public Object coerce(Object raw) {
    if (raw == null) {
      if (defaultValue == null) {
        return null;
      }
      throw new IllegalArgumentException("must not be null (" + describe() + ")");
    }
    switch (type) {
      case INT -> {
        long v;
        if (raw instanceof Integer || raw instanceof Long) {
          v = ((Number) raw).longValue();
        } else if (raw instanceof Double d && d == Math.rint(d)) {
          v = d.longValue();
        } else {
          throw new IllegalArgumentException("expected an integer, got " + show(raw));
        }
        check(v);
        return (int) v;
      }
      case FLOAT -> {
        double d;
        try {
          if (raw instanceof Number n) {
            d = Numbers.requireFinite(n.doubleValue()); // YAML's .nan and .inf
          } else if (raw instanceof String s) {
            d = Numbers.parseFinite(s); // YAML 1.1 reads 1e-5 as a string; NaN, Infinity and 2f are refused
          } else {
            throw new IllegalArgumentException("expected a number, got " + show(raw));
          }
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("expected a finite number, got " + show(raw) + " (" + e.getMessage() + ")");
        }
        check(d);
        return d;
      }
      case BOOL -> {
        if (!(raw instanceof Boolean b)) {
          throw new IllegalArgumentException("expected true or false, got " + show(raw));
        }
        return b;
      }
      case STRING -> {
        if (raw instanceof List || raw instanceof java.util.Map) {
          throw new IllegalArgumentException("expected a single value, got " + show(raw));
        }
        String s = String.valueOf(raw);
        if (!choices.isEmpty() && !choices.contains(s)) {
          String near = Suggest.closest(s, choices);
          throw new IllegalArgumentException(
              "'" + s + "' is not one of " + choices + (near == null ? "" : "; did you mean '" + near + "'?"));
        }
        return s;
      }
      case INT_LIST -> {
        if (!(raw instanceof List<?> list) || list.isEmpty()) {
          throw new IllegalArgumentException("expected a non-empty list of integers like [15, 7], got " + show(raw));
        }
        List<Integer> out = new ArrayList<>();
        for (Object o : list) {
          if (!(o instanceof Integer i)) {
            throw new IllegalArgumentException("expected a list of integers, found " + show(o));
          }
          check(i);
          out.add(i);
        }
        return List.copyOf(out);
      }
      case STRING_LIST -> {
        if (!(raw instanceof List<?> list)) {
          throw new IllegalArgumentException("expected a list like [a, b], got " + show(raw));
        }
        return list.stream().map(String::valueOf).toList();
      }
      default -> throw new AssertionError(type);
    }
  }

  private void check(double v) {
    if (!(v >= min && v <= max)) { // written so that NaN fails too
      throw new IllegalArgumentException("value " + fmt(v) + " is out of range [" + fmt(min) + ", " + fmt(max) + "]");
    }
  }

  private static String fmt(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return Double.toString(v);
  }

  private static String show(Object raw) {
    if (raw instanceof String s) {
      return "'" + s + "'";
    }
    return String.valueOf(raw);
  }

  /** Short description for error messages and {@code ./runner keys}: type, range, default. */
  public String describe() {
    String t = switch (type) {
      case INT -> "integer in [" + fmt(min) + ", " + fmt(max) + "]";
      case FLOAT -> "number in [" + fmt(min) + ", " + fmt(max) + "]";
      case BOOL -> "true|false";
      case STRING -> choices.isEmpty() ? "string" : String.join(" | ", choices);
      case INT_LIST -> "list of integers";
      case STRING_LIST -> "list of strings";
    };
    return t + ", default " + defaultValue;
  }
}
