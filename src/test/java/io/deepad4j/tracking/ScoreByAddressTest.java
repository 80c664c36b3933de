package io.deepad4j.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.deepad4j.TestData;
import io.deepad4j.cli.Main;
import io.deepad4j.data.Kdd99;
import io.deepad4j.models.ModelFolder;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code runner score models:/name/1}, {@code models:/name@alias} and {@code runs:/<id>/model} against a real
 * MLflow server (issue 21): a PCA run registered as a model version, scored by address into a cache folder, with
 * the same scores and decisions as its local folder; addresses of what does not exist are clear errors.
 */
@Tag("mlflow")
class ScoreByAddressTest {
  @TempDir
  static Path dir;
  static MlflowTestServer server;
  static MlflowRest rest;
  static Path model;
  static String runId;
  static Path rows;
  static String expected;

  /** The exit code, stdout and stderr of one command line. */
  record Outcome(int code, String out, String err) {}

  static Outcome runner(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true));
    System.setErr(new PrintStream(err, true));
    try {
      int code = Main.execute(args);
      return new Outcome(code, out.toString(), err.toString());
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  @BeforeAll
  static void registerAModel() throws Exception {
    server = MlflowTestServer.started(dir.resolve("mlflow"));
    rest = new MlflowRest(server.uri());
    Path outputs = dir.resolve("outputs");
    assertEquals(0, Main.execute("experiments/kdd_pca.yaml", "tracking.uri=" + server.uri(), "experiment=by-address",
        "tracking.register_model=kdd-pca", "--outputs", outputs.toString(), "dataset.data_dir=" + TestData.kdd99Dir()));
    Path runDir;
    try (Stream<Path> s = Files.list(outputs.resolve("by-address"))) {
      runDir = s.toList().get(0);
    }
    model = runDir.resolve("model");
    runId = RemoteRun.fromJournal(Journal.read(runDir)).runId;
    rows = dir.resolve("rows.csv");
    // KDD's first test rows as they are (normal and attacks), with a header and a quoted id before them
    StringBuilder csv = new StringBuilder("id,").append(String.join(",", Kdd99.FEATURE_NAMES)).append(",label\n");
    try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(
        Files.newInputStream(TestData.kdd99Dir().resolve("corrected.gz"))), StandardCharsets.UTF_8))) {
      for (int r = 0; r < 200; r++) {
        csv.append("\"r,").append(r).append("\",").append(in.readLine()).append('\n');
      }
    }
    Files.writeString(rows, csv);
    assertEquals(0, Main.execute("score", model.toString(), rows.toString(), "--id-columns", "id", "-o",
        dir.resolve("local.csv").toString()));
    expected = Files.readString(dir.resolve("local.csv"));
    assertTrue(expected.startsWith("id,row,score,anomaly\n\"r,0\",0,") && expected.contains(",1\n")
        && expected.contains(",0\n"), expected);
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  /** Scores {@link #rows} by address into {@code out} and returns what the command printed. */
  static Outcome score(String address, Path cache, Path out, String... more) {
    List<String> args = new java.util.ArrayList<>(List.of("score", address, rows.toString(), "--uri", server.uri(),
        "--cache", cache.toString(), "--id-columns", "id", "-o", out.toString()));
    args.addAll(List.of(more));
    return runner(args.toArray(String[]::new));
  }

  @Test
  void aRegisteredVersionScoresAsItsRunsFolderAndIsCached(@TempDir Path tmp) throws Exception {
    Path cache = tmp.resolve("cache");
    Outcome first = score("models:/kdd-pca/1", cache, tmp.resolve("v1.csv"));
    assertEquals(0, first.code(), first.err());
    assertEquals(expected, Files.readString(tmp.resolve("v1.csv")), "the same ids, scores and decisions");
    assertTrue(first.err().contains("downloaded models:/kdd-pca/1 (mlflow-artifacts:/"), first.err());
    assertTrue(first.out().contains("from detector.json, best_accuracy"), first.out());
    List<Path> cached;
    try (Stream<Path> s = Files.list(cache)) {
      cached = s.toList();
    }
    assertEquals(1, cached.size(), "one folder, no temporary left: " + cached);
    assertTrue(first.err().contains("-> " + cached.get(0)), first.err());
    assertEquals(Files.readString(model.resolve("detector.json")), Files.readString(cached.get(0).resolve("detector.json")));

    // the second time the files are already there
    Outcome second = score("models:/kdd-pca/1", cache, tmp.resolve("v1b.csv"));
    assertEquals(0, second.code(), second.err());
    assertTrue(second.err().contains("using the cached models:/kdd-pca/1"), second.err());
    assertEquals(expected, Files.readString(tmp.resolve("v1b.csv")));

    // a damaged cached file (another size) is fetched again
    Files.writeString(cached.get(0).resolve("pca.json"), "{}");
    Outcome third = score("models:/kdd-pca/1", cache, tmp.resolve("v1c.csv"));
    assertEquals(0, third.code(), third.err());
    assertTrue(third.err().contains("downloaded models:/kdd-pca/1"), third.err());
    assertEquals(expected, Files.readString(tmp.resolve("v1c.csv")));
  }

  @Test
  void anAliasAndARunsModelScoreTheSame(@TempDir Path tmp) throws Exception {
    rest.post("/api/2.0/mlflow/registered-models/alias", "{\"name\":\"kdd-pca\",\"alias\":\"champion\",\"version\":\"1\"}");
    Outcome alias = score("models:/kdd-pca@champion", tmp.resolve("cache"), tmp.resolve("alias.csv"));
    assertEquals(0, alias.code(), alias.err());
    assertEquals(expected, Files.readString(tmp.resolve("alias.csv")));

    Outcome run = score("runs:/" + runId + "/model", tmp.resolve("cache"), tmp.resolve("run.csv"));
    assertEquals(0, run.code(), run.err());
    assertEquals(expected, Files.readString(tmp.resolve("run.csv")));
    assertTrue(run.err().contains("/" + runId + "/artifacts/model) -> "), run.err());

    // the MLflow 3 logged model behind the version, by its id
    String modelId = rest.get("/api/2.0/mlflow/model-versions/get", Map.of("name", "kdd-pca", "version", "1"))
        .path("model_version").path("source").asText().replaceFirst("^models:/", "");
    Outcome logged = score("models:/" + modelId, tmp.resolve("cache"), tmp.resolve("logged.csv"));
    assertEquals(0, logged.code(), logged.err());
    assertEquals(expected, Files.readString(tmp.resolve("logged.csv")));
    assertTrue(logged.err().contains("using the cached"), "the version's files, already fetched: " + logged.err());

    // the threshold travels as MLflow model metadata too (MLmodel's metadata: mlflow.models.get_model_info)
    JsonNode info = rest.loggedModelsOfRun(rest.run(runId).path("info").path("experiment_id").asText(), runId).get(0);
    assertEquals(modelId, info.path("model_id").asText());
    String mlmodel = new String(rest.getBytes("/model-versions/get-artifact", Map.of("name", "kdd-pca", "version", "1",
        "path", "MLmodel")), StandardCharsets.UTF_8);
    double threshold = ModelFolder.threshold(model).orElseThrow().threshold().value();
    assertTrue(mlmodel.contains("metadata:") && mlmodel.contains("threshold: '" + threshold + "'")
        && mlmodel.contains("threshold_rule: best_accuracy"), mlmodel);
  }

  @Test
  void addressesOfWhatDoesNotExistAreClearErrors(@TempDir Path tmp) throws Exception {
    Path cache = tmp.resolve("cache");
    for (String address : List.of("models:/kdd-pca/9", "models:/no-such-model/1", "models:/kdd-pca@nobody",
        "runs:/0123456789abcdef0123456789abcdef/model")) {
      Outcome o = score(address, cache, tmp.resolve("x.csv"));
      assertEquals(3, o.code(), address + ": " + o.err());
      assertTrue(o.err().contains("error: " + address + " on the MLflow server at " + server.uri() + ": MLflow rejected")
          && o.err().contains("Check the name, version or run id"), o.err());
    }
    Outcome empty = score("runs:/" + runId + "/no-such-folder", cache, tmp.resolve("x.csv"));
    assertEquals(3, empty.code(), empty.err());
    assertTrue(empty.err().contains("runs:/" + runId + "/no-such-folder resolves to mlflow-artifacts:/")
        && empty.err().contains("which holds no files"), empty.err());

    for (String address : List.of("models:/kdd-pca", "models:/kdd-pca/latest", "runs:/" + runId, "runs:/not-an-id/model")) {
      Outcome o = score(address, cache, tmp.resolve("x.csv"));
      assertEquals(2, o.code(), address + ": " + o.err());
      assertTrue(o.err().contains("'" + address + "' is not a model address; expected models:/<name>/<version>"), o.err());
    }
    Outcome badUri = runner("score", "models:/kdd-pca/1", rows.toString(), "--uri", "ftp://127.0.0.1:1", "-o",
        tmp.resolve("x.csv").toString());
    assertEquals(2, badUri.code(), badUri.err());
    assertTrue(badUri.err().contains("--uri: tracking.uri 'ftp://127.0.0.1:1' must be an http(s) URL"), badUri.err());
    Outcome uriWithFolder = runner("score", model.toString(), rows.toString(), "--uri", server.uri(), "-o",
        tmp.resolve("x.csv").toString());
    assertEquals(2, uriWithFolder.code(), uriWithFolder.err());
    assertFalse(Files.exists(tmp.resolve("x.csv")), "nothing written by a failed command");
    assertFalse(Files.exists(cache) && Files.list(cache).findAny().isPresent(), "nothing left in the cache");
  }
}
