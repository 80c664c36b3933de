package io.deepad4j.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * A model folder's MLflow {@code MLmodel} file: written from what the folder holds (the MLflow flavors
 * are chosen here, not by the detectors), and read back into the {@code model_json} that
 * runs/log-model expects: {@code artifact_path}, {@code flavors}, {@code utc_time_created},
 * {@code model_uuid} (the run id is added when sending, since an offline run has none yet).
 */
public final class MlmodelFile {
  static final String FILE_NAME = "MLmodel";
  private static final String PYTHON_ENV = "python_env.yaml";
  /** Python's str(datetime.utcnow()), which the MLflow UI parses. */
  private static final DateTimeFormatter PYTHON_UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");
  /** MLmodel fields that describe the model and travel to the server as they are. */
  private static final String[] PASSED_THROUGH = {"signature", "saved_input_example_info", "metadata",
      "model_size_bytes", "mlflow_version"};

  /** Where MLflow keeps a model's input example, and the request body `mlflow models serve` takes. */
  static final String INPUT_EXAMPLE = "input_example.json";
  static final String SERVING_INPUT_EXAMPLE = "serving_input_example.json";
  /** The SavedModel's serving signature: one float matrix in, one score per row out. */
  static final String TF_INPUT = "x";
  static final String TF_OUTPUT = "score";

  private MlmodelFile() {}

  /**
   * What the model takes: its features in order (raw, unscaled values: the scaling is part of the model)
   * and a few rows to show as MLflow's input example.
   */
  public record Example(List<String> features, float[][] rows) {
    public Example {
      features = List.copyOf(features);
      for (float[] row : rows) {
        if (row.length != features.size()) {
          throw new IllegalArgumentException(row.length + " values in an example row for " + features.size() + " features");
        }
      }
    }
  }

  /** As {@link #writeTensorflow(Path, String, Example, Map)} without a signature or input example. */
  public static void writeTensorflow(Path modelDir, String savedModelDir, Map<String, String> metadata)
      throws IOException {
    writeTensorflow(modelDir, savedModelDir, null, metadata);
  }

  /** As {@link #writeDeepad4j(Path, String, String, String, String, Example, Map)} without a signature or example. */
  public static void writeDeepad4j(Path modelDir, String modelType, String dataFile, String format,
      String preprocessingFile, Map<String, String> metadata) throws IOException {
    writeDeepad4j(modelDir, modelType, dataFile, format, preprocessingFile, null, metadata);
  }

  /**
   * Writes MLmodel for a folder whose model is a TensorFlow SavedModel in {@code savedModelDir}: the
   * tensorflow flavor and python_function through mlflow.tensorflow, with the python_env.yaml it names.
   *
   * <p>With an {@code example}, the signature is the SavedModel's own, as MLflow writes it for a dict of
   * arrays: input {@code x} float32 [-1, features], output {@code score} float32 [-1]. Not one column per
   * feature: mlflow.tensorflow's pyfunc feeds each DataFrame column to a SavedModel input of that name,
   * and this SavedModel has one input, so a column signature would make pyfunc refuse every input. The
   * features' names and order go into the metadata ({@code deepad4j_features}); the input example is
   * {@code {"x": rows}} and its serving body {@code {"inputs": {"x": rows}}}.
   */
  public static void writeTensorflow(Path modelDir, String savedModelDir, Example example, Map<String, String> metadata)
      throws IOException {
    writeTensorflow(modelDir, savedModelDir, null, example, metadata);
  }

  /**
   * Writes MLmodel for a folder that holds both a file only deepad4j reads (its Java scorer's) and a SavedModel
   * of the same score in {@code savedModelDir}: the tensorflow and python_function flavors, signature and input
   * example as {@link #writeTensorflow(Path, String, Example, Map)} writes them, plus the deepad4j flavor of
   * {@link #writeDeepad4j(Path, String, String, String, String, Example, Map)} naming the Java file.
   */
  public static void writeTensorflowAndDeepad4j(Path modelDir, String savedModelDir, String modelType, String dataFile,
      String format, String preprocessingFile, Example example, Map<String, String> metadata) throws IOException {
    writeTensorflow(modelDir, savedModelDir, deepad4jFlavor(modelType, dataFile, format, preprocessingFile, metadata),
        example, metadata);
  }

