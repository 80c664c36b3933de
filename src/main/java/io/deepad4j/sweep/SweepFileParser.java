package io.deepad4j.sweep;

import io.deepad4j.data.Numbers;
import io.deepad4j.spec.Field;
import io.deepad4j.spec.SchemaCheck;
import io.deepad4j.spec.SpecException;
import io.deepad4j.spec.YamlText;
import io.deepad4j.spec.Suggest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads a sweep file (docs/SPECS.md, sweep files): {@code base:} plus a {@code sweep:} block. Every problem is
 * reported together, as {@code file:line: what is wrong and what to write instead}, like
 * {@link io.deepad4j.spec.SpecLoader}. The swept keys and their values are checked later, against
 * the base spec's schema, by {@link SweepPlanner}.
 */
public final class SweepFileParser {
  /** A grid or a random search larger than this is almost certainly a typo (step 0.0001 for 0.001). */
  static final int MAX_TRIALS = 10_000;
  /** The sweep file's settings, checked by the spec's own checker ({@link SchemaCheck}); sweep.params is read below. */
  private static final Map<String, Field> SCHEMA = schema(
      Field.string("base", null, "the experiment spec to sweep, relative to the sweep file"),
      Field.choice("sweep.method", "grid", List.of("grid", "random"), "grid: every point; random: samples points"),
      new Field("sweep.samples", Field.Type.INT, null, 1, MAX_TRIALS, List.of(), "points drawn by method: random"),
      Field.integer("sweep.repeats", 1, 1, 1000, "runs per point (seed, seed + 1, ...)"),
      Field.integer("sweep.parallel", 1, 1, 256, "trials at once"),
      new Field("sweep.seed", Field.Type.INT, null, 0, Integer.MAX_VALUE, List.of(), "seed of the random search"),
      Field.choice("sweep.objective.metric", SweepObjective.DEFAULT.metric(), SweepObjective.METRICS, "a final metric"),
      Field.choice("sweep.objective.mode", "max", List.of("max", "min"), "whether higher or lower is better"));
  private static final java.util.Set<String> SECTIONS = java.util.Set.of("sweep", "sweep.objective");
  private static final List<String> SPACE_KEYS = List.of("range", "step", "uniform", "loguniform");

  private SweepFileParser() {}

  /** Fields by key, in the order given. */
  static Map<String, Field> schema(Field... fields) {
    Map<String, Field> m = new LinkedHashMap<>();
    for (Field f : fields) {
      m.put(f.key(), f);
    }
    return m;
  }

