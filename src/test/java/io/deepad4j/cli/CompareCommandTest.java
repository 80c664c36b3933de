package io.deepad4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepad4j.data.CsvLines;
import io.deepad4j.sweep.RunComparison;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21: `./runner compare` printed ~470-character rows with the metrics after 20 param columns, and params that
 * do not apply to a model counted as differing. Run folders made here: two autoencoders, two BiGANs, one SVM.
 */
class CompareCommandTest {
  /** A BiGAN's hidden layers as a 300-character value. */
  private static final String LONG_HIDDEN = IntStream.rangeClosed(1, 60).mapToObj(i -> Integer.toString(100 + i))
      .collect(Collectors.joining(", ", "[", "]"));

  @TempDir
  Path tmp;
  Path outputs;

  @BeforeEach
  void runFolders() throws Exception {
    outputs = tmp.resolve("outputs");
    run("ae-20260101-100000", "ae", "learning_rate: 0.001\n  hidden: [15, 7]\n  epochs: 100", 0.95, 12.5);
    run("ae-20260101-110000", "ae", "learning_rate: 0.01\n  hidden: [15, 7]\n  epochs: 100", 0.93, 11.0);
    run("bigan-20260101-120000", "bigan", "learning_rate: 0.0001\n  hidden: [64, 32]\n  epochs: 20\n"
        + "  gan_updates: simultaneous\n  latent_dim: 32", 0.91, 80.25);
    run("bigan-20260101-130000", "bigan", "learning_rate: 0.0001\n  hidden: \"" + LONG_HIDDEN + "\"\n  epochs: 20\n"
        + "  gan_updates: alternating", 0.97, 95.0);
    run("ocsvm-20260101-140000", "ocsvm", "nu: 0.1\n  gamma: 0.5", 0.90, 3.0);
  }

  private void run(String name, String type, String modelKeys, double rocAuc, double trainSeconds) throws Exception {
    Path dir = Files.createDirectories(outputs.resolve("kdd99-ff12").resolve(name));
    Files.writeString(dir.resolve("config.yaml"), "experiment: kdd99-ff12\nrun_name: " + name.substring(0, name.indexOf('-'))
        + "\nseed: 2018\nthreads: " + (type.equals("ae") && rocAuc > 0.94 ? 4 : 2) + "\ntracking:\n  uri: none\n"
        + "dataset:\n  name: kdd99\n  protocol: ff12\nmodel:\n  type: " + type + "\n  " + modelKeys + "\n");
    Files.writeString(dir.resolve("metrics.json"), "{\"roc_auc\": " + rocAuc + ", \"precision_recall_auc\": " + (rocAuc - 0.1)
        + ", \"f1_score\": 0.8, \"accuracy_score\": 0.9, \"train_time_s\": " + trainSeconds + ", \"num_params\": 1234}");
    Files.writeString(dir.resolve("run.json"), "{\"status\": \"FINISHED\"}");
  }

  @Test
  void onlyParamsThatDifferAmongRunsOfTheSameModelCount() {
    List<RunComparison.Run> runs = RunComparison.fromOutputs(outputs, "kdd99-ff12");
    assertEquals(5, runs.size());
    // not model.epochs (100 for the autoencoders, 20 for the BiGANs), model.latent_dim (one BiGAN has it),
    // model.nu (one SVM), threads, run_name, tracking.uri
    assertEquals(List.of("model.type", "model.gan_updates", "model.hidden", "model.learning_rate"),
        RunComparison.differingParams(runs));
    List<RunComparison.Run> autoencoders = runs.stream().filter(r -> r.params().get("model.type").equals("ae")).toList();
    assertEquals(List.of("model.learning_rate"), RunComparison.differingParams(autoencoders), "one model: no model.type");
  }

  @Test
  void theTableShowsMetricsFirstThenTheDifferingParams() {
    String table = RunComparison.table(RunComparison.fromOutputs(outputs, "kdd99-ff12"), RunComparison.DEFAULT_METRICS,
        "roc_auc", 120);
    List<String> lines = table.lines().toList();
    for (String line : lines.subList(0, 7)) {
      assertTrue(line.length() <= 120, line.length() + " characters: " + line);
    }
    assertTrue(lines.get(0).matches("run +roc_auc +pr_auc +f1 +accuracy +train_s +model +gan_updates +hidden"
        + " +learning_rate"), "every run FINISHED: no status column; then the metrics, then the params: " + table);
    assertEquals(List.of("bigan-20260101-130000", "ae-20260101-100000", "ae-20260101-110000", "bigan-20260101-120000",
        "ocsvm-20260101-140000"), lines.subList(2, 7).stream().map(l -> l.split(" +")[0]).toList(), "best roc_auc first");
    String longRow = lines.get(2);
    assertTrue(longRow.matches("bigan-20260101-130000 +0\\.9700 +0\\.8700 +0\\.8000 +0\\.9000 +95\\.00 +bigan"
        + " +alternating +\\[101, 102, [0-9, ]*\\.\\.\\. +1\\.0E-4"), "the long value cut with ...: " + longRow);
    assertTrue(lines.get(5).contains("simultaneous") && lines.get(5).contains("[64, 32]"), lines.get(5));
    assertTrue(lines.get(3).matches("ae-20260101-100000 .* ae +- +\\[15, 7\\] +0\\.001"),
        "a param the model does not have is '-': " + lines.get(3));
    assertEquals("5 runs (all FINISHED); params that differ: model.type, model.gan_updates, model.hidden,"
        + " model.learning_rate", lines.get(7));
    assertEquals(8, lines.size(), "nothing left out at 120 characters: " + table);
  }

