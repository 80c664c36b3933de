package io.deepad4j.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The MLflow flavors chosen for each kind of saved model, written and read back as log-model sends them. */
class MlmodelFileTest {
  private static final Map<String, String> META = Map.of("deepad4j_model_type", "x", "deepad4j_version", "dev");

  @Test
  void aSavedModelLoadsInPythonThroughMlflowTensorflow(@TempDir Path dir) throws Exception {
    MlmodelFile.writeTensorflow(dir, "tfmodel", META);
    JsonNode json = MlmodelFile.modelJson(dir, "model");
    JsonNode flavors = json.get("flavors");
    assertEquals(List.of("tensorflow", "python_function"), iterable(flavors));
    assertEquals("tfmodel", flavors.path("tensorflow").path("saved_model_dir").asText());
    assertEquals("serving_default", flavors.path("tensorflow").path("signature_def_key").asText());
    assertEquals("mlflow.tensorflow", flavors.path("python_function").path("loader_module").asText());
    String env = flavors.path("python_function").path("env").path("virtualenv").asText();
    assertTrue(Files.readString(dir.resolve(env)).contains("tensorflow"), "the env file the flavor names exists");
    assertEquals("x", json.path("metadata").path("deepad4j_model_type").asText());
  }

  @Test
  void aJavaOnlyModelHasNoPythonFunctionFlavor(@TempDir Path dir) throws Exception {
    MlmodelFile.writeDeepad4j(dir, "pca", "pca.json", null, "preprocessing.json", META);
    JsonNode flavors = MlmodelFile.modelJson(dir, "model").get("flavors");
    assertEquals(List.of("deepad4j"), iterable(flavors));
    assertEquals("pca.json", flavors.path("deepad4j").path("data").asText());
    assertFalse(flavors.path("deepad4j").has("format"));
    assertFalse(Files.exists(dir.resolve("python_env.yaml")));
  }

  private static List<String> iterable(JsonNode object) {
    List<String> names = new java.util.ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
