package io.deepad4j.sweep;

import io.deepad4j.data.Numbers;
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
  private static final List<String> TOP_KEYS = List.of("base", "sweep");
  private static final List<String> SWEEP_KEYS =
      List.of("method", "samples", "repeats", "parallel", "objective", "seed", "params");
  private static final List<String> SPACE_KEYS = List.of("range", "step", "uniform", "loguniform");
  /** A grid or a random search larger than this is almost certainly a typo (step 0.0001 for 0.001). */
  static final int MAX_TRIALS = 10_000;

  private SweepFileParser() {}

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
    Map<String, NodeTuple> topKeys = keys(top, TOP_KEYS, "", p);
    Path base = baseOverride;
    if (!topKeys.containsKey("base")) {
      p.add(top, "'base:' is missing: the experiment spec to sweep, relative to this file, e.g. base: ../kdd_ae.yaml");
    } else {
      Node v = topKeys.get("base").getValueNode();
      if (!(v instanceof ScalarNode s) || s.getValue().isBlank()) {
        p.add(v, "base: expected the path of an experiment spec, e.g. ../kdd_ae.yaml");
      } else {
        Path dir = file.toAbsolutePath().getParent();
        if (base == null) {
          base = dir == null ? Path.of(s.getValue()) : dir.resolve(s.getValue()).normalize();
          Path cwd = Path.of("").toAbsolutePath();
          base = base.startsWith(cwd) ? cwd.relativize(base) : base; // as the user would write it, in messages and tags
        }
        if (!Files.isRegularFile(base)) {
          p.add(v, "base: no such spec file '" + s.getValue() + "' (looked for " + base + ")");
        }
      }
    }
    if (!topKeys.containsKey("sweep") || !(topKeys.get("sweep").getValueNode() instanceof MappingNode)) {
      p.add(topKeys.containsKey("sweep") ? topKeys.get("sweep").getValueNode() : top,
          "'sweep:' is missing or not a mapping: it holds method, params and the other sweep settings");
      throw p.exception();
    }
    MappingNode sweep = (MappingNode) topKeys.get("sweep").getValueNode();
    Map<String, NodeTuple> k = keys(sweep, SWEEP_KEYS, "sweep.", p);

    SweepConfig.Method method = SweepConfig.Method.GRID;
    if (k.containsKey("method")) {
      String m = scalar(k.get("method").getValueNode());
      if ("grid".equals(m) || "random".equals(m)) {
        method = SweepConfig.Method.valueOf(m.toUpperCase());
      } else {
        p.add(k.get("method").getValueNode(), "sweep.method: '" + m + "' is not one of [grid, random]");
      }
    }
    int samples = 0;
    if (k.containsKey("samples")) {
      if (method == SweepConfig.Method.GRID) {
        p.add(k.get("samples").getKeyNode(), "sweep.samples applies to method: random only; a grid runs every point"
            + " (remove samples or set method: random)");
      } else {
        samples = integer(k.get("samples").getValueNode(), "sweep.samples", 1, MAX_TRIALS, p);
      }
    } else if (method == SweepConfig.Method.RANDOM) {
      p.add(sweep, "sweep.samples is required with method: random (the number of points to draw, e.g. samples: 20)");
    }
    int repeats = k.containsKey("repeats") ? integer(k.get("repeats").getValueNode(), "sweep.repeats", 1, 1000, p) : 1;
    int parallel = k.containsKey("parallel") ? integer(k.get("parallel").getValueNode(), "sweep.parallel", 1, 256, p) : 1;
    Long seed = k.containsKey("seed")
        ? (long) integer(k.get("seed").getValueNode(), "sweep.seed", 0, Integer.MAX_VALUE, p) : null;
    SweepObjective objective = k.containsKey("objective") ? objective(k.get("objective").getValueNode(), p) : SweepObjective.DEFAULT;

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

  private static SweepObjective objective(Node node, Problems p) {
    if (!(node instanceof MappingNode m)) {
      p.add(node, "sweep.objective: expected {metric: roc_auc, mode: max}");
      return SweepObjective.DEFAULT;
    }
    Map<String, NodeTuple> k = keys(m, List.of("metric", "mode"), "sweep.objective.", p);
    String metric = k.containsKey("metric") ? scalar(k.get("metric").getValueNode()) : SweepObjective.DEFAULT.metric();
    if (metric == null || !SweepObjective.METRICS.contains(metric)) {
      String near = metric == null ? null : Suggest.closest(metric, SweepObjective.METRICS);
      p.add(k.get("metric").getValueNode(), "sweep.objective.metric: '" + metric + "' is not a final metric"
          + (near == null ? "" : "; did you mean '" + near + "'?") + " Metrics: " + String.join(", ", SweepObjective.METRICS));
    }
    boolean maximize = true;
    if (k.containsKey("mode")) {
      String mode = scalar(k.get("mode").getValueNode());
      if ("min".equals(mode)) {
        maximize = false;
      } else if (!"max".equals(mode)) {
        p.add(k.get("mode").getValueNode(), "sweep.objective.mode: '" + mode + "' is not one of [max, min]");
      }
    }
    return new SweepObjective(metric, maximize);
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

  private static int integer(Node node, String what, int min, int max, Problems p) {
    Object v = toJava(node);
    if (!(v instanceof Integer i)) {
      p.add(node, what + ": expected an integer, got " + show(v));
      return min;
    }
    if (i < min || i > max) {
      p.add(node, what + ": " + i + " is out of range [" + min + ", " + max + "]");
      return min;
    }
    return i;
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

  /** A YAML node as a Java value: quoted scalars stay strings ("8020"), plain ones are resolved. */
  private static Object toJava(Node node) {
    if (node instanceof ScalarNode s) {
      if (s.getScalarStyle() != DumperOptions.ScalarStyle.PLAIN) {
        return s.getValue();
      }
      return new Yaml(new LoaderOptions()).load(s.getValue());
    }
    if (node instanceof SequenceNode seq) {
      List<Object> list = new ArrayList<>();
      seq.getValue().forEach(n -> list.add(toJava(n)));
      return list;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    for (NodeTuple t : ((MappingNode) node).getValue()) {
      m.put(String.valueOf(toJava(t.getKeyNode())), toJava(t.getValueNode()));
    }
    return m;
  }

  private static String show(Object v) {
    return v instanceof String s ? "'" + s + "'" : String.valueOf(v);
  }

  private static int line(Node n) {
    return n.getStartMark().getLine() + 1;
  }

  /** Problems found so far, each prefixed with file:line. */
  private static final class Problems {
    private final String file;
    private final List<String> list = new ArrayList<>();

    Problems(String file) {
      this.file = file;
    }

    void add(Node at, String message) {
      list.add(file + ":" + line(at) + ": " + message);
    }

    boolean isEmpty() {
      return list.isEmpty();
    }

    SpecException exception() {
      return new SpecException(list);
    }
  }
}
