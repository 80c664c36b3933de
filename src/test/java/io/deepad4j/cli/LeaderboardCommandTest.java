package io.deepad4j.cli;

import static io.deepad4j.cli.CliEndToEndTest.stderrOf;
import static io.deepad4j.cli.CliEndToEndTest.stdoutOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepad4j.bench.BenchResult;
import io.deepad4j.bench.BenchResults;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./runner leaderboard} end to end on results CSVs written here: ours, a peer's, and a broken one. */
class LeaderboardCommandTest {

  /** Detectors knn, lof, pca on three data sets, seeds 1-3; ROC AUC base + seed / 100, times fit 1 s, score 0.5 s. */
  private static List<BenchResult> results(double knn, double lof, double pca, double timeFactor) {
    List<BenchResult> rows = new ArrayList<>();
    String[] sets = {"6_cardio", "14_glass", "42_WBC"};
    for (int d = 0; d < sets.length; d++) {
      double[] base = {knn - d * 0.01, lof, pca + d * 0.05};
      String[] names = {"knn", "lof", "pca"};
      for (int m = 0; m < 3; m++) {
        for (int seed = 1; seed <= 3; seed++) {
          rows.add(BenchResult.ok(sets[d], names[m], seed, base[m] + seed / 100.0, 0.5, timeFactor, timeFactor / 2,
              150, 150));
        }
      }
    }
    return rows;
  }

  @Test
  void leaderboardWithAPeerPrintsAndWritesEveryTable(@TempDir Path tmp) throws Exception {
    Path ours = tmp.resolve("ours.csv");
    Path peer = tmp.resolve("pyod.csv");
    BenchResults.write(ours, results(0.80, 0.70, 0.60, 2.0));
    BenchResults.write(peer, results(0.78, 0.72, 0.60, 1.0));
    Path out = tmp.resolve("bench");
    int[] code = new int[1];
    String[] err = new String[1];
    String stdout = stdoutOf(() -> err[0] = stderrOf(() -> code[0] = Main.execute("leaderboard", ours.toString(),
        "--peer", peer.toString(), "--peer-name", "PyOD", "-o", out.toString())));
    assertEquals(0, code[0], err[0] + stdout);
    // knn 0.81 0.80 0.79 (+ seeds), lof 0.72, pca 0.62 0.67 0.72 -> ranks knn 1,1,1; lof 2,2,3 or tie; pca 3,3,...
    for (String expected : List.of("| 1 | knn |", "| 2 | lof |", "| 3 | pca |", "Friedman test", "CD = ",
        "## deepad4j and PyOD on the same splits", "| knn | 3 | 0.8100 | 0.7900 | +0.0200 |", "| 2.00 |")) {
      assertTrue(stdout.contains(expected), expected + " in\n" + stdout);
    }
    List<String> names;
    try (Stream<Path> files = Files.list(out)) {
      names = files.map(p -> p.getFileName().toString()).sorted().toList();
    }
    assertEquals(6, names.size(), names.toString());
    String stem = names.stream().filter(n -> n.endsWith(".md") && !n.contains("-vs-")).findFirst().orElseThrow()
        .replaceFirst("\\.md$", "");
    assertTrue(stem.startsWith("leaderboard-"), stem);
    assertEquals(List.of(stem + "-cd.png", stem + "-cells.csv", stem + "-vs-pyod.csv", stem + "-vs-pyod.md",
        stem + ".csv", stem + ".md").stream().sorted().toList(), names);
    String md = Files.readString(out.resolve(stem + ".md"));
    for (String detector : List.of("knn", "lof", "pca")) {
      assertTrue(md.contains("| " + detector + " |"), md);
    }
    List<String> vs = Files.readAllLines(out.resolve(stem + "-vs-pyod.csv"));
    assertEquals("detector,datasets,roc_auc_ours,roc_auc_peer,roc_auc_difference,average_precision_ours,"
        + "average_precision_peer,time_ours_s,time_peer_s,time_ratio", vs.get(0));
    String[] knn = vs.get(1).split(",");
    assertEquals("knn", knn[0]);
    assertEquals(0.02, Double.parseDouble(knn[4]), 1e-9);
    assertEquals(2.0, Double.parseDouble(knn[9]), 1e-9); // 3 s against 1.5 s
    BufferedImage png = ImageIO.read(out.resolve(stem + "-cd.png").toFile());
    assertEquals(800, png.getWidth());
    assertTrue(png.getHeight() > 100, "height " + png.getHeight());

    // a second run in the same second claims new names instead of replacing these
    assertEquals(0, Main.execute("leaderboard", ours.toString(), "-o", out.toString()));
    try (Stream<Path> files = Files.list(out)) {
      assertEquals(6 + 4, files.count());
    }
  }

  @Test
  void aBrokenResultsFileIsExitCode3WithFileAndLine(@TempDir Path tmp) throws Exception {
    Path bad = tmp.resolve("bad.csv");
    Files.writeString(bad, BenchResults.HEADER + "\n6_cardio,knn,1,0.9,0.5,1,0.1,10,10,finished\n");
    int[] code = new int[1];
    String err = stderrOf(() -> code[0] = Main.execute("leaderboard", bad.toString(), "-o", tmp.toString()));
    assertEquals(3, code[0], err);
    assertTrue(err.contains("error: " + bad + ", line 2, column 'status': 'finished'"), err);
    assertTrue(Files.notExists(tmp.resolve("bench")));
  }
}
