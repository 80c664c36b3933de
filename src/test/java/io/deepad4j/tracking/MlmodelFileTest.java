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

  /** Issue 21: PCA, OCSVM and the native baselines: the SavedModel's flavors for Python, the deepad4j one for Java. */
  @Test
  void aJavaModelWithASavedModelHasBothFlavorsAndTheTensorSignature(@TempDir Path dir) throws Exception {
    MlmodelFile.writeTensorflowAndDeepad4j(dir, "tfmodel", "knn", "knn.json", "json settings", "preprocessing.json",
        EXAMPLE, META);
    JsonNode json = MlmodelFile.modelJson(dir, "model");
    JsonNode flavors = json.get("flavors");
    assertEquals(List.of("tensorflow", "python_function", "deepad4j"), iterable(flavors));
    assertEquals("tfmodel", flavors.path("tensorflow").path("saved_model_dir").asText());
    assertEquals("mlflow.tensorflow", flavors.path("python_function").path("loader_module").asText());
    assertEquals("knn.json", flavors.path("deepad4j").path("data").asText());
    assertEquals("json settings", flavors.path("deepad4j").path("format").asText());
    assertEquals("knn", flavors.path("deepad4j").path("model_type").asText());
    assertTrue(json.path("signature").path("inputs").asText().contains("\"tensor-spec\""), json.toString());
    assertEquals("srv_count,dst_host_count", json.path("metadata").path("deepad4j_features").asText());
    assertTrue(Files.readString(dir.resolve("serving_input_example.json")).contains("\"inputs\""));
  }

  private static final MlmodelFile.Example EXAMPLE = new MlmodelFile.Example(List.of("srv_count", "dst_host_count"),
      new float[][] {{1.5f, 0.25f}, {2f, 1e-5f}, {255f, 3f}});

  /** What MLflow's own code reads from the folder: the signature's schemas and the input example. */
  private static final String READ_BACK = """
      import sys, json
      import numpy as np
      from mlflow.models import Model
      m = Model.load(sys.argv[1])
      ex = m.load_input_example(sys.argv[1])
      if isinstance(ex, dict):
          ex = {k: np.asarray(v).tolist() for k, v in ex.items()}
      else:
          ex = {"columns": list(ex.columns), "rows": ex.to_numpy().tolist()}
      print("RESULT " + json.dumps({"inputs": m.signature.inputs.to_dict(), "outputs": m.signature.outputs.to_dict(),
          "example": ex, "serving": m.saved_input_example_info.get("serving_input_path")}))
      """;

  /** Issue 21: a TensorFlow model's signature is its SavedModel's (what mlflow.tensorflow's pyfunc can feed). */
  @Test
  void aSavedModelHasTheSavedModelsSignatureAndRawRowsAsInputExample(@TempDir Path dir) throws Exception {
    MlmodelFile.writeTensorflow(dir, "tfmodel", EXAMPLE, META);
    JsonNode mlflow = Journal.JSON.readTree(MlflowTestServer.runPython(READ_BACK, dir.toString()));
    JsonNode x = mlflow.path("inputs").get(0);
    assertEquals("x", x.path("name").asText());
    assertEquals("float32", x.path("tensor-spec").path("dtype").asText());
    assertEquals("[-1,2]", x.path("tensor-spec").path("shape").toString());
    assertEquals("score", mlflow.path("outputs").get(0).path("name").asText());
    JsonNode rows = mlflow.path("example").path("x");
    assertEquals(3, rows.size(), mlflow.toString());
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 2; j++) {
        assertEquals(EXAMPLE.rows()[i][j], (float) rows.get(i).get(j).asDouble(), "the raw value, read by MLflow as float32");
      }
    }
    assertEquals("serving_input_example.json", mlflow.path("serving").asText());
    JsonNode serving = Journal.JSON.readTree(dir.resolve("serving_input_example.json").toFile());
    assertEquals(3, serving.path("inputs").path("x").size());
    JsonNode json = MlmodelFile.modelJson(dir, "model");
    assertTrue(json.path("signature").path("inputs").asText().contains("tensor-spec"), "sent with log-model: " + json);
    assertEquals("srv_count,dst_host_count", json.path("metadata").path("deepad4j_features").asText());
  }

  /** Issue 21: a deepad4j-only model's signature is one float column per feature, in order, as runner score reads. */
  @Test
  void aJavaOnlyModelHasFloatColumnsAndADataFrameExample(@TempDir Path dir) throws Exception {
    MlmodelFile.writeDeepad4j(dir, "pca", "pca.json", null, "preprocessing.json", EXAMPLE, META);
    JsonNode mlflow = Journal.JSON.readTree(MlflowTestServer.runPython(READ_BACK, dir.toString()));
    assertEquals("[{\"type\":\"float\",\"name\":\"srv_count\",\"required\":true},"
        + "{\"type\":\"float\",\"name\":\"dst_host_count\",\"required\":true}]", mlflow.path("inputs").toString());
    assertEquals("score", mlflow.path("outputs").get(0).path("name").asText());
    assertEquals("[\"srv_count\",\"dst_host_count\"]", mlflow.path("example").path("columns").toString());
    assertEquals(1e-5, mlflow.path("example").path("rows").get(1).get(1).asDouble(), 1e-12);
    assertEquals(3, mlflow.path("example").path("rows").size());
  }

  @Test
  void exampleRowsMustHaveOneValuePerFeature() {
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> new MlmodelFile.Example(List.of("a", "b"), new float[][] {{1f}}));
    assertTrue(e.getMessage().contains("1 values in an example row for 2 features"), e.getMessage());
  }

  private static List<String> iterable(JsonNode object) {
    List<String> names = new java.util.ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
