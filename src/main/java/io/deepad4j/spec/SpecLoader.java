package io.deepad4j.spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads a YAML experiment spec, applies dotted command-line overrides (Hydra style:
 * {@code model.epochs=30}) and validates every key against the schema. All problems are
 * reported together, each with the file, line and key, and a suggestion for misspelt keys.
 */
public final class SpecLoader {
  private final ModelSchemas models;

  /** The top-level keys whose mappings hold spec keys. */
  private static final Set<String> SECTIONS = Set.of("dataset", "preprocessing", "model", "evaluation", "tracking");

  public SpecLoader(ModelSchemas models) {
    this.models = models;
  }

  public ResolvedSpec load(Path file, List<String> overrides) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new SpecException(file + ": no such spec file");
    } catch (IOException e) {
      throw new SpecException(file + ": cannot read (" + e.getMessage() + ")");
    }
    return load(file, text, overrides);
  }

  public ResolvedSpec load(Path file, String text, List<String> overrides) {
    List<String> problems = new ArrayList<>();
    Map<String, SchemaCheck.Raw> raw = new LinkedHashMap<>();
    String name = file == null ? "(spec)" : file.toString();
    Node root = YamlText.compose(name, text);
    if (root == null) {
      throw new SpecException(name + ": the spec is empty; start from one of experiments/*.yaml");
    }
    if (!(root instanceof MappingNode map)) {
      throw new SpecException(name + ":" + SchemaCheck.line(root) + ": the spec must be a mapping of keys (like 'model:'), not a " + root.getNodeId());
    }
    SchemaCheck.flatten(map, "", name, SECTIONS, raw, problems);
    for (String o : overrides) {
      int eq = o.indexOf('=');
      if (eq <= 0) {
        problems.add("override '" + o + "': expected key=value, e.g. model.epochs=30");
        continue;
      }
      String key = o.substring(0, eq).trim();
      String value = o.substring(eq + 1);
      String where = "command line override '" + o + "'";
      Object parsed = value.isEmpty() ? "" : YamlText.value(value, where);
      raw.put(key, new SchemaCheck.Raw(parsed, where));
    }
    Map<String, Object> values = resolve(raw, name, file, problems);
    if (!problems.isEmpty()) {
      throw new SpecException(problems);
    }
    return new ResolvedSpec(file, text, values, overrides);
  }

  private Map<String, Object> resolve(Map<String, SchemaCheck.Raw> raw, String name, Path file, List<String> problems) {
    Map<String, Field> schema = new LinkedHashMap<>();
    for (Field f : SpecSchema.TOP_LEVEL) {
      schema.put(f.key(), f);
    }
    schema.put("model.type", Field.choice("model.type", null, List.copyOf(models.types()), "model"));
    SchemaCheck.Raw type = raw.get("model.type");
    String modelType = type == null || type.value() == null ? null : String.valueOf(type.value());
    if (modelType == null) {
      problems.add(name + ": model.type is required; one of " + models.types());
    } else if (!models.types().contains(modelType)) {
      String near = Suggest.closest(modelType, models.types());
      problems.add(type.where() + ": model.type '" + modelType + "' is not one of " + models.types()
          + (near == null ? "" : "; did you mean '" + near + "'?"));
      modelType = null;
    } else {
      for (Field f : models.fields(modelType)) {
        schema.put("model." + f.key(), new Field("model." + f.key(), f.type(), f.defaultValue(), f.min(), f.max(), f.choices(), f.doc()));
      }
    }
    Map<String, Object> values = SchemaCheck.check(raw, schema,
        key -> key.startsWith("model.") && type == null, // cannot judge model keys without a valid type; reported already
        section -> section.equals("model") && type != null ? "model (" + type + ")" : section, problems);
    if (values.get("run_name") == null && file != null) {
      String fn = file.getFileName().toString();
      values.put("run_name", fn.replaceFirst("\\.ya?ml$", ""));
    } else if (values.get("run_name") == null) {
      values.put("run_name", modelType == null ? "run" : modelType);
    }
    Object dataset = values.get("dataset.name");
    for (var d : SpecSchema.DATASET_DEFAULTS.getOrDefault(dataset, Map.of()).entrySet()) {
      values.putIfAbsent(d.getKey(), d.getValue()); // putIfAbsent also fills a key whose value is null
    }
    for (String k : SpecSchema.DATASET_REQUIRED.getOrDefault(dataset, List.of())) {
      if (values.get(k) == null) {
        problems.add(name + ": dataset.name is " + dataset + ", so " + k + " is required");
      }
    }
    validationKeys(values, raw, name, problems);
    return values;
  }

  /** model.restore_best and model.patience need held-out rows; restore_best keeps one epoch, ema_decay averages. */
  private static void validationKeys(Map<String, Object> values, Map<String, SchemaCheck.Raw> raw, String name, List<String> problems) {
    if (!(values.get("model.validation_split") instanceof Number split)) {
      return; // a model without these keys, or a wrong type reported already
    }
    boolean restoreBest = Boolean.TRUE.equals(values.get("model.restore_best"));
    boolean patience = values.get("model.patience") instanceof Number p && p.intValue() > 0;
    if ((restoreBest || patience) && split.doubleValue() == 0) {
      String key = restoreBest ? "model.restore_best" : "model.patience";
      problems.add(where(raw, key, name) + ": " + key + " needs held-out rows: set model.validation_split, e.g. 0.1");
    }
    if (restoreBest && values.get("model.ema_decay") instanceof Number ema && ema.doubleValue() > 0) {
      problems.add(where(raw, "model.restore_best", name) + ": model.restore_best keeps the weights of one epoch and"
          + " model.ema_decay (" + ema + ") averages them over steps: set model.ema_decay: 0 or model.restore_best: false");
    }
  }

  private static String where(Map<String, SchemaCheck.Raw> raw, String key, String name) {
    SchemaCheck.Raw r = raw.get(key);
    return r == null ? name : r.where();
  }

}
