package io.deepad4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deepad4j.TestData;
import io.deepad4j.data.Dataset;
import io.deepad4j.data.Kdd99;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the command line on the real KDD data, as a user would, and checks what lands on disk. */
class CliEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Path onlyRun(Path outputs) throws Exception {
    try (Stream<Path> s = Files.list(outputs.resolve("kdd99-ff12"))) {
      List<Path> runs = s.toList();
      assertEquals(1, runs.size(), "one run folder: " + runs);
      return runs.get(0);
    }
  }

  private static int run(Path outputs, String... args) {
    List<String> a = new ArrayList<>(List.of("experiments/kdd_ae.yaml"));
    a.addAll(List.of(args));
    a.addAll(List.of("tracking.uri=none", "--outputs", outputs.toString(), "dataset.data_dir=" + TestData.kdd99Dir()));
    return Main.execute(a.toArray(String[]::new));
  }

  @Test
  void runWritesEveryOutputAndTheModelScoresIdenticallyInAFreshProcess(@TempDir Path tmp) throws Exception {
    Path outputs = tmp.resolve("outputs");
    assertEquals(0, run(outputs, "model.epochs=3"));
    Path runDir = onlyRun(outputs);
    for (String f : List.of("config.yaml", "metrics.json", "history.csv", "scores.csv", "roc_curve_plot.png",
        "precision_recall_curve_plot.png", "score_histogram.png", "loss_curve_plot.png", "run.json", "model/MLmodel",
        "model/tfmodel/saved_model.pb", "model/preprocessing.json", "model/detector.json")) {
      assertTrue(Files.size(runDir.resolve(f)) > 0, f);
    }
    assertEquals(800, ImageIO.read(runDir.resolve("roc_curve_plot.png").toFile()).getWidth());
    java.awt.image.BufferedImage lossCurve = ImageIO.read(runDir.resolve("loss_curve_plot.png").toFile());
    assertEquals(List.of(800, 600), List.of(lossCurve.getWidth(), lossCurve.getHeight()), "loss_curve_plot.png");
    JsonNode status = JSON.readTree(runDir.resolve("run.json").toFile());
    assertEquals("FINISHED", status.get("status").asText());
    JsonNode metrics = JSON.readTree(runDir.resolve("metrics.json").toFile());
    for (String m : List.of("roc_auc", "precision_recall_auc", "accuracy_score", "precision_score", "recall_score",
        "f1_score", "f2_score", "threshold", "train_time_s", "inference_time_s", "num_params", "model_size_kb")) {
      assertTrue(metrics.has(m), "metrics.json lacks " + m);
    }
    assertTrue(metrics.get("roc_auc").asDouble() > 0.8, "3 epochs of the FF12 autoencoder: " + metrics);
    assertEquals(842, metrics.get("num_params").asInt()); // 18-15-7-2-7-15-18 dense layers with biases
    List<String> history = Files.readAllLines(runDir.resolve("history.csv"));
    // kdd_ae.yaml holds out 10% of the training rows (model.validation_split): their mean score is val_score
    assertEquals("epoch,loss,val_score,lr,epoch_time_s,step_time_s", history.get(0));
    assertEquals(4, history.size());
    assertTrue(Files.readString(runDir.resolve("config.yaml")).contains("epochs: 3"));
    // provenance: the model says which bytes it was trained and evaluated on, and with which split seed
    JsonNode provenance = JSON.readTree(runDir.resolve("model/detector.json").toFile()).get("provenance");
    for (String f : List.of("kddcup.data_10_percent.gz", "corrected.gz")) {
      String expected = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(Files.readAllBytes(TestData.kdd99Dir().resolve(f))));
      assertEquals(expected, provenance.path("data_sha256").path(f).asText(), f);
    }
    assertEquals(2018, provenance.get("split_seed").asInt());
    assertEquals("ff12", provenance.get("protocol").asText());

    // score the test split again through `runner score` in a new JVM and compare with scores.csv
    Dataset data = Kdd99.load(TestData.kdd99Dir(), Kdd99.Protocol.FF12, "8020", 2018, true, java.net.URI.create("http://127.0.0.1:9/"));
    StringBuilder csv = new StringBuilder(String.join(",", data.featureNames())).append('\n');
    for (float[] row : data.test()) {
      for (int j = 0; j < row.length; j++) {
        csv.append(j == 0 ? "" : ",").append(row[j]);
      }
      csv.append('\n');
    }
    Files.writeString(tmp.resolve("rows.csv"), csv);
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "io.deepad4j.cli.Main", "score",
        runDir.resolve("model").toString(), tmp.resolve("rows.csv").toString(), "-o", tmp.resolve("out.csv").toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    double[] expected = Files.readAllLines(runDir.resolve("scores.csv")).stream().skip(1).mapToDouble(l -> Double.parseDouble(l.split(",")[0])).toArray();
    double[] actual = Files.readAllLines(tmp.resolve("out.csv")).stream().skip(1).mapToDouble(l -> Double.parseDouble(l.split(",")[1])).toArray();
    assertArrayEquals(expected, actual, 0.0);
  }

  @Test
  void sameSeedGivesTheSameRocAucAndAnotherSeedDoesNot(@TempDir Path tmp) throws Exception {
    double[] auc = new double[3];
    String[] seeds = {"seed=5", "seed=5", "seed=6"};
    for (int i = 0; i < 3; i++) {
      Path outputs = tmp.resolve("o" + i);
      assertEquals(0, run(outputs, "model.epochs=2", seeds[i]));
      auc[i] = JSON.readTree(onlyRun(outputs).resolve("metrics.json").toFile()).get("roc_auc").asDouble();
    }
    assertEquals(auc[0], auc[1], 0.0, "same seed, same ROC AUC");
    assertNotEquals(auc[0], auc[2], "another seed samples other rows and weights");
  }

  static String stderrOf(Runnable r) {
    PrintStream old = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setErr(new PrintStream(buf, true));
    try {
      r.run();
    } finally {
      System.setErr(old);
    }
    return buf.toString();
  }

  static String stdoutOf(Runnable r) {
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true));
    try {
      r.run();
    } finally {
      System.setOut(old);
    }
    return buf.toString();
  }

  /** Issue 18.9: `score --help` said "Missing required parameter", `sync --help` "Unknown option". */
  @Test
  void everySubcommandPrintsItsHelpWithExitCode0() {
    for (String sub : List.of("run", "score", "sync", "bench", "keys", "sweep", "compare", "leaderboard", "split")) {
      int[] code = new int[1];
      String[] out = new String[1];
      String err = stderrOf(() -> out[0] = stdoutOf(() -> code[0] = Main.execute(sub, "--help")));
      assertEquals(0, code[0], sub + " --help: " + err + out[0]);
      assertTrue(out[0].contains("Usage: runner " + sub), sub + " --help: " + out[0]);
    }
    // `runner help` and `runner help sync` (help was a listed subcommand without a command behind it)
    int[] code = new int[1];
    String out = stdoutOf(() -> code[0] = Main.execute("help", "sync"));
    assertEquals(0, code[0], out);
    assertTrue(out.contains("Usage: runner sync"), out);
    out = stdoutOf(() -> code[0] = Main.execute("help"));
    assertEquals(0, code[0], out);
    assertTrue(out.contains("Usage: runner") && out.contains("compare"), out);
  }

  /** Issue 18.9: sync's bad arguments are exit code 2, name the problem and never a credential. */
  @Test
  void syncWithAMissingFolderOrABadUriIsExitCode2(@TempDir Path tmp) {
    int[] code = new int[1];
    String err = stderrOf(() -> code[0] = Main.execute("sync", tmp.resolve("missing").toString()));
    assertEquals(2, code[0], err);
    assertTrue(err.contains(tmp.resolve("missing") + " is not a folder; give the outputs folder"), err);
    err = stderrOf(() -> code[0] = Main.execute("sync", tmp.toString(), "--uri", "ftp://alice18:s3cret18@host/x"));
    assertEquals(2, code[0], err);
    assertTrue(err.contains("--uri: tracking.uri 'ftp://host/x' must be an http(s) URL"), err);
    assertTrue(!err.contains("s3cret18") && !err.contains("alice18"), err);
  }

  /** Issue 18.8: after kill -9 run.json said RUNNING for ever and compare showed RUNNING. */
  @Test
  void runKilledHardShowsAsFailedInCompareAndRunJson(@TempDir Path tmp) throws Exception {
    Path outputs = tmp.resolve("outputs");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "io.deepad4j.cli.Main", "experiments/kdd_ae.yaml",
        "model.epochs=100000", "device=cpu", "tracking.uri=none", "dataset.data_dir=" + TestData.kdd99Dir(),
        "--outputs", outputs.toString())
        .redirectErrorStream(true).redirectOutput(tmp.resolve("run.log").toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
    Path journal = null;
    while (journal == null || !Files.readString(journal).contains("\"op\":\"metrics\"")) {
      assertTrue(System.nanoTime() < deadline && p.isAlive(), () -> "no epoch journaled: " + read(tmp.resolve("run.log")));
      Thread.sleep(300);
      if (Files.isDirectory(outputs.resolve("kdd99-ff12"))) {
        Path candidate = onlyRun(outputs).resolve("tracking/journal.jsonl");
        journal = Files.exists(candidate) ? candidate : null;
      }
    }
    p.destroyForcibly(); // kill -9: no shutdown hook
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    Path runDir = onlyRun(outputs);
    assertEquals("RUNNING", JSON.readTree(runDir.resolve("run.json").toFile()).path("status").asText(), "precondition");

    int[] code = new int[1];
    String out = stdoutOf(() -> code[0] = Main.execute("compare", "kdd99-ff12", "--uri", "none", "--outputs", outputs.toString()));
    assertEquals(0, code[0], out);
    assertTrue(out.contains("FAILED") && !out.contains("RUNNING"), out);
    JsonNode status = JSON.readTree(runDir.resolve("run.json").toFile());
    assertEquals("FAILED", status.path("status").asText(), status.toString());
    assertTrue(status.path("error").asText().contains("process ended without closing the run"), status.toString());
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (java.io.IOException e) {
      return e.toString();
    }
  }

  @Test
  void badSpecStopsBeforeAnyWorkWithExitCode2(@TempDir Path tmp) throws Exception {
    Path spec = tmp.resolve("bad.yaml");
    Files.writeString(spec, "model:\n  type: ae\n  epoch: 3\n");
    int[] code = new int[1];
    String err = stderrOf(() -> code[0] = Main.execute(spec.toString(), "--outputs", tmp.resolve("out").toString()));
    assertEquals(2, code[0]);
    assertTrue(err.contains("bad.yaml:3") && err.contains("did you mean 'model.epochs'"), err);
    assertTrue(Files.notExists(tmp.resolve("out")), "no outputs for a bad spec");
  }

  @Test
  void missingDataWithoutNetworkSaysWhereToPutTheFiles(@TempDir Path tmp) {
    int[] code = new int[1];
    String err = stderrOf(() -> code[0] = Main.execute("experiments/kdd_ae.yaml", "tracking.uri=none",
        "dataset.data_dir=" + tmp.resolve("empty"), "dataset.url=http://127.0.0.1:9/", "--outputs", tmp.resolve("out").toString()));
    assertEquals(3, code[0]);
    assertTrue(err.contains("kddcup.data_10_percent.gz") && err.contains(tmp.resolve("empty").toString()), err);
  }

  @Test
  void gpuWithoutAGpuIsAClearErrorBeforeAnyWork(@TempDir Path tmp) {
    org.junit.jupiter.api.Assertions.assertFalse(io.deepad4j.engine.Device.gpuVisible(), "this test expects a machine without a GPU");
    int[] code = new int[1];
    String err = stderrOf(() -> code[0] = Main.execute("experiments/kdd_ae.yaml", "tracking.uri=none", "device=gpu",
        "dataset.data_dir=" + TestData.kdd99Dir(), "--outputs", tmp.resolve("out").toString()));
    assertEquals(1, code[0]);
    assertTrue(err.contains("device: gpu, but TensorFlow sees no GPU"), err);
    assertTrue(Files.notExists(tmp.resolve("out")), "no run folder");
  }

  @Test
  void corruptGzipIsOneClearError(@TempDir Path tmp) throws Exception {
    Path dir = TestData.copyKdd99(tmp.resolve("kdd"));
    byte[] bytes = Files.readAllBytes(dir.resolve("corrected.gz"));
    Files.write(dir.resolve("corrected.gz"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
    int[] code = new int[1];
    String err = stderrOf(() -> code[0] = Main.execute("experiments/kdd_ae.yaml", "tracking.uri=none",
        "dataset.data_dir=" + dir, "dataset.verify_checksums=false", "--outputs", tmp.resolve("out").toString()));
    assertEquals(3, code[0]);
    assertTrue(err.contains("corrected.gz"), err);
  }
}
