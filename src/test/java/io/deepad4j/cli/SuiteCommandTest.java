package io.deepad4j.cli;

import static io.deepad4j.cli.CliEndToEndTest.stderrOf;
import static io.deepad4j.cli.CliEndToEndTest.stdoutOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepad4j.TestData;
import io.deepad4j.bench.BenchResult;
import io.deepad4j.bench.BenchResults;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./runner bench --suite} end to end on two small ADBench data sets (copied from ../shared/data/adbench) x three
 * detectors x two seeds, one detector failing on one data set; and a suite file with a typo.
 */
class SuiteCommandTest {
  static final String SETS = "14_glass.npz 42_WBC.npz";

  /** A data folder with 14_glass (7 features) and 42_WBC (9 features), and specs for iforest, knn and pca. */
  static Path suite(Path tmp, String extra) throws Exception {
    Path data = Files.createDirectories(tmp.resolve("adbench"));
    for (String f : SETS.split(" ")) {
      Files.copy(TestData.sharedData("adbench", f).resolve(f), data.resolve(f));
    }
    Path specs = Files.createDirectories(tmp.resolve("specs"));
    String common = """
        experiment: single-runs
        dataset: {name: adbench, subset: 6_cardio}
        evaluation: {threshold: "percentile:90", score_validation: false}
        """;
    Files.writeString(specs.resolve("iforest.yaml"), common + "model: {type: iforest, n_estimators: 20}\n");
    Files.writeString(specs.resolve("knn.yaml"), common + "model: {type: knn, max_train_rows: 100}\n");
    // 8 components: fine on 42_WBC's 9 features, a failed fit on 14_glass's 7
    Files.writeString(specs.resolve("pca.yaml"), common + "model: {type: pca, n_components: 8}\n");
    Path file = tmp.resolve("suite.yaml");
    Files.writeString(file, """
        name: small
        experiment: suite-test
        data_dir: %s
        datasets: [14_glass, 42_WBC]
        specs: [specs/iforest.yaml, specs/knn.yaml, specs/pca.yaml]
        seeds: [1, 2]
        parallel: 2
        %s""".formatted(data, extra));
    return file;
  }

  private static String[] run(Path outputs, String... args) {
    int[] code = new int[1];
    String[] err = new String[1];
    String[] all = Stream.concat(Stream.of("bench", "--outputs", outputs.toString()), Stream.of(args))
        .toArray(String[]::new);
    String out = stdoutOf(() -> err[0] = stderrOf(() -> code[0] = Main.execute(all)));
    return new String[] {Integer.toString(code[0]), out, err[0]};
  }

  @Test
  void suiteRunsEveryTrialRecordsTheFailedOnesAndWritesTheLeaderboard(@TempDir Path tmp) throws Exception {
    Path file = suite(tmp, "");
    Path outputs = tmp.resolve("outputs");
    String[] r = run(outputs, "--suite", file.toString());
    assertEquals("0", r[0], r[2] + r[1]);

    Path dir;
    try (Stream<Path> s = Files.list(outputs.resolve("bench"))) {
      List<Path> dirs = s.toList();
      assertEquals(1, dirs.size(), dirs.toString());
      dir = dirs.get(0);
    }
    assertTrue(dir.getFileName().toString().startsWith("small-"), dir.toString());
    List<BenchResult> results = BenchResults.read(dir.resolve("results.csv"));
    assertEquals(12, results.size(), "2 data sets x 3 detectors x 2 seeds");
    for (BenchResult b : results) {
      boolean failing = b.dataset().equals("14_glass") && b.detector().equals("pca");
      assertEquals(failing ? BenchResult.Status.FAILED : BenchResult.Status.OK, b.status(), b.toString());
      // the 70/30 split: 14_glass 205 normal + 9 anomalies -> 143 + 6 train; 42_WBC 213 + 10 -> 149 + 7
      assertEquals(b.dataset().equals("14_glass") ? 149 : 156, b.trainRows(), b.toString());
      assertEquals(b.detector().equals("knn") ? 100 : b.trainRows(), b.trainRowsUsed(), "knn keeps 100: " + b);
      if (!failing) {
        assertTrue(b.rocAuc() >= 0 && b.rocAuc() <= 1 && b.fitTimeS() >= 0 && b.scoreTimeS() >= 0, b.toString());
      }
    }
    assertTrue(results.stream().anyMatch(b -> b.isOk() && b.rocAuc() > 0.8), "42_WBC's anomalies are easy");

    BufferedImage png = ImageIO.read(dir.resolve("leaderboard-cd.png").toFile());
    assertTrue(png.getWidth() > 100 && png.getHeight() > 50);
    String md = Files.readString(dir.resolve("leaderboard.md"));
    assertTrue(md.contains("| 42_WBC |"), md);
    assertTrue(Files.readString(dir.resolve("leaderboard.csv")).startsWith("detector,average_rank"));
    assertTrue(Files.readString(dir.resolve("leaderboard-cells.csv")).contains("14_glass,pca,0,2,"),
        "glass x pca: 0 seeds finished, 2 failed");
    assertTrue(r[1].contains("FAILED 14_glass pca seed 1") && r[1].contains("suite small: 12 trials, 2 failed"), r[1]);
    assertTrue(r[1].contains(md.lines().findFirst().orElseThrow()), "the leaderboard is printed");
    assertEquals(12, Files.readAllLines(dir.resolve("trials.jsonl")).size());
    assertTrue(Files.readString(dir.resolve("suite.yaml")).contains("name: small"));

    // the trials' run folders are the suite's, not the single runs' outputs/<experiment>/
    assertFalse(Files.exists(outputs.resolve("single-runs")) || Files.exists(outputs.resolve("suite-test")));
    try (Stream<Path> runs = Files.list(dir.resolve("runs").resolve("suite-test"))) {
      assertEquals(12, runs.count(), "every trial has its run folder, the failed ones too");
    }
  }

