package io.deepad4j.sweep;

import io.deepad4j.spec.Field;
import io.deepad4j.spec.SchemaCheck;
import io.deepad4j.spec.SpecException;
import io.deepad4j.spec.SpecSchema;
import io.deepad4j.spec.YamlText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A benchmark suite file (docs/SPECS.md, suite files): ADBench data sets x experiment specs x seeds, run by
 * {@link SuiteRunner}. Its keys are checked by the spec's own checker ({@link SchemaCheck}); every problem is
 * reported together as {@code file:line: what is wrong}, before anything runs.
 *
 * @param file the suite file, for messages
 * @param text the file as written, copied into the suite's folder
 * @param name the suite's name: its folder {@code outputs/bench/<name>-<stamp>/} and its trials' run names
 * @param experiment the MLflow experiment of the parent run and of every trial
 * @param dataDir the folder of the .npz files for every trial ({@code dataset.data_dir}); null = each spec's own
 * @param ecg5000DataDir the folder of the ECG5000 files when {@value #ECG5000} is among the data sets; null = the
 *     data set's default (data/ecg5000)
 * @param datasets ADBench data sets ({@code dataset.subset}) and {@value #ECG5000} (the FF12 report's second data
 *     set under its own protocol, {@code dataset.name: ecg5000}), in the order written
 * @param specs the experiment specs, resolved against the suite file's folder
 * @param seeds the seeds of every (data set, spec) pair: each seed draws the split and the detector
 * @param parallel trials at once (threads per trial = cores / parallel, as in a sweep)
 * @param lines where each data set and spec entry is written ({@code file:line}), for messages about it
 */
public record SuiteFile(Path file, String text, String name, String experiment, String dataDir, String ecg5000DataDir,
    List<String> datasets, List<Path> specs, List<Integer> seeds, int parallel, Map<String, String> lines) {
  /** The data-set entry that is ECG5000 rather than an ADBench set. */
  public static final String ECG5000 = "ecg5000";

  private static final Map<String, Field> SCHEMA = SweepFileParser.schema(
      Field.string("name", null, "the suite's name (folder and run names); default: the file's name without .yaml"),
      Field.string("experiment", null, "MLflow experiment of the parent run and every trial; default: the name"),
      Field.string("data_dir", null, "dataset.data_dir of every trial (the .npz files); default: each spec's own"),
      Field.string("ecg5000_data_dir", null, "where the ECG5000 files are for its entry; default: data/ecg5000"),
      Field.stringList("datasets", null, "ADBench data sets and ecg5000, e.g. [6_cardio, 14_glass, ecg5000]"),
      Field.stringList("specs", null, "experiment specs (dataset.name: adbench), relative to the suite file"),
      Field.intList("seeds", List.of(1, 2, 3), 0, Integer.MAX_VALUE, "seeds of every data set and spec"),
      Field.integer("parallel", 2, 1, 256, "trials at once; threads per trial = cores / parallel"));

  public SuiteFile {
    datasets = List.copyOf(datasets);
    specs = List.copyOf(specs);
    seeds = List.copyOf(seeds);
    lines = Map.copyOf(lines);
  }

  /** The keys of a suite file, for docs and messages. */
  public static Map<String, Field> schema() {
    return SCHEMA;
  }

  public static SuiteFile parse(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new SpecException(file + ": no such suite file");
    } catch (IOException e) {
      throw new SpecException(file + ": cannot read (" + e.getMessage() + ")");
    }
    return parse(file, text);
  }

  /** Parses {@code text}; {@code specs} are resolved against the folder of {@code file}. */
  public static SuiteFile parse(Path file, String text) {
    String where = file.toString();
    Node root = YamlText.compose(where, text);
    if (!(root instanceof MappingNode top)) {
      throw new SpecException(where + ": a suite file is a mapping with datasets:, specs: and seeds:; see"
          + " experiments/suites/adbench.yaml");
    }
    List<String> problems = new ArrayList<>();
    Map<String, SchemaCheck.Raw> raw = new LinkedHashMap<>();
    SchemaCheck.flatten(top, "", where, Set.of(), raw, problems);
    Map<String, Object> v = SchemaCheck.check(raw, SCHEMA, key -> false, section -> section, problems);
    for (String required : List.of("datasets", "specs")) {
      if (!raw.containsKey(required)) {
        problems.add(where + ":" + SchemaCheck.line(top) + ": '" + required + ":' is missing: "
            + SCHEMA.get(required).doc());
      }
    }

    Map<String, String> lines = new LinkedHashMap<>();
    List<String> datasets = new ArrayList<>();
    Field subset = SpecSchema.TOP_LEVEL.stream().filter(f -> f.key().equals("dataset.subset")).findFirst().orElseThrow();
    for (var entry : entries(top, "datasets", where)) {
      String name = entry.getKey();
      String line = entry.getValue();
      if (datasets.contains(name)) {
        problems.add(line + ": data set " + name + " is listed twice (first at " + lines.get(name) + ")");
        continue;
      }
      try {
        if (!name.equals(ECG5000)) {
          subset.coerce(name);
        }
        datasets.add(name);
        lines.put(name, line);
      } catch (IllegalArgumentException e) {
        problems.add(line + ": datasets: " + e.getMessage());
      }
    }
    List<Path> specs = new ArrayList<>();
    Path dir = file.toAbsolutePath().getParent();
    Path cwd = Path.of("").toAbsolutePath();
    for (var entry : entries(top, "specs", where)) {
      String name = entry.getKey();
      String line = entry.getValue();
      Path spec = dir == null ? Path.of(name) : dir.resolve(name).normalize();
      spec = spec.startsWith(cwd) ? cwd.relativize(spec) : spec; // as the user would write it, in messages
      if (specs.contains(spec)) {
        problems.add(line + ": spec " + name + " is listed twice (first at " + lines.get(spec.toString()) + ")");
      } else if (!Files.isRegularFile(spec)) {
        problems.add(line + ": specs: no such spec file '" + name + "' (looked for " + spec + ")");
      } else {
        specs.add(spec);
        lines.put(spec.toString(), line);
      }
    }
    if (raw.containsKey("datasets") && v.get("datasets") instanceof List<?> l && l.isEmpty()) {
      problems.add(raw.get("datasets").where() + ": datasets: the list is empty; name at least one data set");
    }
    if (raw.containsKey("specs") && v.get("specs") instanceof List<?> l && l.isEmpty()) {
      problems.add(raw.get("specs").where() + ": specs: the list is empty; name at least one experiment spec");
    }
    @SuppressWarnings("unchecked")
    List<Integer> seeds = v.get("seeds") instanceof List<?> s ? (List<Integer>) s : List.of();
    if (new HashSet<>(seeds).size() < seeds.size()) {
      problems.add(raw.get("seeds").where() + ": seeds: " + seeds + " repeats a seed; each seed runs once");
    }
    if (!problems.isEmpty()) {
      throw new SpecException(problems);
    }
    String stem = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
    String name = v.get("name") instanceof String n && !n.isBlank() ? n : stem;
    String experiment = v.get("experiment") instanceof String e && !e.isBlank() ? e : name;
    return new SuiteFile(file, text, name, experiment, (String) v.get("data_dir"), (String) v.get("ecg5000_data_dir"),
        datasets, specs, seeds,
        (Integer) v.get("parallel"), lines);
  }

  /**
   * The entries of the list under {@code key}, each with where it is written ({@code file:line}); a wrong shape is
   * left to the schema's check (it reports "expected a list").
   */
  private static List<Map.Entry<String, String>> entries(MappingNode top, String key, String where) {
    List<Map.Entry<String, String>> out = new ArrayList<>();
    for (NodeTuple t : top.getValue()) {
      if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key) && t.getValueNode() instanceof SequenceNode seq) {
        for (Node n : seq.getValue()) {
          String value = n instanceof ScalarNode s ? s.getValue() : String.valueOf(SchemaCheck.toJava(n));
          out.add(Map.entry(value, where + ":" + SchemaCheck.line(n)));
        }
      }
    }
    return out;
  }
}
