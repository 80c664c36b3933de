package io.deepad4j.cli;

import static io.deepad4j.cli.CliEndToEndTest.stderrOf;
import static io.deepad4j.cli.CliEndToEndTest.stdoutOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deepad4j.TestData;
import io.deepad4j.data.NpzDataset;
import io.deepad4j.data.StratifiedSplit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `runner split` and a run of `dataset.name: adbench`, on copies of real ADBench files. */
class AdbenchCommandsTest {

  @TempDir Path tmp;

  private Path copy(String... subsets) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("adbench"));
    for (String s : subsets) {
      Files.copy(TestData.sharedData("adbench", s + ".npz").resolve(s + ".npz"), dir.resolve(s + ".npz"));
    }
    return dir;
  }

  @Test
  void splitWritesOneFileOfEveryRowPerDataSetAndSeed() throws IOException {
    Path data = copy("14_glass", "42_WBC");
    Path other = Files.copy(data.resolve("42_WBC.npz"), tmp.resolve("wbc-copy.npz"));
    Path out = tmp.resolve("splits");
    int[] code = new int[1];
    String printed = stdoutOf(() -> code[0] = Main.execute("split", "--subset", "14_glass", "--file", other.toString(),
        "--seeds", "1,2", "--data-dir", data.toString(), "-o", out.toString()));
    assertEquals(0, code[0], printed);
    try (Stream<Path> s = Files.list(out)) {
      assertEquals(List.of("14_glass-seed1.csv", "14_glass-seed2.csv", "wbc-copy-seed1.csv", "wbc-copy-seed2.csv"),
          s.map(p -> p.getFileName().toString()).sorted().toList(), "and no temporary file");
    }
    int[] y = NpzDataset.read(data.resolve("14_glass.npz")).y();
    for (long seed : new long[] {1, 2}) {
      List<String> lines = Files.readAllLines(out.resolve("14_glass-seed" + seed + ".csv"));
      assertEquals("index,part", lines.get(0));
      assertEquals(214 + 1, lines.size(), "one line per row");
      int[] test = IntStream.range(1, lines.size()).filter(i -> lines.get(i).equals((i - 1) + ",test")).map(i -> i - 1).toArray();
      assertEquals(214 - test.length, lines.stream().filter(l -> l.endsWith(",train")).count());
      assertArrayEquals(StratifiedSplit.of(y, seed).test(), test, "the split runs with this seed use");
    }
    assertFalse(Files.readString(out.resolve("14_glass-seed1.csv")).equals(Files.readString(out.resolve("14_glass-seed2.csv"))));
    assertTrue(printed.contains("14_glass: 149 train, 65 test rows"), printed); // 205 normal: 62 test; 9 anomalies: 3
  }

  @Test
  void splitRefusesUnknownNamesAndMissingInputsWithExitCode2() {
    int[] code = new int[1];
    String err = stderrOf(() -> code[0] = Main.execute("split", "--subset", "6_cardoi", "--seeds", "1", "-o", tmp.toString()));
    assertEquals(2, code[0], err);
    assertTrue(err.contains("--subset: '6_cardoi' is not one of [1_ALOI,") && err.contains("did you mean '6_cardio'?"), err);
    err = stderrOf(() -> code[0] = Main.execute("split", "--seeds", "1", "-o", tmp.toString()));
    assertEquals(2, code[0], err);
    assertTrue(err.contains("name at least one --subset or --file"), err);
    err = stderrOf(() -> code[0] = Main.execute("split", "--file", tmp.resolve("nope.npz").toString(), "--seeds", "1",
        "-o", tmp.toString()));
    assertEquals(3, code[0], err);
    assertTrue(err.contains("nope.npz does not exist"), err);
  }

  /** Runs a spec locally (exit 0 expected) and returns its run folder. */
  private Path runOnce(String experiment, String spec, String... overrides) throws IOException {
    Path outputs = tmp.resolve("outputs");
    List<String> args = new java.util.ArrayList<>(List.of(spec, "tracking.uri=none", "--outputs", outputs.toString()));
    args.addAll(List.of(overrides));
    int[] code = new int[1];
    String err = stderrOf(() -> code[0] = Main.execute(args.toArray(String[]::new)));
    assertEquals(0, code[0], err);
    try (Stream<Path> s = Files.list(outputs.resolve(experiment))) {
      return s.findFirst().orElseThrow();
    }
  }

  @Test
  void anNpzRunReadsTheNamedFileUnsupervisedByDefault() throws IOException {
    Path file = Files.copy(TestData.sharedData("adbench", "42_WBC.npz").resolve("42_WBC.npz"), tmp.resolve("wbc.npz"));
    Path run = runOnce("npz-test", "experiments/kdd_pca.yaml", "dataset.name=npz", "dataset.file=" + file,
        "model.n_components=2", "evaluation.threshold=percentile:90", "experiment=npz-test");
    JsonNode detector = new ObjectMapper().readTree(run.resolve("model/detector.json").toFile());
    assertEquals("unsupervised", detector.at("/provenance/protocol").asText(), detector.toString());
    assertTrue(detector.has("provenance") && detector.at("/provenance/data_sha256/wbc.npz").isTextual(), detector.toString());
    int rows = NpzDataset.read(file).y().length;
    assertEquals(StratifiedSplit.of(NpzDataset.read(file).y(), 2018).test().length + 1,
        Files.readAllLines(run.resolve("scores.csv")).size(), "the test part of the spec's seed (2018), of " + rows + " rows");
  }

  @Test
  void anAdbenchRunUsesTheSplitAndRecordsTheFileAndSetting() throws IOException {
    Path data = copy("14_glass");
    Path spec = Files.writeString(tmp.resolve("glass.yaml"), """
        experiment: adbench-test
        seed: 3
        dataset:
          name: adbench
          subset: 14_glass
          setting: semi_supervised
        model:
          type: pca
          n_components: 2
        """);
    Path run = runOnce("adbench-test", spec.toString(), "dataset.data_dir=" + data);
    JsonNode metrics = new ObjectMapper().readTree(run.resolve("metrics.json").toFile());
    double auc = metrics.get("roc_auc").asDouble();
    assertTrue(auc > 0.5 && auc <= 1, "roc_auc " + auc);
    assertTrue(metrics.has("val_roc_auc"), "best_accuracy had the labelled training part to choose on");
    assertEquals(65 + 1, Files.readAllLines(run.resolve("scores.csv")).size(), "the 30% test part, with a header");
    String config = Files.readString(run.resolve("config.yaml"));
    assertTrue(config.contains("data_dir: " + data) && config.contains("setting: semi_supervised"), config);
    JsonNode detector = new ObjectMapper().readTree(run.resolve("model/detector.json").toFile());
    assertEquals("semi_supervised", detector.at("/provenance/protocol").asText(), detector.toString());
    assertTrue(detector.at("/provenance/data_sha256/14_glass.npz").asText().matches("[0-9a-f]{64}"), detector.toString());
  }
}
