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
 *   detector.json        model type, features, the run's decision threshold, where it came from
 *   preprocessing.json   the scaler fitted on the training rows
 *   config.yaml          the resolved spec
 *   tfmodel/ | ...       the detector's files
 * </pre>
 */
public final class ModelFolder {
  public static final String DESCRIPTOR = "detector.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private ModelFolder() {}

  /** Keys of detector.json that hold the run's decision threshold (absent in folders saved before they existed). */
  static final String THRESHOLD = "threshold";
  static final String THRESHOLD_RULE = "threshold_rule";

  /**
   * The decision threshold a run chose for its model: a row is an anomaly when its score is strictly greater
   * (the convention of {@code evaluation.Confusion} and every metric).
   *
   * @param rule the rule that chose it, as written in the spec (e.g. {@code best_accuracy}, {@code percentile:80})
   */
  public record Threshold(double value, String rule) {
    public Threshold {
      if (!Double.isFinite(value)) {
        throw new IllegalArgumentException("a decision threshold must be finite, got " + value);
      }
    }
  }

  /** As {@link #save(Path, Detector, Scaler, ResolvedSpec, String, Map, Threshold)} without a threshold. */
  public static void save(Path dir, Detector detector, Scaler scaler, ResolvedSpec spec, String datasetName,
      Map<String, Object> provenance) throws IOException {
    save(dir, detector, scaler, spec, datasetName, provenance, null);
  }

  /**
   * @param provenance what the model was made from (data files and their SHA-256, split seed, code version), as
   *     recorded by the run; saved under "provenance"
   * @param threshold the run's decision threshold and its rule, saved as "threshold" and "threshold_rule" so that
   *     {@code runner score} labels rows as the run did; null saves none
   */
  public static void save(Path dir, Detector detector, Scaler scaler, ResolvedSpec spec, String datasetName,
      Map<String, Object> provenance, Threshold threshold) throws IOException {
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
    if (threshold != null) {
      d.put(THRESHOLD, threshold.value());
      d.put(THRESHOLD_RULE, threshold.rule());
    }
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

  /** A saved threshold and the file it was read from. */
  public record SavedThreshold(Threshold threshold, Path file) {}

  /**
   * The decision threshold saved with the model (detector.json); for a folder saved before thresholds were, the
   * one its run recorded in {@code metrics.json} beside the folder, when the folder is still in its run folder;
   * else empty. A threshold that is not a finite number is a {@link DataException} naming the file and key.
   */
  public static java.util.Optional<SavedThreshold> threshold(Path dir) {
    requireModelFolder(dir);
    Path file = dir.resolve(DESCRIPTOR);
    com.fasterxml.jackson.databind.JsonNode d = JsonFiles.readObject(file, REMEDY);
    if (d.hasNonNull(THRESHOLD)) {
      return java.util.Optional.of(new SavedThreshold(new Threshold(finite(d, file), d.path(THRESHOLD_RULE)
          .asText("unknown")), file));
    }
    Path metrics = dir.toAbsolutePath().normalize().resolveSibling("metrics.json");
    if (!Files.isRegularFile(metrics)) {
      return java.util.Optional.empty();
    }
    com.fasterxml.jackson.databind.JsonNode m = JsonFiles.readObject(metrics, "give the threshold with --threshold VALUE");
    if (!m.hasNonNull(THRESHOLD)) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(new SavedThreshold(new Threshold(finite(m, metrics), "unknown"), metrics));
  }

  private static double finite(com.fasterxml.jackson.databind.JsonNode json, Path file) {
    com.fasterxml.jackson.databind.JsonNode value = json.get(THRESHOLD);
    if (!value.isNumber() || !Double.isFinite(value.asDouble())) {
      throw new DataException(file + ": key '" + THRESHOLD + "' is " + value + ", not a finite number; the file is"
          + " damaged: " + REMEDY + ", or give the threshold with --threshold VALUE.");
    }
    return value.asDouble();
  }

  /** The data set the model was trained on, as detector.json names it (e.g. {@code kdd99/ff12/8020}); "" if none. */
  public static String dataset(Path dir) {
    requireModelFolder(dir);
    return JsonFiles.readObject(dir.resolve(DESCRIPTOR), REMEDY).path("dataset").asText("");
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