  @Test
  void ecg5000RunsInTheSuiteUnderItsOwnProtocolBesideTheAdbenchSets(@TempDir Path tmp) throws Exception {
    Path ecg = Files.createDirectories(tmp.resolve("ecg5000"));
    for (String f : List.of("ecg5000_train.csv.gz", "ecg5000_test.csv.gz")) {
      Files.copy(TestData.sharedData("ecg5000", f).resolve(f), ecg.resolve(f));
    }
    Path file = suite(tmp, "ecg5000_data_dir: " + ecg + "\n");
    Files.writeString(file, Files.readString(file).replace("datasets: [14_glass, 42_WBC]", "datasets: [42_WBC, ecg5000]"));
    String[] r = run(tmp.resolve("outputs"), "--suite", file.toString(), "--detectors", "iforest");
    assertEquals("0", r[0], r[2] + r[1]);
    Path dir;
    try (Stream<Path> s = Files.list(tmp.resolve("outputs").resolve("bench"))) {
      dir = s.findFirst().orElseThrow();
    }
    List<BenchResult> ecgRows = BenchResults.read(dir.resolve("results.csv")).stream()
        .filter(b -> b.dataset().equals("ecg5000")).toList();
    assertEquals(2, ecgRows.size(), "one row per seed: " + ecgRows);
    for (BenchResult b : ecgRows) {
      assertEquals(BenchResult.Status.OK, b.status(), b.toString());
      assertEquals(2627, b.trainRows(), "ECG5000 trains on the normal beats of its training file");
      assertTrue(b.rocAuc() > 0.8, "the abnormal beats are far from the normal ones: " + b);
    }
    assertTrue(Files.readString(dir.resolve("leaderboard.md")).contains("ecg5000"), "in the leaderboard");
  }

  @Test
  void onlyTheNamedDataSetsAndDetectorsRun(@TempDir Path tmp) throws Exception {
    String[] r = run(tmp.resolve("outputs"), "--suite", suite(tmp, "").toString(), "--datasets", "42_WBC",
        "--detectors", "iforest", "--set", "model.n_estimators=10");
    assertEquals("0", r[0], r[2] + r[1]);
    assertTrue(r[1].contains("suite small: 2 trials, 0 failed"), r[1]);
  }

  @Test
  void aTypoInTheSuiteFileStopsWithFileLineAndExitCode2BeforeAnythingRuns(@TempDir Path tmp) throws Exception {
    Path file = suite(tmp, "seedz: [4]\n");
    Path outputs = tmp.resolve("outputs");
    String[] r = run(outputs, "--suite", file.toString());
    assertEquals("2", r[0], r[2] + r[1]);
    assertTrue(r[2].contains(file + ":8: unknown key 'seedz'; did you mean 'seeds'?"), r[2]);
    assertFalse(Files.exists(outputs), "nothing ran, no folder was made");

    Files.writeString(file, Files.readString(file).replace("seedz: [4]\n", "").replace("42_WBC]", "42_WBD]"));
    r = run(outputs, "--suite", file.toString());
    assertEquals("2", r[0], r[2] + r[1]);
    assertTrue(r[2].contains(file + ":4: datasets: '42_WBD' is not one of") && r[2].contains("did you mean '42_WBC'?"),
        r[2]);
    r = run(outputs, "--suite", file.toString().replace("suite.yaml", "none.yaml"));
    assertEquals("2", r[0], r[2]);
    assertFalse(Files.exists(outputs));
  }
}