  private static void writeTensorflow(Path modelDir, String savedModelDir, Map<String, Object> deepad4j,
      Example example, Map<String, String> metadata) throws IOException {
    Map<String, Object> tf = new LinkedHashMap<>();
    tf.put("saved_model_dir", savedModelDir);
    tf.put("meta_graph_tags", List.of("serve"));
    tf.put("signature_def_key", "serving_default");
    tf.put("model_type", "tf1-estimator");
    tf.put("code", null);
    Map<String, Object> py = new LinkedHashMap<>();
    py.put("loader_module", "mlflow.tensorflow");
    py.put("python_version", "3.11");
    py.put("env", Map.of("virtualenv", PYTHON_ENV));
    Map<String, Object> flavors = new LinkedHashMap<>();
    flavors.put("tensorflow", tf);
    flavors.put("python_function", py);
    if (deepad4j != null) {
      flavors.put("deepad4j", deepad4j);
    }
    Map<String, Object> extra = new LinkedHashMap<>();
    if (example != null) {
      ArrayNode input = Journal.JSON.createArrayNode();
      ObjectNode x = input.addObject().put("name", TF_INPUT).put("type", "tensor");
      x.putObject("tensor-spec").put("dtype", "float32").putArray("shape").add(-1).add(example.features().size());
      ArrayNode output = Journal.JSON.createArrayNode();
      ObjectNode score = output.addObject().put("name", TF_OUTPUT).put("type", "tensor");
      score.putObject("tensor-spec").put("dtype", "float32").putArray("shape").add(-1);
      extra.put("signature", signature(input, output));
      ObjectNode body = Journal.JSON.createObjectNode();
      body.set(TF_INPUT, rows(example));
      Files.writeString(modelDir.resolve(INPUT_EXAMPLE), body.toString());
      ObjectNode serving = Journal.JSON.createObjectNode();
      serving.putObject("inputs").set(TF_INPUT, rows(example));
      Files.writeString(modelDir.resolve(SERVING_INPUT_EXAMPLE), serving.toPrettyString());
      extra.put("saved_input_example_info", exampleInfo("ndarray"));
      metadata = new LinkedHashMap<>(metadata);
      metadata.put("deepad4j_features", String.join(",", example.features()));
    }
    write(modelDir, flavors, extra, metadata);
    Files.writeString(modelDir.resolve(PYTHON_ENV),
        "python: \"3.11\"\nbuild_dependencies:\n  - pip\ndependencies:\n  - mlflow\n  - tensorflow\n");
  }

  /**
   * Writes MLmodel for a folder whose model only deepad4j loads (no python_function): the deepad4j
   * flavor names the model type, its data file, the file's format (may be null) and the preprocessing file.
   * With an {@code example}, the signature is one float column per feature, in order, as MLflow writes it
   * for a pandas DataFrame (what {@code runner score} reads: a CSV with those columns), output a double
   * {@code score}; the input example is the rows as a DataFrame in split orient.
   */
  public static void writeDeepad4j(Path modelDir, String modelType, String dataFile, String format,
      String preprocessingFile, Example example, Map<String, String> metadata) throws IOException {
    Map<String, Object> own = deepad4jFlavor(modelType, dataFile, format, preprocessingFile, metadata);
    Map<String, Object> extra = new LinkedHashMap<>();
    if (example != null) {
      ArrayNode input = Journal.JSON.createArrayNode();
      example.features().forEach(f -> input.addObject().put("type", "float").put("name", f).put("required", true));
      ArrayNode output = Journal.JSON.createArrayNode();
      output.addObject().put("type", "double").put("name", TF_OUTPUT).put("required", true);
      extra.put("signature", signature(input, output));
      ObjectNode split = Journal.JSON.createObjectNode();
      ArrayNode columns = split.putArray("columns");
      example.features().forEach(columns::add);
      split.set("data", rows(example));
      Files.writeString(modelDir.resolve(INPUT_EXAMPLE), split.toString());
      ObjectNode serving = Journal.JSON.createObjectNode();
      serving.set("dataframe_split", split);
      Files.writeString(modelDir.resolve(SERVING_INPUT_EXAMPLE), serving.toPrettyString());
      Map<String, Object> info = exampleInfo("dataframe");
      info.put("pandas_orient", "split");
      extra.put("saved_input_example_info", info);
    }
    write(modelDir, Map.of("deepad4j", own), extra, metadata);
  }