  public static SweepConfig parse(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new SpecException(file + ": no such sweep file");
    } catch (IOException e) {
      throw new SpecException(file + ": cannot read (" + e.getMessage() + ")");
    }
    return parse(file, text);
  }

  /** Parses {@code text}; {@code base:} is resolved against the folder of {@code file}. */
  public static SweepConfig parse(Path file, String text) {
    return parse(file, text, null);
  }

  /**
   * Parses {@code text} with {@code base} (when not null) in place of the file's {@code base:} path:
   * a resumed sweep reads its copy, sweep.yaml, whose relative base no longer resolves.
   */
  public static SweepConfig parse(Path file, String text, Path baseOverride) {
    String name = file.toString();
    Node root = YamlText.compose(name, text);
    if (!(root instanceof MappingNode top)) {
      throw new SpecException(name + ": a sweep file is a mapping with 'base:' (the experiment spec) and 'sweep:'"
          + " (method, params, ...); see experiments/sweeps/");
    }
    Problems p = new Problems(name);
    Node sweepNode = value(top, "sweep");
    if (!(sweepNode instanceof MappingNode sweep)) {
      p.add(sweepNode != null ? sweepNode : top,
          "'sweep:' is missing or not a mapping: it holds method, params and the other sweep settings");
      throw p.exception();
    }
    Map<String, SchemaCheck.Raw> raw = new LinkedHashMap<>();
    SchemaCheck.flatten(top, "", name, SECTIONS, raw, p.list);
    if (raw.containsKey("sweep.objective")) {
      p.addAt(raw.get("sweep.objective").where(), "sweep.objective: expected {metric: roc_auc, mode: max}");
    }
    Map<String, Object> v = SchemaCheck.check(raw, SCHEMA,
        key -> key.equals("sweep") || key.equals("sweep.params") || key.equals("sweep.objective"), section -> section,
        p.list);

    Path base = baseOverride;
    Node baseNode = value(top, "base");
    if (baseNode == null) {
      p.add(top, "'base:' is missing: the experiment spec to sweep, relative to this file, e.g. base: ../kdd_ae.yaml");
    } else if (v.get("base") instanceof String b && !b.isBlank()) {
      Path dir = file.toAbsolutePath().getParent();
      if (base == null) {
        base = dir == null ? Path.of(b) : dir.resolve(b).normalize();
        Path cwd = Path.of("").toAbsolutePath();
        base = base.startsWith(cwd) ? cwd.relativize(base) : base; // as the user would write it, in messages and tags
      }
      if (!Files.isRegularFile(base)) {
        p.add(baseNode, "base: no such spec file '" + b + "' (looked for " + base + ")");
      }
    } else {
      p.add(baseNode, "base: expected the path of an experiment spec, e.g. ../kdd_ae.yaml");
    }

    SweepConfig.Method method = SweepConfig.Method.valueOf(((String) v.get("sweep.method")).toUpperCase(java.util.Locale.ROOT));
    int samples = 0;
    if (raw.containsKey("sweep.samples") && method == SweepConfig.Method.GRID) {
      p.addAt(raw.get("sweep.samples").where(), "sweep.samples applies to method: random only; a grid runs every point"
          + " (remove samples or set method: random)");
    } else if (v.get("sweep.samples") instanceof Integer n) {
      samples = n;
    } else if (method == SweepConfig.Method.RANDOM && !raw.containsKey("sweep.samples")) {
      p.add(sweep, "sweep.samples is required with method: random (the number of points to draw, e.g. samples: 20)");
    }
    int repeats = (Integer) v.get("sweep.repeats");
    int parallel = (Integer) v.get("sweep.parallel");
    Long seed = v.get("sweep.seed") instanceof Integer n ? (long) n : null;
    SweepObjective objective = new SweepObjective((String) v.get("sweep.objective.metric"),
        "max".equals(v.get("sweep.objective.mode")));
    Map<String, NodeTuple> k = new LinkedHashMap<>();
    for (NodeTuple t : sweep.getValue()) {
      if (t.getKeyNode() instanceof ScalarNode key) {
        k.putIfAbsent(key.getValue(), t);
      }
    }

    Map<String, ParamSpace> params = new LinkedHashMap<>();
    Map<String, String> lines = new LinkedHashMap<>();
    if (!k.containsKey("params") || !(k.get("params").getValueNode() instanceof MappingNode pm) || pm.getValue().isEmpty()) {
      p.add(k.containsKey("params") ? k.get("params").getValueNode() : sweep,
          "sweep.params is missing or empty: list the spec keys to vary, e.g. model.learning_rate: [0.001, 0.01]");
    } else {
      for (NodeTuple t : pm.getValue()) {
        String key = scalar(t.getKeyNode());
        if (key == null) {
          p.add(t.getKeyNode(), "sweep.params: keys must be dotted spec keys like model.latent_dim");
          continue;
        }
        if (params.containsKey(key)) {
          p.add(t.getKeyNode(), "sweep.params." + key + " is given twice (first at " + lines.get(key) + ")");
          continue;
        }
        ParamSpace space = space(key, t.getValueNode(), method, p);
        if (space != null) {
          params.put(key, space);
          lines.put(key, name + ":" + line(t.getKeyNode()));
        }
      }
    }
    double points = 1; // a double: a large grid must give a message, not an overflow
    for (ParamSpace s : params.values()) {
      points *= s.discrete() ? s.gridValues().size() : Double.POSITIVE_INFINITY;
    }
    if (method == SweepConfig.Method.GRID && points * repeats > MAX_TRIALS) {
      p.add(k.get("params").getKeyNode(), "the grid has " + (long) points + " points x " + repeats + " repeats, more"
          + " than " + MAX_TRIALS + " trials; use coarser steps or method: random");
    }
    if (method == SweepConfig.Method.RANDOM && samples > points) {
      p.add(k.get("samples").getValueNode(), "sweep.samples " + samples + " is more than the " + (long) points
          + " distinct points of the space; use method: grid, fewer samples or a continuous space (uniform)");
    }
    if (!p.isEmpty()) {
      throw p.exception();
    }
    return new SweepConfig(file, text, base, method, samples, repeats, parallel, objective, seed, params, lines);
  }

  /** Writes a sweep file for {@code --sweep} on the command line (grid over the listed choices). */
  public static String gridFileText(Path base, Map<String, List<Object>> choices, int repeats, int parallel,
      SweepObjective objective, String commandLine) {
    Map<String, Object> sweep = new LinkedHashMap<>();
    sweep.put("method", "grid");
    sweep.put("repeats", repeats);
    sweep.put("parallel", parallel);
    sweep.put("objective", Map.of("metric", objective.metric(), "mode", objective.mode()));
    sweep.put("params", new LinkedHashMap<>(choices));
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("base", base.toAbsolutePath().normalize().toString());
    root.put("sweep", sweep);
    DumperOptions o = new DumperOptions();
    o.setDefaultFlowStyle(DumperOptions.FlowStyle.AUTO);
    o.setWidth(200);
    return "# written for: " + commandLine.replace('\n', ' ') + "\n" + new Yaml(o).dump(root);
  }

  private static ParamSpace space(String key, Node node, SweepConfig.Method method, Problems p) {
    String what = "sweep.params." + key;
    if (node instanceof SequenceNode seq) {
      if (seq.getValue().isEmpty()) {
        p.add(node, what + ": the list of choices is empty");
        return null;
      }
      List<Object> values = new ArrayList<>();
      seq.getValue().forEach(n -> values.add(toJava(n)));
      return new ParamSpace.Choices(values);
    }
    if (!(node instanceof MappingNode m)) {
      p.add(node, what + ": expected a list of choices [a, b], {range: [a, b], step: s}, {uniform: [a, b]} or"
          + " {loguniform: [a, b]}");
      return null;
    }
    Map<String, NodeTuple> k = keys(m, SPACE_KEYS, what + ".", p);
    List<String> kinds = k.keySet().stream().filter(x -> !x.equals("step")).toList();
    if (kinds.size() != 1) {
      p.add(node, what + ": give exactly one of range, uniform or loguniform (found " + kinds + ")");
      return null;
    }
    String kind = kinds.get(0);
    Node boundsNode = k.get(kind).getValueNode();
    Object[] bounds = pair(boundsNode, what + "." + kind, p);
    if (!kind.equals("range") && k.containsKey("step")) {
      p.add(k.get("step").getKeyNode(), what + ": step belongs to range, not to " + kind);
    }
    if (bounds == null) {
      return null;
    }
    double a = ((Number) bounds[0]).doubleValue();
    double b = ((Number) bounds[1]).doubleValue();
    switch (kind) {
      case "range" -> {
        boolean ints = isInt(bounds[0]) && isInt(bounds[1]);
        Object step = 1;
        if (k.containsKey("step")) {
          step = number(toJava(k.get("step").getValueNode()));
          if (step == null || ((Number) step).doubleValue() <= 0) {
            p.add(k.get("step").getValueNode(), what + ".step: expected a number > 0");
            return null;
          }
        } else if (!ints) {
          p.add(node, what + ": a range of floats needs a step, e.g. {range: [" + a + ", " + b + "], step: 0.1}");
          return null;
        }
        ints = ints && isInt(step);
        double s = ((Number) step).doubleValue();
        if (a > b) {
          p.add(boundsNode, what + ".range: the first bound " + a + " is above the second " + b);
          return null;
        }
        if ((b - a) / s >= MAX_TRIALS) {
          p.add(node, what + ": " + (long) ((b - a) / s + 1) + " values; the step is probably too small");
          return null;
        }
        return new ParamSpace.Range(a, b, s, ints);
      }
      case "uniform", "loguniform" -> {
        if (method == SweepConfig.Method.GRID) {
          p.add(k.get(kind).getKeyNode(), what + ": " + kind + " is for method: random only; a grid needs a list"
              + " of choices or a {range: [a, b], step: s}");
          return null;
        }
        if (!(a < b)) {
          p.add(boundsNode, what + "." + kind + ": expected [low, high] with low < high, got [" + a + ", " + b + "]");
          return null;
        }
        if (kind.equals("loguniform") && a <= 0) {
          p.add(boundsNode, what + ".loguniform: the bounds must be > 0 (a log scale), got [" + a + ", " + b + "]");
          return null;
        }
        return kind.equals("uniform") ? new ParamSpace.Uniform(a, b) : new ParamSpace.LogUniform(a, b);
      }
      default -> throw new AssertionError(kind);
    }
  }

  private static Object[] pair(Node node, String what, Problems p) {
    if (node instanceof SequenceNode seq && seq.getValue().size() == 2) {
      Number a = number(toJava(seq.getValue().get(0)));
      Number b = number(toJava(seq.getValue().get(1)));
      if (a != null && b != null) {
        return new Object[] {a, b};
      }
    }
    p.add(node, what + ": expected two numbers [a, b]");
    return null;
  }

  /** The mapping's keys by name, reporting unknown ones with the closest valid key. */
  private static Map<String, NodeTuple> keys(MappingNode map, List<String> valid, String prefix, Problems p) {
    Map<String, NodeTuple> out = new LinkedHashMap<>();
    for (NodeTuple t : map.getValue()) {
      String key = scalar(t.getKeyNode());
      if (key == null || !valid.contains(key)) {
        String near = key == null ? null : Suggest.closest(key, valid);
        p.add(t.getKeyNode(), "unknown key '" + prefix + key + "'" + (near == null ? "" : "; did you mean '" + prefix
            + near + "'?") + " Valid keys" + (prefix.isEmpty() ? "" : " under " + prefix.substring(0, prefix.length() - 1))
            + ": " + String.join(", ", valid));
      } else if (out.containsKey(key)) {
        p.add(t.getKeyNode(), "key '" + prefix + key + "' is given twice (first at line " + line(out.get(key).getKeyNode()) + ")");
      } else {
        out.put(key, t);
      }
    }
    return out;
  }

  private static String scalar(Node node) {
    return node instanceof ScalarNode s ? s.getValue() : null;
  }

  /** A number from YAML; YAML 1.1 reads 1e-5 (no dot) as a string, so strings are parsed too. */
  static Number number(Object v) {
    try {
      if (v instanceof Number n) {
        return n instanceof Double d ? Numbers.requireFinite(d) : n;
      }
      return v instanceof String s ? Numbers.parseFinite(s) : null;
    } catch (NumberFormatException e) {
      return null; // NaN, Infinity, 2f: not a number here either
    }
  }

  private static boolean isInt(Object n) {
    return n instanceof Integer || n instanceof Long;
  }

  private static String show(Object v) {
    return v instanceof String s ? "'" + s + "'" : String.valueOf(v);
  }

  private static int line(Node n) {
    return SchemaCheck.line(n);
  }

  private static Object toJava(Node node) {
    return SchemaCheck.toJava(node);
  }

  /** The value node of {@code key} in {@code map}, or null. */
  private static Node value(MappingNode map, String key) {
    for (NodeTuple t : map.getValue()) {
      if (t.getKeyNode() instanceof ScalarNode s && s.getValue().equals(key)) {
        return t.getValueNode();
      }
    }
    return null;
  }

  /** Problems found so far, each prefixed with file:line. */
  private static final class Problems {
    private final String file;
    final List<String> list = new ArrayList<>();

    Problems(String file) {
      this.file = file;
    }

    void add(Node at, String message) {
      list.add(file + ":" + line(at) + ": " + message);
    }

    /** A problem at {@code where} ("file:line"). */
    void addAt(String where, String message) {
      list.add(where + ": " + message);
    }

    boolean isEmpty() {
      return list.isEmpty();
    }

    SpecException exception() {
      return new SpecException(list);
    }
  }
}
