package io.deepad4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deepad4j.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./runner bench} on the real KDD data: the table files, the run order, the same results either way. */
class BenchCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void runOrderIsSpecBySpecOrRepeatByRepeat() {
    assertEquals(List.of("0/0", "0/1", "0/2", "1/0", "1/1", "1/2"), names(BenchCommand.runOrder(2, 3, false)));
    assertEquals(List.of("0/0", "1/0", "0/1", "1/1", "0/2", "1/2"), names(BenchCommand.runOrder(2, 3, true)));
    assertEquals(List.of("0/0", "0/1"), names(BenchCommand.runOrder(1, 2, true)));
  }

  private static List<String> names(List<int[]> order) {
    return order.stream().map(r -> r[0] + "/" + r[1]).toList();
  }

  @Test
  void interleavedBenchRunsSeedBySeedAndGivesTheSameTable(@TempDir Path tmp) throws Exception {
    Path interleaved = tmp.resolve("interleaved");
    Path sequential = tmp.resolve("sequential");
    assertEquals(0, bench(interleaved, "--interleave"));
    assertEquals(0, bench(sequential));

    assertEquals(List.of("kdd_ae.yaml seed=2018", "kdd_vae.yaml seed=2018", "kdd_ae.yaml seed=2019", "kdd_vae.yaml seed=2019"),
        runsInStartOrder(interleaved));
    assertEquals(List.of("kdd_ae.yaml seed=2018", "kdd_ae.yaml seed=2019", "kdd_vae.yaml seed=2018", "kdd_vae.yaml seed=2019"),
        runsInStartOrder(sequential));

    List<String[]> a = csvRows(interleaved);
    List<String[]> b = csvRows(sequential);
    assertEquals(2, a.size());
    List<String> header = Arrays.asList(Files.readAllLines(onlyFile(sequential, ".csv")).get(0).split(","));
    for (int row = 0; row < 2; row++) {
      assertEquals("2", a.get(row)[header.indexOf("repeats")]);
      for (String column : List.of("spec", "roc_auc_mean", "roc_auc_std", "f1_score_mean", "num_params_mean")) {
        int c = header.indexOf(column);
        assertEquals(b.get(row)[c], a.get(row)[c], column + " of row " + row);
      }
    }
    assertTrue(Files.readString(onlyFile(interleaved, ".md")).contains("| kdd_vae.yaml | ff12 |"));
  }

  private static int bench(Path outputs, String... extra) {
    List<String> args = new ArrayList<>(List.of("bench", "experiments/kdd_ae.yaml", "experiments/kdd_vae.yaml",
        "--repeats", "2", "--set", "model.epochs=1", "--set", "dataset.data_dir=" + TestData.kdd99Dir(),
        "--outputs", outputs.toString()));
    args.addAll(List.of(extra));
    return Main.execute(args.toArray(String[]::new));
  }

  /**
   * "spec seed=N" of every run folder, by the start time in its run.json. Issue 21: the bench's runs are in its
   * own folder, outputs/bench/bench-<stamp>/runs/, named as its tables, not among the single runs of the experiment.
   */
  private static List<String> runsInStartOrder(Path outputs) throws Exception {
    assertTrue(Files.notExists(outputs.resolve("kdd99-ff12")), "no bench run in outputs/<experiment>/");
    Path tables = onlyFile(outputs, ".csv");
    Path benchDir = outputs.resolve("bench").resolve(tables.getFileName().toString().replaceFirst("\\.csv$", ""));
    assertTrue(benchDir.getFileName().toString().matches("bench-\\d{8}-\\d{6}"), benchDir.toString());
    List<JsonNode> runs = new ArrayList<>();
    try (Stream<Path> s = Files.list(benchDir.resolve("runs").resolve("kdd99-ff12"))) {
      for (Path dir : s.toList()) {
        runs.add(JSON.readTree(dir.resolve("run.json").toFile()));
      }
    }
    runs.sort(Comparator.comparing(r -> r.get("started").asText()));
    List<String> out = new ArrayList<>();
    for (JsonNode r : runs) {
      JsonNode overrides = r.get("overrides");
      String seed = overrides.get(overrides.size() - 1).asText();
      out.add(Path.of(r.get("spec").asText()).getFileName() + " " + seed);
    }
    return out;
  }

  private static List<String[]> csvRows(Path outputs) throws Exception {
    List<String> lines = Files.readAllLines(onlyFile(outputs, ".csv"));
    return lines.subList(1, lines.size()).stream().map(l -> l.split(",")).toList();
  }

  private static Path onlyFile(Path outputs, String suffix) throws Exception {
    try (Stream<Path> s = Files.list(outputs.resolve("bench"))) {
      List<Path> files = s.filter(p -> p.toString().endsWith(suffix)).toList();
      assertEquals(1, files.size(), files.toString());
      return files.get(0);
    }
  }

  /** Issue 18, item 7: two benches ending in the same second wrote the same bench-<stamp>.csv; one table was lost. */
  @Test
  void twoBenchesInTheSameSecondKeepBothTables(@TempDir Path tmp) throws Exception {
    Path first = BenchCommand.writeTables(tmp, "bench-20261206-120000", "| first |\n", "spec\nfirst\n");
    Path second = BenchCommand.writeTables(tmp, "bench-20261206-120000", "| second |\n", "spec\nsecond\n");
    assertEquals(tmp.resolve("bench-20261206-120000.csv"), first);
    assertEquals(tmp.resolve("bench-20261206-120000-2.csv"), second);
    assertEquals("spec\nfirst\n", Files.readString(first));
    assertEquals("spec\nsecond\n", Files.readString(second));
    assertEquals("| first |\n", Files.readString(tmp.resolve("bench-20261206-120000.md")));
    assertEquals("| second |\n", Files.readString(tmp.resolve("bench-20261206-120000-2.md")));
    try (Stream<Path> s = Files.list(tmp)) {
      assertEquals(4, s.count(), "no temporary file left behind");
    }
  }
}
