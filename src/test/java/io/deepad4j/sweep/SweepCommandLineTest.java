package io.deepad4j.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepad4j.TestData;
import io.deepad4j.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `./runner spec.yaml --sweep ...` and `./runner compare` on the real KDD data, as a user types them. */
class SweepCommandLineTest {

  private static String stdout(Runnable r) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream old = System.out;
    System.setOut(new PrintStream(out, true));
    try {
      r.run();
    } finally {
      System.setOut(old);
    }
    return out.toString();
  }

  @Test
  void hydraStyleSweepOfTheKddAutoencoderThenCompare(@TempDir Path tmp) throws Exception {
    Path outputs = tmp.resolve("outputs");
    int[] code = new int[1];
    String printed = stdout(() -> code[0] = Main.execute("experiments/kdd_ae.yaml", "--sweep", "model.latent_dim=2,3",
        "model.epochs=1", "tracking.uri=none", "dataset.data_dir=" + TestData.kdd99Dir(), "--parallel", "2",
        "--outputs", outputs.toString()));
    assertEquals(0, code[0], printed);
    Path sweepDir;
    try (Stream<Path> s = Files.list(outputs.resolve("sweeps"))) {
      sweepDir = s.findFirst().orElseThrow();
    }
    assertTrue(sweepDir.getFileName().toString().matches("kdd_ae-sweep-\\d{8}-\\d{6}"), sweepDir.toString());
    List<String> summary = Files.readAllLines(sweepDir.resolve("summary.csv"));
    assertEquals(3, summary.size(), summary.toString());
    assertTrue(summary.stream().skip(1).allMatch(l -> l.contains(",1,0,FINISHED,")), summary.toString());
    SweepConfig copy = SweepFileParser.parse(sweepDir.resolve("sweep.yaml"), Files.readString(sweepDir.resolve("sweep.yaml")),
        Path.of("experiments/kdd_ae.yaml"));
    assertEquals(List.of(2, 3), copy.params().get("model.latent_dim").gridValues(), "sweep.yaml is a sweep file of the same grid");
    assertEquals(2, copy.parallel());
    SweepState state = SweepFolder.open(sweepDir).readState();
    assertEquals(List.of("model.epochs=1", "tracking.uri=none", "dataset.data_dir=" + TestData.kdd99Dir()), state.overrides());
    assertTrue(printed.contains("best: point"), printed);

    String table = stdout(() -> code[0] = Main.execute("compare", sweepDir.toString(), "--uri", "none"));
    assertEquals(0, code[0], table);
    List<String> lines = table.lines().toList();
    String header = lines.get(1);
    assertTrue(header.matches("run +roc_auc +pr_auc +f1 +accuracy +train_s +latent_dim"), "metrics first: " + table);
    assertFalse(header.contains("hidden") || header.contains("learning_rate") || header.contains("run_name"),
        "only params that differ: " + table);
    // trial run names from their values ("kdd_ae-sweep latent_dim=2"), as folder names through OutputNames.safe
    try (Stream<Path> s = Files.list(sweepDir.resolve("runs").resolve("kdd99-ff12"))) {
      List<String> names = s.map(p -> p.getFileName().toString()).sorted().toList();
      assertTrue(names.get(0).startsWith("kdd_ae-sweep_latent_dim_2-")
          && names.get(1).startsWith("kdd_ae-sweep_latent_dim_3-"), names.toString());
    }
    assertTrue(table.contains("2 runs (all FINISHED); params that differ: model.latent_dim"), table);

    // issue 21: the trials are in the sweep's folder, so the experiment's own folder (single runs) has none
    assertTrue(Files.notExists(outputs.resolve("kdd99-ff12")), "no trial among the single runs");
    try (Stream<Path> s = Files.list(sweepDir.resolve("runs").resolve("kdd99-ff12"))) {
      assertEquals(2, s.count(), "the trials' run folders");
    }
    // by the folder of their run folders, as any folder of runs
    String byFolder = stdout(() -> code[0] = Main.execute("compare", sweepDir.resolve("runs/kdd99-ff12").toString(),
        "--uri", "none", "--outputs", outputs.toString()));
    assertEquals(0, code[0], byFolder);
    assertTrue(byFolder.contains("2 runs (all FINISHED); params that differ: model.latent_dim"), byFolder);
  }
}
