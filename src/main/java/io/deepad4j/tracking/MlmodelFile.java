package io.deepad4j.tracking;

import com.fasterxml.jackson.databind.JsonNode;
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

  private MlmodelFile() {}

  /**
   * Writes MLmodel for a folder whose model is a TensorFlow SavedModel in {@code savedModelDir}: the
   * tensorflow flavor and python_function through mlflow.tensorflow, with the python_env.yaml it names.
   */
  public static void writeTensorflow(Path modelDir, String savedModelDir, Map<String, String> metadata)
      throws IOException {
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
    write(modelDir, flavors, metadata);
    Files.writeString(modelDir.resolve(PYTHON_ENV),
        "python: \"3.11\"\nbuild_dependencies:\n  - pip\ndependencies:\n  - mlflow\n  - tensorflow\n");
  }

  /**
   * Writes MLmodel for a folder whose model only deepad4j loads (no python_function): the deepad4j
   * flavor names the model type, its data file, the file's format (may be null) and the preprocessing file.
   */
  public static void writeDeepad4j(Path modelDir, String modelType, String dataFile, String format,
      String preprocessingFile, Map<String, String> metadata) throws IOException {
    Map<String, Object> own = new LinkedHashMap<>();
    own.put("model_type", modelType);
    own.put("data", dataFile);
    if (format != null) {
      own.put("format", format);
    }
    own.put("preprocessing", preprocessingFile);
    own.put("deepad4j_version", metadata.get("deepad4j_version"));
    write(modelDir, Map.of("deepad4j", own), metadata);
  }

  private static void write(Path modelDir, Map<String, Object> flavors, Map<String, String> metadata) throws IOException {
    Map<String, Object> mlmodel = new LinkedHashMap<>();
    mlmodel.put("artifact_path", "model");
    mlmodel.put("flavors", flavors);
    mlmodel.put("model_uuid", UUID.randomUUID().toString().replace("-", ""));
    mlmodel.put("utc_time_created", LocalDateTime.now(ZoneOffset.UTC).format(PYTHON_UTC));
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
