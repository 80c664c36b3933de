package io.deepad4j.models;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.deepad4j.preprocessing.Scaler;
import io.deepad4j.spec.ResolvedSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The saved-model folder of a run: the detector's own files, the fitted preprocessing, the spec
 * that made it (provenance), and an MLflow MLmodel file.
 * <pre>
 * model/
 *   MLmodel              MLflow model metadata (flavors)
 *   detector.json        model type, features, where it came from
 *   preprocessing.json   the scaler fitted on the training rows
 *   config.yaml          the resolved spec
 *   tfmodel/ | ...       the detector's files
 * </pre>
 */
public final class ModelFolder {
  public static final String DESCRIPTOR = "detector.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private ModelFolder() {}

  public static void save(Path dir, Detector detector, Scaler scaler, ResolvedSpec spec, String datasetName) throws IOException {
    Files.createDirectories(dir);
    detector.save(dir);
    scaler.save(dir.resolve(Scaler.FILE_NAME));
    Files.writeString(dir.resolve("config.yaml"), spec.toYaml());
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("type", spec.modelType());
    d.put("num_features", scaler.featureNames().size());
    d.put("features", scaler.featureNames());
    d.put("dataset", datasetName);
    d.put("spec", spec.source() == null ? null : spec.source().toString());
    d.put("seed", spec.seed());
    d.put("num_params", detector.parameterCount());
    d.put("created", Instant.now().toString());
    d.put("deepad4j_version", version());
    JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(DESCRIPTOR).toFile(), d);
    Map<String, Object> mlmodel = new LinkedHashMap<>();
    mlmodel.put("artifact_path", "model");
    mlmodel.put("flavors", detector.mlflowFlavors());
    mlmodel.put("model_uuid", UUID.randomUUID().toString().replace("-", ""));
    mlmodel.put("utc_time_created", java.time.LocalDateTime.now(java.time.ZoneOffset.UTC).toString().replace('T', ' '));
    mlmodel.put("metadata", Map.of("deepad4j_model_type", spec.modelType(), "deepad4j_version", version()));
    DumperOptions o = new DumperOptions();
    o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    Files.writeString(dir.resolve("MLmodel"), new Yaml(o).dump(mlmodel));
    if (detector.mlflowFlavors().containsKey("python_function")) // only the TensorFlow models load in Python
      Files.writeString(dir.resolve("python_env.yaml"),
        "python: \"3.11\"\nbuild_dependencies:\n  - pip\ndependencies:\n  - mlflow\n  - tensorflow\n");
  }

  /**
   * The MLflow flavor of a detector that only deepad4j loads (no python_function: the PCA and OCSVM
   * models are Java files): its type, data file, and preprocessing file.
   */
  public static Map<String, Object> deepad4jFlavor(String type, String dataFile, String format) {
    Map<String, Object> own = new LinkedHashMap<>();
    own.put("model_type", type);
    own.put("data", dataFile);
    if (format != null) {
      own.put("format", format);
    }
    own.put("preprocessing", Scaler.FILE_NAME);
    own.put("deepad4j_version", version());
    return Map.of("deepad4j", own);
  }

  /** Loads any saved detector folder for scoring raw rows. */
  public static Scorer load(Path dir) throws IOException {
    Path descriptor = dir.resolve(DESCRIPTOR);
    if (!Files.isRegularFile(descriptor)) {
      throw new IOException(dir + " is not a deepad4j model folder (no " + DESCRIPTOR + "); pass outputs/<experiment>/<run>/model");
    }
    var node = JSON.readTree(descriptor.toFile());
    String type = node.path("type").asText();
    Scaler scaler = Scaler.load(dir.resolve(Scaler.FILE_NAME));
    return ModelRegistry.get().type(type).loader().load(dir, scaler);
  }

  /** Feature names the saved model expects, in order. */
  public static java.util.List<String> features(Path dir) throws IOException {
    return Scaler.load(dir.resolve(Scaler.FILE_NAME)).featureNames();
  }

  public static String version() {
    String v = ModelFolder.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
