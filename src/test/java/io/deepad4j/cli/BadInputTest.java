package io.deepad4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepad4j.TestData;
import io.deepad4j.models.ModelFolder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad-input catalogue (docs/BAD_INPUT.md) as a user meets it: each bad input through {@code Main.execute},
 * its exit code (2 bad spec or argument, 3 bad data, 1 failed run), that the message names the file, and that
 * nothing already written is lost. Issue 18's items 2, 5, 6, 9 and 10.
 */
class BadInputTest {
  @TempDir
  static Path shared;
  static Path pcaModel;
  static Path aeModel;
  static List<String> features;

  /** The stderr and exit code of one command line. */
  record Outcome(int code, String err) {}

  static Outcome runner(String... args) {
    PrintStream old = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setErr(new PrintStream(buf, true));
    try {
      int code = Main.execute(args);
      return new Outcome(code, buf.toString());
    } finally {
      System.setErr(old);
    }
  }

  static Path onlyChild(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> all = s.toList();
      assertEquals(1, all.size(), all.toString());
      return all.get(0);
    }
  }

  @BeforeAll
  static void trainOnce() throws Exception {
    Path outputs = shared.resolve("outputs");
    assertEquals(0, Main.execute("experiments/kdd_pca.yaml", "tracking.uri=none", "experiment=pca", "--outputs",
        outputs.toString(), "dataset.data_dir=" + TestData.kdd99Dir()));
    pcaModel = onlyChild(outputs.resolve("pca")).resolve("model");
    assertEquals(0, Main.execute("experiments/kdd_ae.yaml", "tracking.uri=none", "experiment=ae", "model.epochs=1",
        "--outputs", outputs.toString(), "dataset.data_dir=" + TestData.kdd99Dir()));
    aeModel = onlyChild(outputs.resolve("ae")).resolve("model");
    features = ModelFolder.features(pcaModel);
  }

  /** A CSV of the model's features: three rows of 0.5, with {@code cell} in row 2's first column. */
  static Path rows(Path dir, String cell) throws Exception {
    StringBuilder csv = new StringBuilder(String.join(",", features)).append('\n');
    for (int r = 0; r < 3; r++) {
      for (int j = 0; j < features.size(); j++) {
        csv.append(j == 0 ? "" : ",").append(r == 1 && j == 0 ? cell : "0.5");
      }
      csv.append('\n');
    }
    Path f = dir.resolve("rows.csv");
    Files.writeString(f, csv);
    return f;
  }

  /** Item 5: NaN, Infinity and 1e39 (beyond a float) cells were scored as NaN with exit 0. */
  @Test
  void scoreRefusesNonFiniteCellsWithTheirLineAndWritesNothing(@TempDir Path tmp) throws Exception {
    for (String cell : List.of("NaN", "Infinity", "-inf", "1e39", "2f")) {
      Path csv = rows(tmp, cell);
      Outcome o = runner("score", pcaModel.toString(), csv.toString());
      assertEquals(3, o.code(), cell + ": " + o.err());
      assertTrue(o.err().contains(csv + ", line 3, column '" + features.get(0) + "'") && o.err().contains("'" + cell + "'"),
          o.err());
      assertTrue(Files.notExists(tmp.resolve("rows.csv.scores.csv")), "no scores for " + cell);
    }
    Path csv = rows(tmp, "0.25");
    assertEquals(0, runner("score", pcaModel.toString(), csv.toString()).code());
    List<String> out = Files.readAllLines(tmp.resolve("rows.csv.scores.csv"));
    assertEquals(4, out.size());
    for (String line : out.subList(1, 4)) {
      assertTrue(Double.isFinite(Double.parseDouble(line.split(",")[1])), line);
    }
  }

  /**
   * Item 5: a finite cell far outside the training range (3e38, within a float) overflows the autoencoder's
   * float graph to an infinite score; such a row must not be written as a score that no threshold flags.
   */
  @Test
  void scoreRefusesRowsTheModelCannotScore(@TempDir Path tmp) throws Exception {
    Path csv = rows(tmp, "3e38");
    Outcome o = runner("score", aeModel.toString(), csv.toString());
    assertEquals(3, o.code(), o.err());
    assertTrue(o.err().contains(csv + ": the model scores row(s) [1]") && o.err().contains("Nothing was written"), o.err());
    assertTrue(Files.notExists(tmp.resolve("rows.csv.scores.csv")));
  }

  /** Item 6: {@code score MODEL rows.csv -o rows.csv} replaced the input with the scores. */
  @Test
  void scoreNeverWritesOverItsInput(@TempDir Path tmp) throws Exception {
    Path csv = rows(tmp, "0.25");
    String before = Files.readString(csv);
    for (String out : List.of(csv.toString(), tmp.resolve("sub/../rows.csv").toString())) {
      Files.createDirectories(tmp.resolve("sub"));
      Outcome o = runner("score", pcaModel.toString(), csv.toString(), "-o", out);
      assertEquals(2, o.code(), o.err());
      assertTrue(o.err().contains("is the input file"), o.err());
      assertEquals(before, Files.readString(csv), "the input is intact");
    }
    Path link = tmp.resolve("link.csv");
    Files.createSymbolicLink(link, csv);
    assertEquals(2, runner("score", pcaModel.toString(), link.toString(), "-o", csv.toString()).code());
    assertEquals(before, Files.readString(csv));
  }

  /** Item 9: errors that did not name their file (a missing CSV, broken JSON, a truncated SavedModel). */
  @Test
  void damagedModelFoldersAndMissingFilesAreNamed(@TempDir Path tmp) throws Exception {
    Path csv = rows(tmp, "0.25");
    Outcome missing = runner("score", pcaModel.toString(), tmp.resolve("nope.csv").toString());
    assertEquals(3, missing.code(), missing.err());
    assertTrue(missing.err().contains(tmp.resolve("nope.csv") + " does not exist"), missing.err());

    Path notAModel = tmp.resolve("empty");
    Files.createDirectories(notAModel);
    Outcome none = runner("score", notAModel.toString(), csv.toString());
    assertEquals(3, none.code(), none.err());
    assertTrue(none.err().contains(notAModel + " is not a deepad4j model folder"), none.err());

    for (String file : List.of("detector.json", "pca.json", "preprocessing.json")) {
      Path copy = copyFolder(pcaModel, tmp.resolve("pca-" + file));
      byte[] b = Files.readAllBytes(copy.resolve(file));
      Files.write(copy.resolve(file), java.util.Arrays.copyOf(b, b.length / 2));
      Outcome o = runner("score", copy.toString(), csv.toString());
      assertEquals(3, o.code(), file + ": " + o.err());
      assertTrue(o.err().contains(copy.resolve(file) + ", line ") && o.err().contains("not valid JSON")
          && o.err().contains("re-running its spec") && !o.err().contains("REDACTED"), o.err());
    }

    Path ae = copyFolder(aeModel, tmp.resolve("ae"));
    Path pb = ae.resolve("tfmodel/saved_model.pb");
    byte[] b = Files.readAllBytes(pb);
    Files.write(pb, java.util.Arrays.copyOf(b, b.length / 3));
    Outcome o = runner("score", ae.toString(), csv.toString());
    assertEquals(3, o.code(), o.err());
    assertTrue(o.err().contains(ae.resolve("tfmodel").toString()) && o.err().contains("cannot load this SavedModel"), o.err());
  }

  static Path copyFolder(Path from, Path to) throws Exception {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
    return to;
  }

  /** Item 2: {@code experiment=..} (or {@code .}) wrote the run folder outside outputs/. */
  @Test
  void dotExperimentNamesStayInsideOutputs(@TempDir Path tmp) throws Exception {
    Path outputs = tmp.resolve("a/outputs");
    for (String name : List.of("..", ".", "../../escape", "/etc")) {
      Outcome o = runner("experiments/kdd_pca.yaml", "tracking.uri=none", "experiment=" + name, "run_name=" + name,
          "--outputs", outputs.toString(), "dataset.data_dir=" + TestData.kdd99Dir());
      assertEquals(0, o.code(), o.err());
    }
    try (Stream<Path> s = Files.list(tmp.resolve("a"))) {
      assertEquals(List.of(outputs), s.toList(), "nothing beside outputs/");
    }
    try (Stream<Path> s = Files.walk(outputs, 2)) {
      List<Path> runs = s.filter(p -> p.getNameCount() == outputs.getNameCount() + 2).toList();
      assertEquals(4, runs.size(), runs.toString());
      for (Path run : runs) {
        assertTrue(Files.isRegularFile(run.resolve("run.json")), run.toString());
        assertTrue(!run.getFileName().toString().startsWith(".") && !run.getParent().getFileName().toString().startsWith("."), run.toString());
      }
    }
  }

  /** Item 10: non-ASCII run names all collapsed to ___ and collided. */
  @Test
  void nonAsciiNamesGetDistinctStableFolders(@TempDir Path tmp) throws Exception {
    Path outputs = tmp.resolve("outputs");
    for (String name : List.of("модель", "данные", "Modèle", "Modéle")) { // same lengths: all were ______ or Mod_le
      assertEquals(0, runner("experiments/kdd_pca.yaml", "tracking.uri=none", "experiment=e", "run_name=" + name,
          "--outputs", outputs.toString(), "dataset.data_dir=" + TestData.kdd99Dir()).code());
    }
    try (Stream<Path> s = Files.list(outputs.resolve("e"))) {
      List<String> prefixes = s.map(p -> p.getFileName().toString().replaceFirst("-\\d{8}-\\d{6}(-\\d+)?$", "")).sorted().toList();
      assertEquals(4, prefixes.stream().distinct().count(), prefixes.toString());
      for (String p : prefixes) {
        assertTrue(p.matches("[A-Za-z0-9._-]+"), p);
      }
    }
  }

  /** Item 10: a test CSV with one class failed after training, when ROC AUC was computed. */
  @Test
  void aTestFileWithOneClassFailsBeforeTraining(@TempDir Path tmp) throws Exception {
    Files.writeString(tmp.resolve("train.csv"), "a,b\n1,2\n2,3\n3,5\n4,4\n");
    Files.writeString(tmp.resolve("test.csv"), "a,b,label\n1,2,normal\n2,3,normal\n9,9,normal\n8,1,normal\n");
    Path spec = tmp.resolve("mine.yaml");
    Files.writeString(spec, "dataset:\n  name: csv\n  train_file: " + tmp.resolve("train.csv") + "\n  test_file: "
        + tmp.resolve("test.csv") + "\nmodel:\n  type: pca\n  n_components: 1\n");
    Outcome o = runner(spec.toString(), "tracking.uri=none", "--outputs", tmp.resolve("outputs").toString());
    assertEquals(3, o.code(), o.err());
    assertTrue(o.err().contains(tmp.resolve("test.csv") + ": every test row is normal"), o.err());
    assertTrue(Files.notExists(tmp.resolve("outputs")), "no run folder: nothing was trained");
  }

  /** Exit code 2 for a bad spec, whatever the kind of problem, with the file named. */
  @Test
  void specErrorsExitWith2AndNameTheFile(@TempDir Path tmp) throws Exception {
    StringBuilder bomb = new StringBuilder("a: &a [x, x]\n");
    for (int i = 0; i < 60; i++) {
      bomb.append("b").append(i).append(": [*a, *a]\n");
    }
    Path spec = tmp.resolve("aliases.yaml");
    Files.writeString(spec, bomb + "model:\n  type: ae\n");
    Outcome o = runner(spec.toString(), "--outputs", tmp.resolve("out").toString());
    assertEquals(2, o.code(), o.err());
    assertTrue(o.err().contains(spec.toString()), o.err());
    Outcome nan = runner("experiments/kdd_ae.yaml", "model.dropout=NaN", "--outputs", tmp.resolve("out").toString());
    assertEquals(2, nan.code(), nan.err());
    assertTrue(nan.err().contains("model.dropout") && nan.err().contains("finite"), nan.err());
    Outcome rule = runner("experiments/kdd_ae.yaml", "evaluation.threshold=value:NaN", "--outputs", tmp.resolve("out").toString());
    assertEquals(2, rule.code(), rule.err());
    assertTrue(rule.err().contains("kdd_ae.yaml: evaluation.threshold: threshold rule 'value:NaN': 'NaN' is not a finite number"), rule.err());
    assertTrue(Files.notExists(tmp.resolve("out")));
  }

  /** Exit code 1: a run that starts and fails (here: a GPU asked for on a machine without one). */
  @Test
  void aFailedRunExitsWith1(@TempDir Path tmp) {
    Outcome o = runner("experiments/kdd_pca.yaml", "tracking.uri=none", "device=gpu", "--outputs", tmp.toString(),
        "dataset.data_dir=" + TestData.kdd99Dir());
    assertEquals(1, o.code(), o.err());
    assertNotEquals("", o.err());
  }
}
