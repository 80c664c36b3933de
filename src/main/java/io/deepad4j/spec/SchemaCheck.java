package io.deepad4j.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * The one check of keyed values against their {@link Field}s, for experiment specs ({@link SpecLoader})
 * and the settings of sweep files alike: YAML flattened to dotted keys with where each came from,
 * unknown keys reported with the closest valid one, values coerced and range-checked by their field,
 * defaults filled in. Problems are collected, each as {@code file:line: what is wrong}.
 */
public final class SchemaCheck {
  private SchemaCheck() {}

  /** A raw value and where it came from ({@code file:line}, or the override that set it). */
  public record Raw(Object value, String where) {}

  /**
   * Adds the entries of {@code map} to {@code out} as dotted keys under {@code prefix}; the mappings
   * under the (dotted) keys in {@code sections} are walked into, any other mapping is kept as a value (for the
   * schema to refuse where a value is expected).
   */
  public static void flatten(MappingNode map, String prefix, String name, Set<String> sections, Map<String, Raw> out,
      List<String> problems) {
    for (NodeTuple t : map.getValue()) {
      if (!(t.getKeyNode() instanceof ScalarNode keyNode)) {
        problems.add(name + ":" + line(t.getKeyNode()) + ": keys must be plain names");
        continue;
      }
      String key = prefix + keyNode.getValue();
      Node v = t.getValueNode();
      String where = name + ":" + line(keyNode);
      if (out.containsKey(key)) {
        problems.add(where + ": key '" + key + "' is given twice (first at " + out.get(key).where() + ")");
      }
      if (v instanceof MappingNode m && sections.contains(key)) {
        flatten(m, key + ".", name, sections, out, problems);
      } else {
        out.put(key, new Raw(toJava(v), where));
      }
    }
  }

  /**
   * Checks {@code raw} against {@code schema} and returns every field's value in schema order (the
   * given one, coerced, or the default). Unknown keys are problems that name the closest valid key and
   * the valid keys of their section, except those {@code unjudged} (keys that cannot be judged yet).
   *
   * @param sectionName how a section is named in "Valid keys under ..." (e.g. "model (ae)")
   */
  public static Map<String, Object> check(Map<String, Raw> raw, Map<String, Field> schema, Predicate<String> unjudged,
      UnaryOperator<String> sectionName, List<String> problems) {
    for (var e : raw.entrySet()) {
      String key = e.getKey();
      if (schema.containsKey(key) || unjudged.test(key)) {
        continue;
      }
      String near = Suggest.closest(key, schema.keySet());
      String section = key.contains(".") ? key.substring(0, key.lastIndexOf('.')) : "";
      List<String> siblings = schema.keySet().stream()
          .filter(k -> section.isEmpty() ? !k.contains(".") : k.startsWith(section + ".")).toList();
      problems.add(e.getValue().where() + ": unknown key '" + key + "'"
          + (near != null ? "; did you mean '" + near + "'?" : "")
          + (siblings.isEmpty() ? "" : " Valid keys" + (section.isEmpty() ? "" : " under " + sectionName.apply(section))
              + ": " + String.join(", ", siblings)));
    }
    Map<String, Object> given = new LinkedHashMap<>();
    // coerced in the order the user wrote the keys, so problems come out in line order
    for (var e : raw.entrySet()) {
      Field f = schema.get(e.getKey());
      if (f == null) {
        continue;
      }
      try {
        given.put(f.key(), f.coerce(e.getValue().value()));
      } catch (IllegalArgumentException ex) {
        problems.add(e.getValue().where() + ": " + f.key() + ": " + ex.getMessage());
      }
    }
    Map<String, Object> values = new LinkedHashMap<>();
    for (Field f : schema.values()) {
      values.put(f.key(), given.containsKey(f.key()) ? given.get(f.key()) : f.defaultValue());
    }
    return values;
  }

  /** A YAML node as a Java value: quoted scalars stay strings ("8020"), plain ones are resolved. */
  public static Object toJava(Node node) {
    if (node instanceof ScalarNode s) {
      if (s.getScalarStyle() != DumperOptions.ScalarStyle.PLAIN) {
        return s.getValue();
      }
      return new Yaml(new LoaderOptions()).load(s.getValue());
    }
    if (node instanceof SequenceNode seq) {
      List<Object> list = new ArrayList<>();
      for (Node n : seq.getValue()) {
        list.add(toJava(n));
      }
      return list;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    for (NodeTuple t : ((MappingNode) node).getValue()) {
      m.put(String.valueOf(toJava(t.getKeyNode())), toJava(t.getValueNode()));
    }
    return m;
  }

  /** The node's line, 1-based. */
  public static int line(Node n) {
    return n.getStartMark().getLine() + 1;
  }
}
