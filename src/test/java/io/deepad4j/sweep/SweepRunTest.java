package io.deepad4j.sweep;

import io.deepad4j.tracking.RunStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepad4j.run.RunFolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real sweeps of a small autoencoder: failures, the files a sweep leaves, and --resume. */
class SweepRunTest {

  /** Issue 21: a sweep's trials are in its folder (runs/), not among the single runs of outputs/<experiment>/. */
  private static List<Path> runFolders(SweepFixture f, SweepFolder folder) throws Exception {
    assertTrue(Files.notExists(f.outputs.resolve("sweep-test")), "no trial in outputs/<experiment>/");
    try (Stream<Path> s = Files.list(folder.runsRoot().resolve("sweep-test"))) {
      return s.sorted().toList();
    }
  }

  @Test
  void aFailingTrialIsRecordedAndTheSweepGoesOn(@TempDir Path tmp) throws Exception {
    SweepFixture f = SweepFixture.create(tmp);
    // column d in the 1e20s: fine once scaled, an infinite loss without scaling (the engine throws)
    for (String name : List.of("train.csv", "test.csv")) {
      List<String> lines = Files.readAllLines(tmp.resolve(name));
      StringBuilder sb = new StringBuilder(lines.get(0)).append('\n');
      for (String line : lines.subList(1, lines.size())) {
        String[] c = line.split(",");
        sb.append(c[0]).append(',').append(c[1]).append(',').append(c[2]).append(',')
            .append(Double.parseDouble(c[3]) * 1e20).append(',').append(c[4]).append('\n');
      }
      Files.writeString(tmp.resolve("huge_" + name), sb.toString());
    }
    SweepConfig config = SweepFileParser.parse(f.sweepFile("scalers.yaml", """
        sweep:
          parallel: 2
          objective: {metric: f1_score, mode: max}
          params:
            preprocessing.scaler: [minmax, none]
            model.latent_dim: [1, 2]
        """));
    SweepRunner.Result r = f.runner().run("scalers", config,
        List.of("dataset.train_file=" + tmp.resolve("huge_train.csv"), "dataset.test_file=" + tmp.resolve("huge_test.csv")),
        "scalers.yaml");

    assertEquals(4, r.ran());
    assertEquals(2, r.failed());
    SweepFolder folder = r.folder();
    List<TrialRecord> records = folder.trials();
    assertEquals(4, records.size(), "one trials.jsonl line per trial");
    for (TrialRecord t : records) {
      boolean scaled = "minmax".equals(t.params().get("preprocessing.scaler"));
      assertEquals(scaled ? RunStatus.FINISHED : RunStatus.FAILED, t.status(), t.toString());
      assertNotNull(t.runDir(), "the runner made a run folder before training: " + t);
      assertTrue(Path.of(t.runDir()).startsWith(folder.runsRoot()), "the trial's folder is in the sweep's: " + t);
      assertEquals(Optional.of(t.status()), RunFolder.readState(Path.of(t.runDir())), "the run folder says how the trial ended");
      if (!scaled) {
        assertTrue(t.error().contains("became Infinity"), t.error());
        assertNull(t.metrics());
      } else {
        assertTrue(t.metrics().get("f1_score") > 0);
      }
    }
    SweepSummary s = r.summary();
    assertEquals(List.of(SweepSummary.PointStatus.FINISHED, SweepSummary.PointStatus.FINISHED,
        SweepSummary.PointStatus.FAILED, SweepSummary.PointStatus.FAILED), s.rows().stream().map(SweepSummary.Row::status).toList());
    assertEquals("minmax", s.best().orElseThrow().params().get("preprocessing.scaler"));
    assertTrue(s.rows().get(0).mean() >= s.rows().get(1).mean(), "sorted best first");
    assertEquals(2, s.failedTrials().size());

    List<String> csv = Files.readAllLines(folder.dir().resolve("summary.csv"));
    assertEquals("rank,point,preprocessing.scaler,model.latent_dim,f1_score_mean,f1_score_std,n,failed,status,run_dirs,"
        + "mlflow_run_ids", csv.get(0));
    assertEquals(5, csv.size());
    assertTrue(csv.get(1).startsWith("1,") && csv.get(1).contains(",minmax,"), csv.get(1));
    assertTrue(csv.get(4).startsWith(",") && csv.get(4).contains(",none,") && csv.get(4).contains(",0,1,FAILED,"), csv.get(4));
    assertEquals(config.text(), Files.readString(folder.dir().resolve("sweep.yaml")), "sweep.yaml is the file as run");
  }

  @Test
  void resumeRunsOnlyTheTrialsThatDidNotFinish(@TempDir Path tmp) throws Exception {
    SweepFixture f = SweepFixture.create(tmp);
    Path later = tmp.resolve("later.csv"); // missing at first: its trials fail before making a run folder
    SweepConfig config = SweepFileParser.parse(f.sweepFile("resume.yaml", """
        sweep:
          parallel: 2
          params:
            dataset.train_file: [%s, %s]
            model.latent_dim: [1, 2]
        """.formatted(tmp.resolve("train.csv"), later)));
    SweepRunner.Result first = f.runner().run("resume", config, List.of(), "resume.yaml");
    assertEquals(4, first.ran());
    assertEquals(2, first.failed());
    List<TrialRecord> failed = first.folder().trials().stream().filter(t -> !t.finished()).toList();
    assertEquals(2, failed.size());
    failed.forEach(t -> {
      assertNull(t.runDir(), "no run folder when the data is missing");
      assertTrue(t.error().contains("later.csv"), t.error());
    });
    assertEquals(2, runFolders(f, first.folder()).size());

    // as if the sweep had been killed before one finished trial was recorded
    Path jsonl = first.folder().dir().resolve(SweepFolder.TRIALS_FILE);
    List<String> lines = Files.readAllLines(jsonl);
    String dropped = lines.stream().filter(l -> l.contains("\"FINISHED\"")).findFirst().orElseThrow();
    Files.write(jsonl, lines.stream().filter(l -> !l.equals(dropped)).toList());
    Files.copy(tmp.resolve("train.csv"), later);

    SweepRunner.Result resumed = f.runner().resume(first.folder().dir(), 1);
    assertEquals(first.folder().dir(), resumed.folder().dir());
    assertEquals(1, resumed.skipped(), "the finished trial still recorded is not run again");
    assertEquals(3, resumed.ran());
    assertEquals(0, resumed.failed());
    assertEquals(5, runFolders(f, resumed.folder()).size(), "2 + 3 run folders: nothing ran twice but the unrecorded trial");
    Map<String, TrialRecord> latest = resumed.folder().latestByHash();
    assertEquals(4, latest.size());
    assertTrue(latest.values().stream().allMatch(TrialRecord::finished));
    assertEquals(first.plan().trials().stream().map(Trial::hash).toList(),
        resumed.plan().trials().stream().map(Trial::hash).toList(), "the same trials, by hash");
    assertTrue(resumed.summary().rows().stream().allMatch(row -> row.status() == SweepSummary.PointStatus.FINISHED && row.n() == 1));
    assertEquals(4, Files.readAllLines(resumed.folder().dir().resolve("summary.csv")).stream()
        .filter(l -> l.contains(",FINISHED,")).count());
  }
}
