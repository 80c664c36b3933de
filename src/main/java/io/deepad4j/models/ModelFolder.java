package io.deepad4j.models;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.deepad4j.data.DataException;
import io.deepad4j.data.JsonFiles;
import io.deepad4j.preprocessing.Scaler;
import io.deepad4j.spec.ResolvedSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The saved-model folder of a run: the detector's own files, the fitted preprocessing, the spec
 * that made it (provenance), and an MLflow MLmodel file.
 * <pre>
 * model/
 *   MLmodel              MLflow model metadata (flavors), written by the run layer through tracking
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

  /**
   * @param provenance what the model was made from (data files and their SHA-256, split seed, code version), as
   *     recorded by the run; saved under "provenance"
   */
  public static void save(Path dir, Detector detector, Scaler scaler, ResolvedSpec spec, String datasetName,
      Map<String, Object> provenance) throws IOException {
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
    d.put("provenance", provenance);
    JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(DESCRIPTOR).toFile(), d);
  }

  /** What to do about a damaged model folder, for error messages. */
  public static final String REMEDY = "save the model again by re-running its spec";

  /**
   * Loads any saved detector folder for scoring raw rows. A folder that is not a model folder, or a
   * damaged one (a broken JSON file, a truncated SavedModel or SVM file), is a {@link DataException}
   * that names the folder and the file.
   */
  public static Scorer load(Path dir) {
    requireModelFolder(dir);
    String type = JsonFiles.readObject(dir.resolve(DESCRIPTOR), REMEDY).path("type").asText();
    if (!ModelRegistry.get().types().contains(type)) {
      throw new DataException(dir.resolve(DESCRIPTOR) + ": model type '" + type + "' is not one of "
          + ModelRegistry.get().types() + "; the file is damaged or written by another version: " + REMEDY + ".");
    }
    Scaler scaler = scaler(dir);
    try {
      return ModelRegistry.get().type(type).loader().load(dir, scaler);
    } catch (DataException e) {
      throw e;
    } catch (IOException | RuntimeException e) { // the loaders' messages name their files
      throw new DataException("cannot load the " + type + " model in " + dir + ": " + e.getMessage() + "; " + REMEDY + ".", e);
    }
  }

  /**
   * A detector's own JSON file in a model folder; an IOException naming the folder when it is missing
   * ({@code what}: the kind of model, e.g. "a PCA"), a DataException naming the file when it is not JSON.
   */
  public static com.fasterxml.jackson.databind.JsonNode readModelFile(Path dir, String fileName, String what) throws IOException {
    Path file = dir.resolve(fileName);
    if (!Files.isRegularFile(file)) {
      throw new IOException(dir + " has no " + fileName + "; is it " + what + " model folder?");
    }
    return JsonFiles.readObject(file, REMEDY);
  }

  /** Feature names the saved model expects, in order. */
  public static java.util.List<String> features(Path dir) {
    requireModelFolder(dir);
    return scaler(dir).featureNames();
  }

  private static void requireModelFolder(Path dir) {
    if (!Files.isRegularFile(dir.resolve(DESCRIPTOR))) {
      throw new DataException(dir + " is not a deepad4j model folder (no " + DESCRIPTOR + "); pass outputs/<experiment>/<run>/model");
    }
  }

  private static Scaler scaler(Path dir) {
    try {
      return Scaler.load(dir.resolve(Scaler.FILE_NAME));
    } catch (IOException e) {
      throw new DataException(e.getMessage() + "; " + REMEDY + ".", e);
    }
  }

  public static String version() {
    String v = ModelFolder.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