  /** The deepad4j flavor: model type, the Java scorer's data file and its format, the preprocessing file, version. */
  private static Map<String, Object> deepad4jFlavor(String modelType, String dataFile, String format,
      String preprocessingFile, Map<String, String> metadata) {
    Map<String, Object> own = new LinkedHashMap<>();
    own.put("model_type", modelType);
    own.put("data", dataFile);
    if (format != null) {
      own.put("format", format);
    }
    own.put("preprocessing", preprocessingFile);
    own.put("deepad4j_version", metadata.get("deepad4j_version"));
    return own;
  }

  /** MLflow's signature block: each schema as a JSON string inside the YAML. */
  private static Map<String, Object> signature(ArrayNode inputs, ArrayNode outputs) {
    Map<String, Object> signature = new LinkedHashMap<>();
    signature.put("inputs", inputs.toString());
    signature.put("outputs", outputs.toString());
    signature.put("params", null);
    return signature;
  }

  private static Map<String, Object> exampleInfo(String type) {
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("artifact_path", INPUT_EXAMPLE);
    info.put("serving_input_path", SERVING_INPUT_EXAMPLE);
    info.put("type", type);
    return info;
  }

  /** The example rows as JSON arrays of the float values (shortest decimal that reads back as the float). */
  private static ArrayNode rows(Example example) {
    ArrayNode rows = Journal.JSON.createArrayNode();
    for (float[] row : example.rows()) {
      ArrayNode r = rows.addArray();
      for (float v : row) {
        r.add(new java.math.BigDecimal(Float.toString(v)));
      }
    }
    return rows;
  }

  private static void write(Path modelDir, Map<String, Object> flavors, Map<String, Object> extra,
      Map<String, String> metadata) throws IOException {
    Map<String, Object> mlmodel = new LinkedHashMap<>();
    mlmodel.put("artifact_path", "model");
    mlmodel.put("flavors", flavors);
    mlmodel.put("model_uuid", UUID.randomUUID().toString().replace("-", ""));
    mlmodel.put("utc_time_created", LocalDateTime.now(ZoneOffset.UTC).format(PYTHON_UTC));
    mlmodel.putAll(extra);
    mlmodel.put("metadata", new LinkedHashMap<>(metadata));
    DumperOptions o = new DumperOptions();
    o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    Files.writeString(modelDir.resolve(FILE_NAME), new Yaml(o).dump(mlmodel));
  }

  static ObjectNode modelJson(Path modelDir, String artifactPath) {
    Path file = modelDir.resolve(FILE_NAME);
    Object parsed;
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      parsed = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
    } catch (IOException e) {
      throw new TrackingException("Cannot read " + file + ": " + e.getMessage(), 0, e);
    } catch (RuntimeException e) {
      throw new TrackingException(file + " is not valid YAML: " + e.getMessage(), 0, e);
    }
    if (!(parsed instanceof Map<?, ?> mlmodel) || !(mlmodel.get("flavors") instanceof Map<?, ?> flavors)
        || flavors.isEmpty()) {
      throw new TrackingException(file + " has no 'flavors' mapping; an MLmodel file needs at least one"
          + " flavor (e.g. flavors: {tensorflow: {saved_model_dir: tfmodel, ...}})");
    }
    ObjectNode json = Journal.JSON.createObjectNode();
    json.put("artifact_path", artifactPath);
    json.set("flavors", Journal.JSON.valueToTree(flavors));
    Object created = mlmodel.get("utc_time_created");
    if (created instanceof java.util.Date date) {
      // an unquoted timestamp, which YAML reads as a date
      created = LocalDateTime.ofInstant(date.toInstant(), ZoneOffset.UTC).format(PYTHON_UTC);
    }
    json.put("utc_time_created", created != null ? created.toString()
        : LocalDateTime.now(ZoneOffset.UTC).format(PYTHON_UTC));
    Object uuid = mlmodel.get("model_uuid");
    json.put("model_uuid", uuid != null ? uuid.toString() : UUID.randomUUID().toString().replace("-", ""));
    for (String key : PASSED_THROUGH) {
      if (mlmodel.get(key) != null) {
        JsonNode value = Journal.JSON.valueToTree(mlmodel.get(key));
        json.set(key, value);
      }
    }
    return json;
  }
}
