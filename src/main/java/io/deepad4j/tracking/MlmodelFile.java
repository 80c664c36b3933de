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
import java.util.Map;
import java.util.UUID;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Reads a model folder's {@code MLmodel} file into the {@code model_json} that runs/log-model
 * expects: {@code artifact_path}, {@code flavors}, {@code utc_time_created}, {@code model_uuid}
 * (the run id is added when sending, since an offline run has none yet).
 */
final class MlmodelFile {
  static final String FILE_NAME = "MLmodel";
  /** Python's str(datetime.utcnow()), which the MLflow UI parses. */
  private static final DateTimeFormatter PYTHON_UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");
  /** MLmodel fields that describe the model and travel to the server as they are. */
  private static final String[] PASSED_THROUGH = {"signature", "saved_input_example_info", "metadata",
      "model_size_bytes", "mlflow_version"};

  private MlmodelFile() {}

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
