package io.deepad4j.spec;

import io.deepad4j.tracking.UriCredentials;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * A validated spec: every key (defaults filled in, overrides applied) with a normalised value,
 * in schema order. Immutable. Keys are dotted ("model.latent_dim").
 */
public final class ResolvedSpec {
  private final Path source;
  private final String sourceText;
  private final Map<String, Object> values;
  private final List<String> overrides;

  /**
   * Credentials written into a URI ({@code tracking.uri: http://user:password@host}) are removed here,
   * from the values, the text and the overrides, so that no sink (config.yaml, run.json, MLflow params
   * and description, logs) ever sees them; {@link UriCredentials} keeps them in memory to connect.
   */
  ResolvedSpec(Path source, String sourceText, Map<String, Object> values, List<String> overrides) {
    this.source = source;
    this.sourceText = UriCredentials.redact(sourceText);
    this.overrides = overrides.stream().map(UriCredentials::redact).toList();
    // the values last: the credentials remembered for a server are those of the value in effect
    Map<String, Object> clean = new LinkedHashMap<>();
    values.forEach((k, v) -> clean.put(k, withoutUserInfo(v)));
    this.values = java.util.Collections.unmodifiableMap(clean);
  }

  private static Object withoutUserInfo(Object value) {
    if (value instanceof String s) {
      return UriCredentials.redact(s);
    }
    if (value instanceof List<?> list && list.stream().anyMatch(e -> e instanceof String)) {
      return list.stream().map(e -> e instanceof String s ? UriCredentials.redact(s) : e).toList();
    }
    return value;
  }

  public Path source() {
    return source;
  }

  /** The spec file as the user wrote it. */
  public String sourceText() {
    return sourceText;
  }

  public List<String> overrides() {
    return overrides;
  }

  public Map<String, Object> values() {
    return values;
  }

  public boolean has(String key) {
    return values.get(key) != null;
  }

  public Object get(String key) {
    if (!values.containsKey(key)) {
      throw new IllegalArgumentException("no spec key '" + key + "'");
    }
    return values.get(key);
  }

  public String getString(String key) {
    Object v = get(key);
    return v == null ? null : v.toString();
  }

  public int getInt(String key) {
    return (Integer) get(key);
  }

  public long getLong(String key) {
    return ((Number) get(key)).longValue();
  }

  public double getDouble(String key) {
    return ((Number) get(key)).doubleValue();
  }

  public boolean getBool(String key) {
    return (Boolean) get(key);
  }

  @SuppressWarnings("unchecked")
  public List<Integer> getIntList(String key) {
    return (List<Integer>) get(key);
  }

  @SuppressWarnings("unchecked")
  public List<String> getStringList(String key) {
    return (List<String>) get(key);
  }

  public String experiment() {
    return getString("experiment");
  }

  public String runName() {
    return getString("run_name");
  }

  public long seed() {
    return getLong("seed");
  }

  public String modelType() {
    return getString("model.type");
  }

  /** A copy with other values (used by sweeps and benchmarks after validation by {@link SpecLoader}). */
  public ResolvedSpec with(Map<String, Object> changed, List<String> moreOverrides) {
    Map<String, Object> v = new LinkedHashMap<>(values);
    v.putAll(changed);
    List<String> o = new java.util.ArrayList<>(overrides);
    o.addAll(moreOverrides);
    return new ResolvedSpec(source, sourceText, v, o);
  }

  /** Every key with its value as text, for MLflow params (lists as [a, b], null as "null"). */
  public Map<String, String> flatParams() {
    Map<String, String> out = new LinkedHashMap<>();
    values.forEach((k, v) -> out.put(k, String.valueOf(v)));
    return out;
  }

  /** The resolved spec as nested YAML (config.yaml of every run). */
  public String toYaml() {
    Map<String, Object> root = new LinkedHashMap<>();
    values.forEach(
        (key, v) -> {
          String[] parts = key.split("\\.");
          Map<String, Object> m = root;
          for (int i = 0; i < parts.length - 1; i++) {
            @SuppressWarnings("unchecked")
            Map<String, Object> next = (Map<String, Object>) m.computeIfAbsent(parts[i], p -> new LinkedHashMap<String, Object>());
            m = next;
          }
          m.put(parts[parts.length - 1], v);
        });
    DumperOptions o = new DumperOptions();
    o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    o.setIndent(2);
    StringBuilder header = new StringBuilder("# resolved from ").append(source == null ? "(no file)" : source.toString());
    if (!overrides.isEmpty()) {
      header.append(" with ").append(String.join(" ", overrides));
    }
    return header.append('\n').append(new Yaml(o).dump(root)).toString();
  }
}
