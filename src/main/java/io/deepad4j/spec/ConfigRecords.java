package io.deepad4j.spec;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bridge between a model's configuration record, whose components carry {@link Param}, and the
 * spec: {@link #fields} is the record's part of the schema, {@link #bind} the record built from a
 * resolved spec's values. Nothing else names a model's keys.
 */
public final class ConfigRecords {
  private static final Pattern CAMEL = Pattern.compile("([a-z0-9])([A-Z])");

  private ConfigRecords() {}

  /** The keys of {@code type} (without the {@code model.} prefix), in component order, nested records flattened. */
  public static List<Field> fields(Class<? extends Record> type) {
    List<Field> out = new ArrayList<>();
    for (RecordComponent c : type.getRecordComponents()) {
      Param p = c.getAnnotation(Param.class);
      if (p == null) {
        out.addAll(fields(nested(type, c)));
        continue;
      }
      out.add(field(type, c, p));
    }
    return List.copyOf(out);
  }

  /** The record of {@code type} with the values of {@code spec}'s {@code prefix + key} entries (e.g. "model."). */
  public static <R extends Record> R bind(Class<R> type, ResolvedSpec spec, String prefix) {
    return build(type, key -> spec.get(prefix + key));
  }

  /**
   * The record of {@code type} with the given values by spec key ({@code latent_dim}; enums by their spec
   * name or constant) and every other key at its declared default, checked as a spec's values are: code and
   * tests that build a configuration name only the keys they care about, so adding a key is one edit.
   *
   * @throws IllegalArgumentException for a key {@code type} does not have or a value its field refuses
   */
  public static <R extends Record> R of(Class<R> type, Map<String, ?> values) {
    Map<String, Field> fields = new java.util.LinkedHashMap<>();
    fields(type).forEach(f -> fields.put(f.key(), f));
    for (String key : values.keySet()) {
      if (!fields.containsKey(key)) {
        throw new IllegalArgumentException(type.getSimpleName() + " has no key '" + key + "'; keys: " + fields.keySet());
      }
    }
    return build(type, key -> {
      Field f = fields.get(key);
      Object v = values.get(key);
      return v == null ? f.defaultValue() : f.coerce(v instanceof Enum<?> e ? name(e) : v);
    });
  }

  private static <R extends Record> R build(Class<R> type, java.util.function.Function<String, Object> value) {
    RecordComponent[] components = type.getRecordComponents();
    Object[] args = new Object[components.length];
    for (int i = 0; i < components.length; i++) {
      RecordComponent c = components[i];
      args[i] = c.getAnnotation(Param.class) == null
          ? build(nested(type, c), value)
          : convert(c, value.apply(key(c)));
    }
    try {
      Constructor<R> ctor = type.getDeclaredConstructor(Arrays.stream(components).map(RecordComponent::getType).toArray(Class[]::new));
      ctor.setAccessible(true);
      return ctor.newInstance(args);
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot build " + type.getName() + ": " + e, e);
    }
  }

  /** {@code latentDim} -> {@code latent_dim}; {@code dLearningRate} -> {@code d_learning_rate}. */
  static String key(RecordComponent c) {
    String name = c.getName();
    return CAMEL.matcher(name).replaceAll("$1_$2").toLowerCase(Locale.ROOT);
  }

  /** The spec name of an enum constant: its name in lower case ({@code LEAKY_RELU} -> {@code leaky_relu}). */
  public static String name(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT);
  }

  @SuppressWarnings("unchecked")
  private static Class<? extends Record> nested(Class<?> owner, RecordComponent c) {
    if (!c.getType().isRecord()) {
      throw new IllegalStateException(owner.getName() + "." + c.getName() + " needs @Param (or a record type, whose keys are flattened)");
    }
    return (Class<? extends Record>) c.getType();
  }

  private static Field field(Class<?> owner, RecordComponent c, Param p) {
    String key = key(c);
    Class<?> t = c.getType();
    String where = owner.getSimpleName() + "." + c.getName();
    try {
      if (t == int.class) {
        return Field.integer(key, Integer.parseInt(p.value()), (int) Math.max(p.min(), Integer.MIN_VALUE),
            (int) Math.min(p.max(), Integer.MAX_VALUE), p.doc());
      }
      if (t == double.class) {
        return Field.number(key, Double.parseDouble(p.value()), p.min(), p.max(), p.doc());
      }
      if (t == boolean.class) {
        if (!p.value().equals("true") && !p.value().equals("false")) {
          throw new IllegalArgumentException("default '" + p.value() + "' is not true or false");
        }
        return Field.bool(key, Boolean.parseBoolean(p.value()), p.doc());
      }
      if (t.isEnum()) {
        List<String> names = Arrays.stream(t.getEnumConstants()).map(e -> name((Enum<?>) e)).toList();
        if (!names.contains(p.value())) {
          throw new IllegalArgumentException("default '" + p.value() + "' is not one of " + names);
        }
        return Field.choice(key, p.value(), names, p.doc());
      }
      if (t == List.class && c.getGenericType() instanceof ParameterizedType pt
          && pt.getActualTypeArguments()[0] == Integer.class) {
        List<Integer> def = Arrays.stream(p.value().replaceAll("[\\[\\]\\s]", "").split(",")).map(Integer::valueOf).toList();
        return Field.intList(key, def, (int) Math.max(p.min(), Integer.MIN_VALUE), (int) Math.min(p.max(), Integer.MAX_VALUE), p.doc());
      }
    } catch (IllegalArgumentException e) { // a programming error in the declaration: fail at start-up, named
      throw new IllegalStateException(where + ": " + e.getMessage(), e);
    }
    throw new IllegalStateException(where + ": type " + c.getGenericType() + " is not a spec type"
        + " (int, double, boolean, an enum, List<Integer>)");
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Object convert(RecordComponent c, Object value) {
    Class<?> t = c.getType();
    if (t == int.class) {
      return ((Number) value).intValue();
    }
    if (t == double.class) {
      return ((Number) value).doubleValue();
    }
    if (t.isEnum()) {
      return Enum.valueOf((Class<? extends Enum>) t, value.toString().toUpperCase(Locale.ROOT));
    }
    return value; // boolean, List<Integer>: already normalised by Field.coerce
  }
}