  @Test
  void aNarrowerTerminalCutsValuesThenLeavesOutParamsItNames() {
    List<RunComparison.Run> runs = RunComparison.fromOutputs(outputs, "kdd99-ff12");
    String table = RunComparison.table(runs, RunComparison.DEFAULT_METRICS, "roc_auc", 100);
    List<String> lines = table.lines().toList();
    for (String line : lines.subList(0, 7)) {
      assertTrue(line.length() <= 100, line.length() + " characters: " + line);
    }
    assertTrue(lines.get(0).matches("run +roc_auc +pr_auc +f1 +accuracy +train_s +model +gan_upd\\.\\.\\. +hidden"), table);
    assertTrue(lines.get(2).matches("bigan-20260101-130000 .* bigan +alterna\\.\\.\\. +\\[101, 1\\.\\.\\."), table);
    assertEquals("not shown for want of width: learning_rate (set COLUMNS wider, or --csv for every param)", lines.get(9),
        table);

    String narrow = RunComparison.table(runs, RunComparison.DEFAULT_METRICS, "roc_auc", 70);
    List<String> n = narrow.lines().toList();
    for (String line : n.subList(0, 7)) {
      assertTrue(line.length() <= 70, line.length() + " characters: " + line);
    }
    assertTrue(n.get(0).matches("run +roc_auc +pr_auc +f1 +accuracy +train_s"), "every metric stays: " + narrow);
    assertTrue(n.get(2).startsWith("bigan-20260101-130000 "), "run names stay whole: " + narrow);
    assertEquals(List.of("5 runs (all FINISHED); params that differ: model.type,",
        "  model.gan_updates, model.hidden, model.learning_rate",
        "not shown for want of width: model, gan_updates, hidden, learning_rate",
        "  (set COLUMNS wider, or --csv for every param)"), n.subList(7, n.size()), "the notes wrapped too: " + narrow);
  }

  @Test
  void aRunThatDidNotFinishBringsTheStatusColumn() throws Exception {
    Files.writeString(outputs.resolve("kdd99-ff12/ae-20260101-110000/run.json"), "{\"status\": \"FAILED\"}");
    List<String> lines = RunComparison.table(RunComparison.fromOutputs(outputs, "kdd99-ff12"),
        RunComparison.DEFAULT_METRICS, "roc_auc", 120).lines().toList();
    assertTrue(lines.get(0).matches("run +status +roc_auc .*"), lines.get(0));
    assertTrue(lines.stream().anyMatch(l -> l.matches("ae-20260101-110000 +FAILED .*")), lines.toString());
    assertTrue(lines.get(7).startsWith("5 runs; params that differ:"), lines.get(7));
  }

  @Test
  void csvHasEveryMetricAndEveryParamOfEveryRun() throws Exception {
    int[] code = new int[1];
    String out = stdout(() -> code[0] = Main.execute("compare", "kdd99-ff12", "--uri", "none", "--outputs",
        outputs.toString(), "--csv"));
    assertEquals(0, code[0], out);
    List<String> lines = out.lines().toList();
    assertEquals(6, lines.size(), out);
    List<String> header = CsvLines.split(lines.get(0), Path.of("stdout"), 1);
    assertEquals(List.of("run", "status", "roc_auc", "precision_recall_auc", "f1_score", "accuracy_score",
        "train_time_s", "num_params", "dataset.name", "dataset.protocol", "experiment", "model.epochs", "model.gamma",
        "model.gan_updates", "model.hidden", "model.latent_dim", "model.learning_rate", "model.nu", "model.type",
        "run_name", "seed", "threads", "tracking.uri"), header);
    Map<String, String> best = row(header, CsvLines.split(lines.get(1), Path.of("stdout"), 2));
    assertEquals("bigan-20260101-130000", best.get("run"));
    assertEquals(LONG_HIDDEN, best.get("model.hidden"), "whole, quoted");
    assertEquals("0.97", best.get("roc_auc"));
    assertEquals("", best.get("model.nu"), "a param the run does not have is empty");
    Map<String, String> svm = row(header, CsvLines.split(lines.get(5), Path.of("stdout"), 6));
    assertEquals("0.1", svm.get("model.nu"));
    assertEquals("3.0", svm.get("train_time_s"));
  }

  @Test
  void theCommandFitsTheTerminalWidthAndTheWidthComesFromColumns() {
    int[] code = new int[1];
    String out = stdout(() -> code[0] = Main.execute("compare", "kdd99-ff12", "--uri", "none", "--outputs",
        outputs.toString()));
    assertEquals(0, code[0], out);
    int width = Terminal.width();
    assertTrue(out.lines().allMatch(l -> l.length() <= width || l.startsWith("runs of ")), out);
    assertTrue(out.lines().skip(1).findFirst().orElseThrow().startsWith("run "), out);
    assertEquals(150, Terminal.width(Map.of("COLUMNS", "150")));
    assertEquals(Terminal.DEFAULT_WIDTH, Terminal.width(Map.of()));
    assertEquals(Terminal.DEFAULT_WIDTH, Terminal.width(Map.of("COLUMNS", "wide")));
    assertEquals(Terminal.MIN_WIDTH, Terminal.width(Map.of("COLUMNS", "12")));
    assertFalse(out.contains(LONG_HIDDEN), "no 300-character value in the table");
  }

  private static Map<String, String> row(List<String> header, List<String> cells) {
    assertEquals(header.size(), cells.size(), cells.toString());
    Map<String, String> m = new java.util.LinkedHashMap<>();
    for (int i = 0; i < header.size(); i++) {
      m.put(header.get(i), cells.get(i));
    }
    return m;
  }

  private static String stdout(Runnable r) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream old = System.out;
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      r.run();
    } finally {
      System.setOut(old);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
