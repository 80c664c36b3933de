package io.deepad4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepad4j.cli.Main;
import io.deepad4j.engine.EpochListener;
import io.deepad4j.models.ModelRegistry;
import io.deepad4j.run.ExperimentRunner;
import io.deepad4j.run.RunResult;
import io.deepad4j.spec.SpecLoader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code runner score --spark local[2]}: the same scores as {@code runner score}, from CSV and CSV.gz files. */
@Tag("spark")
class SparkScoringTest {

  /** A trained model folder (tracking off) of the fixture's autoencoder. */
  static Path trainedModel(SparkFixture f) {
    RunResult r = new ExperimentRunner(f.outputs, Map.of(), EpochListener.NONE)
        .run(new SpecLoader(ModelRegistry.get()).load(f.base, List.of("tracking.uri=none")));
    return r.runDir().resolve("model");
  }

  /** Rows of a scores file: the header, then each line split at commas. */
  static List<String[]> read(Path csv) throws IOException {
    return Files.readAllLines(csv).stream().map(l -> l.split(",", -1)).toList();
  }

  @Test
  void scoresOnSparkEqualTheLocalScoresOfTheSameRows(@TempDir Path tmp) throws Exception {
    SparkFixture f = new SparkFixture(tmp, null, 2, false);
    Path model = trainedModel(f);
    Path test = tmp.resolve("data/test.csv");
    Path logs = tmp.resolve("logs");
    Files.createDirectories(logs);
    Files.copy(test, logs.resolve("day1.csv"));
    try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(logs.resolve("day2.csv.gz")))) {
      Files.copy(test, gz);
    }
    Path local = tmp.resolve("local.csv");
    assertEquals(0, Main.execute("score", model.toString(), test.toString(), "-o", local.toString()));
    Path out = tmp.resolve("scores");
    assertEquals(0, Main.execute("score", model.toString(), logs.toString(), "--spark", "local[2]", "--output",
        out.toString(), "--id-columns", "id,label"));

    List<String[]> expected = read(local);
    double threshold = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(model.resolveSibling("metrics.json").toFile()).get("threshold").asDouble();
    List<String> testLines = Files.readAllLines(test);
    int anomalies = 0;
    for (String part : List.of("part-00000-day1.csv", "part-00001-day2.csv")) {
      List<String[]> got = read(out.resolve(part));
      assertEquals("id,label,row,score,anomaly", String.join(",", got.get(0)), part);
      assertEquals(expected.size(), got.size(), part + ": one line per row");
      for (int i = 1; i < got.size(); i++) {
        String[] g = got.get(i);
        assertEquals(expected.get(i)[0], g[2], "row index");
        assertEquals(expected.get(i)[1], g[3], part + " row " + (i - 1) + ": the score, to the last digit");
        String[] input = testLines.get(i).split(",");
        assertEquals(input[0], g[0], "id column");
        assertEquals(input[5], g[1], "label column");
        assertEquals(Double.parseDouble(g[3]) > threshold ? "1" : "0", g[4], "decision at the run's threshold");
        anomalies += Integer.parseInt(g[4]);
      }
    }
    assertTrue(anomalies > 0, "some rows are above the threshold");
    String manifest = Files.readString(out.resolve(SparkScoring.MANIFEST));
    assertTrue(manifest.contains("\"rows\" : " + 2 * (expected.size() - 1)), manifest);
  }

  @Test
  void badArgumentsAndBadDataGiveTheirExitCodes(@TempDir Path tmp) throws Exception {
    SparkFixture f = new SparkFixture(tmp, null, 2, false);
    Path model = trainedModel(f);
    Path test = tmp.resolve("data/test.csv");
    // a model folder without its run's metrics.json: no threshold unless --threshold gives one
    Path copy = tmp.resolve("copied/model");
    List<Path> files = new ArrayList<>();
    try (var s = Files.walk(model)) {
      s.forEach(files::add);
    }
    for (Path p : files) {
      Path target = copy.resolve(model.relativize(p).toString());
      if (Files.isDirectory(p)) {
        Files.createDirectories(target);
      } else {
        Files.copy(p, target);
      }
    }
    // ... and, as a folder saved before thresholds were, none in its detector.json
    var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    var descriptor = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(copy.resolve("detector.json").toFile());
    assertTrue(descriptor.remove("threshold").isNumber() && descriptor.remove("threshold_rule") != null);
    mapper.writeValue(copy.resolve("detector.json").toFile(), descriptor);
    assertEquals(2, Main.execute("score", copy.toString(), test.toString(), "--spark", "local[2]", "--output",
        tmp.resolve("o1").toString()), "no threshold");
    assertEquals(2, Main.execute("score", model.toString(), test.toString(), "--spark", "local[2]"), "no --output");
    assertEquals(2, Main.execute("score", model.toString(), test.toString(), test.toString()), "several inputs, no --spark");
    assertEquals(3, Main.execute("score", model.toString(), tmp.resolve("nope.csv").toString(), "--spark",
        "local[2]", "--output", tmp.resolve("o2").toString()), "missing input");
    Path bad = tmp.resolve("bad.csv");
    Files.writeString(bad, "id,a,b,c,d,label\n1,0.5,0.5,zero,0.5,normal\n");
    assertEquals(3, Main.execute("score", copy.toString(), bad.toString(), "--spark", "local[2]", "--output",
        tmp.resolve("o3").toString(), "--threshold", "0.1"), "a cell that is not a number");
    // the one CSV reader, as runner score: Java's 2f (2.0 to Float.parseFloat) and NaN are not numbers here either
    for (String cell : List.of("2f", "NaN")) {
      Files.writeString(bad, "id,a,b,c,d,label\n1,0.5,0.5," + cell + ",0.5,normal\n");
      assertEquals(3, Main.execute("score", copy.toString(), bad.toString(), "--spark", "local[2]", "--output",
          tmp.resolve("o-" + cell).toString(), "--threshold", "0.1"), cell);
    }
  }
}
