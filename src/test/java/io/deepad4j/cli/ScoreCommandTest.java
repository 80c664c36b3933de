package io.deepad4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deepad4j.TestData;
import io.deepad4j.data.CsvLines;
import io.deepad4j.data.Kdd99;
import io.deepad4j.models.ModelFolder;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code runner score} as a user meets it (issue 21): the decision at the threshold saved with the model and at
 * {@code --threshold}, id columns carried through, header-less input read in the model's feature order (the raw
 * KDD Cup 99 format), and folders saved before thresholds were. A PCA trained once on KDD Cup 99 (ff12).
 */
class ScoreCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int ROWS = 400;

  @TempDir
  static Path shared;
  static Path model;
  static Path runDir;
  /** The first {@link #ROWS} lines of corrected.gz as they are: 41 features, then the label (normal., smurf., ...). */
  static List<String> rawKdd;

  @BeforeAll
  static void trainOnce() throws Exception {
    Path outputs = shared.resolve("outputs");
    assertEquals(0, Main.execute("experiments/kdd_pca.yaml", "tracking.uri=none", "experiment=score", "--outputs",
        outputs.toString(), "dataset.data_dir=" + TestData.kdd99Dir()));
    runDir = BadInputTest.onlyChild(outputs.resolve("score"));
    model = runDir.resolve("model");
    rawKdd = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(
        Files.newInputStream(TestData.kdd99Dir().resolve("corrected.gz"))), StandardCharsets.UTF_8))) {
      for (String line; rawKdd.size() < ROWS && (line = in.readLine()) != null; ) {
        rawKdd.add(line);
      }
    }
  }

  /** The output's lines, each split as CSV. */
  static List<List<String>> read(Path file) throws Exception {
    List<String> lines = Files.readAllLines(file);
    List<List<String>> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      out.add(CsvLines.split(lines.get(i), file, i + 1));
    }
    return out;
  }

  static double[] scores(List<List<String>> out, int column) {
    return out.subList(1, out.size()).stream().mapToDouble(r -> Double.parseDouble(r.get(column))).toArray();
  }

  @Test
  void theRunsThresholdIsSavedWithTheModelAndInItsMlmodel() throws Exception {
    JsonNode metrics = JSON.readTree(runDir.resolve("metrics.json").toFile());
    JsonNode descriptor = JSON.readTree(model.resolve("detector.json").toFile());
    assertEquals(metrics.get("threshold").asDouble(), descriptor.get("threshold").asDouble(), 0.0);
    assertEquals("best_accuracy", descriptor.get("threshold_rule").asText());
    ModelFolder.SavedThreshold saved = ModelFolder.threshold(model).orElseThrow();
    assertEquals(model.resolve("detector.json"), saved.file());
    assertEquals(metrics.get("threshold").asDouble(), saved.threshold().value(), 0.0);
    String mlmodel = Files.readString(model.resolve("MLmodel"));
    assertTrue(mlmodel.contains("threshold: '" + metrics.get("threshold").asDouble() + "'")
        && mlmodel.contains("threshold_rule: best_accuracy"), mlmodel);
  }

  @Test
  void theAnomalyColumnIsScoreAboveTheSavedThresholdOrTheGivenOne(@TempDir Path tmp) throws Exception {
    double saved = ModelFolder.threshold(model).orElseThrow().threshold().value();
    Path csv = tmp.resolve("rows.csv");
    StringBuilder text = new StringBuilder(String.join(",", Kdd99.FEATURE_NAMES)).append(",label\n");
    rawKdd.forEach(line -> text.append(line).append('\n'));
    Files.writeString(csv, text);

    assertEquals(0, Main.execute("score", model.toString(), csv.toString()));
    List<List<String>> out = read(tmp.resolve("rows.csv.scores.csv"));
    assertEquals(List.of("row", "score", "anomaly"), out.get(0));
    assertEquals(ROWS + 1, out.size());
    double[] scores = scores(out, 1);
    int flagged = 0;
    for (int i = 0; i < ROWS; i++) {
      List<String> row = out.get(i + 1);
      assertEquals(Integer.toString(i), row.get(0));
      assertEquals(scores[i] > saved ? "1" : "0", row.get(2), "row " + i + " score " + scores[i] + " vs " + saved);
      flagged += row.get(2).equals("1") ? 1 : 0;
    }
    assertTrue(flagged > 0 && flagged < ROWS, "both decisions among KDD's first rows: " + flagged);

    // --threshold overrides; a score equal to the threshold is normal (score > threshold, as every metric counts)
    double[] sorted = scores.clone();
    Arrays.sort(sorted);
    double median = sorted[ROWS / 2];
    Path given = tmp.resolve("given.csv");
    assertEquals(0, Main.execute("score", model.toString(), csv.toString(), "--threshold", Double.toString(median),
        "-o", given.toString()));
    List<List<String>> at = read(given);
    int above = 0;
    for (int i = 0; i < ROWS; i++) {
      assertEquals(scores[i] > median ? "1" : "0", at.get(i + 1).get(2));
      assertEquals(out.get(i + 1).get(1), at.get(i + 1).get(1), "the same score");
      if (scores[i] == median) {
        assertEquals("0", at.get(i + 1).get(2), "a score equal to the threshold is not flagged");
      }
      above += scores[i] > median ? 1 : 0;
    }
    assertTrue(above > 0 && above <= ROWS / 2, above + " rows above the median");
  }

  @Test
  void idColumnsAreCarriedThroughQuotedAsCsvNeeds(@TempDir Path tmp) throws Exception {
    List<String> features = ModelFolder.features(model);
    Path csv = tmp.resolve("ids.csv");
    List<String> ids = List.of("a,1", "say \"hi\"", "plain", "  spaced  ", "ünïcode");
    StringBuilder text = new StringBuilder("\"host\",ts,").append(String.join(",", features)).append('\n');
    for (int r = 0; r < ids.size(); r++) {
      text.append(CsvLines.quote(ids.get(r))).append(",2026-01-0").append(r + 1);
      for (int j = 0; j < features.size(); j++) {
        text.append(',').append(r * 0.2);
      }
      text.append('\n');
    }
    Files.writeString(csv, text);
    Path out = tmp.resolve("out.csv");
    assertEquals(0, Main.execute("score", model.toString(), csv.toString(), "--id-columns", "host,ts", "-o",
        out.toString()));
    List<String> lines = Files.readAllLines(out);
    assertEquals("host,ts,row,score,anomaly", lines.get(0));
    assertTrue(lines.get(1).startsWith("\"a,1\",2026-01-01,0,"), lines.get(1));
    assertTrue(lines.get(2).startsWith("\"say \"\"hi\"\"\",2026-01-02,1,"), lines.get(2));
    List<List<String>> parsed = read(out);
    for (int r = 0; r < ids.size(); r++) {
      assertEquals(ids.get(r), parsed.get(r + 1).get(0), "the id as the input had it");
      assertEquals(5, parsed.get(r + 1).size());
    }

    // an id column the file does not have: exit 3, naming the file and its columns
    BadInputTest.Outcome o = BadInputTest.runner("score", model.toString(), csv.toString(), "--id-columns", "uid",
        "-o", tmp.resolve("o2.csv").toString());
    assertEquals(3, o.code(), o.err());
    assertTrue(o.err().contains(csv + " has no column 'uid'. Its columns are: [host, ts, "), o.err());
    assertFalse(Files.exists(tmp.resolve("o2.csv")));
  }

  @Test
  void headerlessRawKddIsReadInTheModelsFeatureOrder(@TempDir Path tmp) throws Exception {
    Path raw = tmp.resolve("kddcup.raw");
    Files.writeString(raw, String.join("\n", rawKdd) + "\n");
    // the same rows with a header, for the reference scores
    Path withHeader = tmp.resolve("with-header.csv");
    Files.writeString(withHeader, String.join(",", Kdd99.FEATURE_NAMES) + ",label\n" + String.join("\n", rawKdd) + "\n");
    Path reference = tmp.resolve("reference.csv");
    assertEquals(0, Main.execute("score", model.toString(), withHeader.toString(), "-o", reference.toString()));
    double[] expected = scores(read(reference), 1);

    // raw KDD lines have 42 fields, the ff12 model 18 features: the error says how to name the columns
    BadInputTest.Outcome o = BadInputTest.runner("score", model.toString(), raw.toString(), "--no-header");
    assertEquals(3, o.code(), o.err());
    assertTrue(o.err().contains(raw + ", line 1: 42 fields, but 18 columns are named (with --no-header they are the"
        + " model's 18 features in order; name the input's columns with --columns a,b,..., e.g. --columns kdd99 for"
        + " the raw KDD Cup 99 format (41 features, then the label))"), o.err());
    assertFalse(Files.exists(tmp.resolve("kddcup.raw.scores.csv")));

    // --columns kdd99 names them: the features are picked by name, the label carried through as an id
    Path out = tmp.resolve("raw.scores.csv");
    assertEquals(0, Main.execute("score", model.toString(), raw.toString(), "--no-header", "--columns", "kdd99",
        "--id-columns", "label", "-o", out.toString()));
    List<List<String>> scored = read(out);
    assertEquals(List.of("label", "row", "score", "anomaly"), scored.get(0));
    assertEquals(rawKdd.get(0).substring(rawKdd.get(0).lastIndexOf(',') + 1), scored.get(1).get(0));
    assertTrue(Arrays.equals(expected, scores(scored, 2)), "the same scores as with a header");

    // a file of exactly the model's features in order needs no names, and the first line is a row, not a header
    List<String> features = ModelFolder.features(model);
    int first = Kdd99.FEATURE_NAMES.indexOf(features.get(0));
    assertEquals(features, Kdd99.FEATURE_NAMES.subList(first, first + features.size()), "ff12: the last 18 KDD columns");
    StringBuilder only = new StringBuilder();
    for (String line : rawKdd) {
      List<String> f = CsvLines.split(line, raw, 0);
      only.append(String.join(",", f.subList(first, first + features.size()))).append('\n');
    }
    Path featuresOnly = tmp.resolve("features.csv.gz");
    try (var gz = new java.util.zip.GZIPOutputStream(Files.newOutputStream(featuresOnly))) {
      gz.write(only.toString().getBytes(StandardCharsets.UTF_8));
    }
    Path out2 = tmp.resolve("features.scores.csv");
    assertEquals(0, Main.execute("score", model.toString(), featuresOnly.toString(), "--no-header", "-o", out2.toString()));
    assertEquals(ROWS + 1, Files.readAllLines(out2).size(), "every line is a row");
    assertTrue(Arrays.equals(expected, scores(read(out2), 1)));

    // --columns that leave out a feature, that name too few columns, or without --no-header
    o = BadInputTest.runner("score", model.toString(), raw.toString(), "--no-header", "--columns", "a,b", "-o",
        tmp.resolve("x.csv").toString());
    assertEquals(3, o.code(), o.err());
    assertTrue(o.err().contains(raw + " has no column 'srv_count'. Its columns, named (by --columns), are: [a, b]."), o.err());
    List<String> short41 = new ArrayList<>(Kdd99.FEATURE_NAMES);
    o = BadInputTest.runner("score", model.toString(), raw.toString(), "--no-header", "--columns",
        String.join(",", short41), "-o", tmp.resolve("x.csv").toString());
    assertEquals(3, o.code(), o.err());
    assertTrue(o.err().contains(raw + ", line 1: 42 fields, but 41 columns are named (by --columns)"), o.err());
    assertFalse(Files.exists(tmp.resolve("x.csv")));
    o = BadInputTest.runner("score", model.toString(), withHeader.toString(), "--columns", "kdd99");
    assertEquals(2, o.code(), o.err());
    assertTrue(o.err().contains("--columns names the columns of a file without a header row; add --no-header"), o.err());
  }

  @Test
  void aFolderWithoutASavedThresholdScoresWithoutLabelsUnlessOneIsGiven(@TempDir Path tmp) throws Exception {
    Path old = BadInputTest.copyFolder(model, tmp.resolve("moved/model")); // out of its run folder: no metrics.json
    ObjectNode d = (ObjectNode) JSON.readTree(old.resolve("detector.json").toFile());
    d.remove(List.of("threshold", "threshold_rule"));
    JSON.writeValue(old.resolve("detector.json").toFile(), d);
    Path csv = tmp.resolve("rows.csv");
    Files.writeString(csv, String.join(",", Kdd99.FEATURE_NAMES) + ",label\n" + String.join("\n", rawKdd.subList(0, 5)));

    BadInputTest.Outcome o = BadInputTest.runner("score", old.toString(), csv.toString());
    assertEquals(0, o.code(), o.err());
    assertTrue(o.err().contains("holds no decision threshold") && o.err().contains("--threshold VALUE"), o.err());
    List<String> lines = Files.readAllLines(tmp.resolve("rows.csv.scores.csv"));
    assertEquals("row,score", lines.get(0));
    assertEquals(2, lines.get(1).split(",").length);

    assertEquals(0, Main.execute("score", old.toString(), csv.toString(), "--threshold", "-1", "-o",
        tmp.resolve("given.csv").toString()));
    List<List<String>> given = read(tmp.resolve("given.csv"));
    assertEquals(List.of("row", "score", "anomaly"), given.get(0));
    assertTrue(given.subList(1, 6).stream().allMatch(r -> r.get(2).equals("1")), "every score is above -1");

    // in its run folder, an older model folder takes the run's metrics.json threshold
    Path inRun = BadInputTest.copyFolder(old, tmp.resolve("run/model"));
    Files.copy(runDir.resolve("metrics.json"), tmp.resolve("run/metrics.json"));
    assertEquals(JSON.readTree(runDir.resolve("metrics.json").toFile()).get("threshold").asDouble(),
        ModelFolder.threshold(inRun).orElseThrow().threshold().value(), 0.0);

    // a damaged threshold is named with its file and key; a non-finite --threshold is an argument error
    d.put("threshold", "high");
    JSON.writeValue(old.resolve("detector.json").toFile(), d);
    o = BadInputTest.runner("score", old.toString(), csv.toString(), "-o", tmp.resolve("x.csv").toString());
    assertEquals(3, o.code(), o.err());
    assertTrue(o.err().contains(old.resolve("detector.json") + ": key 'threshold' is \"high\", not a finite number"), o.err());
    o = BadInputTest.runner("score", model.toString(), csv.toString(), "--threshold", "NaN", "-o", tmp.resolve("x.csv").toString());
    assertEquals(2, o.code(), o.err());
    assertTrue(o.err().contains("--threshold NaN is not a finite number"), o.err());
    assertFalse(Files.exists(tmp.resolve("x.csv")));
  }

  @Test
  void anAddressWhoseServerIsDownIsExit1(@TempDir Path tmp) throws Exception {
    int port;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort(); // closed again: nothing listens there
    }
    Path csv = tmp.resolve("rows.csv");
    Files.writeString(csv, String.join(",", Kdd99.FEATURE_NAMES) + ",label\n" + rawKdd.get(0) + "\n");
    String uri = "http://127.0.0.1:" + port;
    BadInputTest.Outcome o = BadInputTest.runner("score", "models:/kdd-ae/1", csv.toString(), "--uri", uri,
        "--cache", tmp.resolve("cache").toString());
    assertEquals(1, o.code(), o.err());
    assertTrue(o.err().contains("the MLflow server at " + uri + " is not reachable (")
        && o.err().contains("start it, or pass --uri URL (or set MLFLOW_TRACKING_URI) to the server that holds"
        + " models:/kdd-ae/1"), o.err());
    assertFalse(Files.exists(tmp.resolve("rows.csv.scores.csv")));
    assertFalse(Files.exists(tmp.resolve("cache")), "nothing cached");
  }
}
