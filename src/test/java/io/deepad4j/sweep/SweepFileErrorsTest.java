package io.deepad4j.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepad4j.cli.Main;
import io.deepad4j.spec.SpecException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sweep files and --sweep arguments that cannot run: each error names the file, the line and the key. */
class SweepFileErrorsTest {

  private static String parseError(SweepFixture f, String sweepBlock) {
    Path file = f.sweepFile("bad.yaml", sweepBlock);
    return assertThrows(SpecException.class, () -> SweepFileParser.parse(file)).getMessage();
  }

  @Test
  void unknownKeysAreReportedWithTheirLineAndTheClosestValidKey(@TempDir Path tmp) {
    SweepFixture f = SweepFixture.create(tmp);
    String m = parseError(f, """
        sweep:
          metod: grid
          params:
            model.latent_dim: [2, 3]
        """);
    assertTrue(m.contains("bad.yaml:3: unknown key 'sweep.metod'; did you mean 'sweep.method'?"), m);
  }

  @Test
  void badValuesAreReportedTogetherEachWithItsLine(@TempDir Path tmp) {
    SweepFixture f = SweepFixture.create(tmp);
    String m = parseError(f, """
        sweep:
          method: grid
          repeats: 0
          objective: {metric: roc_acu, mode: max}
          params:
            model.latent_dim: {range: [8, 2]}
        """);
    assertTrue(m.contains("bad.yaml:4: sweep.repeats: value 0 is out of range [1, 1000]"), m);
    assertTrue(m.contains("bad.yaml:5: sweep.objective.metric: 'roc_acu' is not one of [") && m.contains("did you mean 'roc_auc'?"), m);
    assertTrue(m.contains("bad.yaml:7: sweep.params.model.latent_dim.range: the first bound 8.0 is above the second 2.0"), m);
  }

  @Test
  void uniformAndLogUniformAreForRandomSearchOnly(@TempDir Path tmp) {
    SweepFixture f = SweepFixture.create(tmp);
    String m = parseError(f, """
        sweep:
          method: grid
          params:
            model.latent_dim: [2, 3]
            model.learning_rate: {loguniform: [1e-4, 1e-2]}
        """);
    assertTrue(m.contains("bad.yaml:6: sweep.params.model.learning_rate: loguniform is for method: random only"), m);
    String samples = parseError(f, """
        sweep:
          method: random
          params:
            model.learning_rate: {loguniform: [0, 1e-2]}
        """);
    assertTrue(samples.contains("sweep.samples is required with method: random"), samples);
    assertTrue(samples.contains("bad.yaml:5: sweep.params.model.learning_rate.loguniform: the bounds must be > 0"), samples);
  }

  @Test
  void randomSearchCannotAskForMorePointsThanTheSpaceHas(@TempDir Path tmp) {
    SweepFixture f = SweepFixture.create(tmp);
    String m = parseError(f, """
        sweep:
          method: random
          samples: 7
          params:
            model.latent_dim: [2, 3, 4]
            model.activation: [relu, tanh]
        """);
    assertTrue(m.contains("bad.yaml:4: sweep.samples 7 is more than the 6 distinct points"), m);
  }

  @Test
  void aMissingBaseSpecIsNamed(@TempDir Path tmp) throws Exception {
    Path file = tmp.resolve("s.yaml");
    Files.writeString(file, "base: ../nowhere.yaml\nsweep:\n  params:\n    seed: [1, 2]\n");
    String m = assertThrows(SpecException.class, () -> SweepFileParser.parse(file)).getMessage();
    assertTrue(m.contains("s.yaml:1: base: no such spec file '../nowhere.yaml'"), m);
  }

  @Test
  void anUnknownSweptKeyOrABadValueFailsBeforeAnyTrialRuns(@TempDir Path tmp) {
    SweepFixture f = SweepFixture.create(tmp);
    SweepConfig unknown = SweepFileParser.parse(f.sweepFile("typo.yaml", """
        sweep:
          params:
            model.latent_dim: [2, 3]
            model.learnin_rate: [0.001, 0.01]
        """));
    String m = assertThrows(SpecException.class, () -> f.runner().run("typo", unknown, List.of(), "typo.yaml")).getMessage();
    assertTrue(m.contains("typo.yaml:5: sweep value model.learnin_rate=0.001: unknown key 'model.learnin_rate'; did you mean"
        + " 'model.learning_rate'?"), m);

    // the third value is out of range: the two good ones must not run either
    SweepConfig badValue = SweepFileParser.parse(f.sweepFile("range.yaml", """
        sweep:
          params:
            model.learning_rate: [0.001, 0.01]
            model.latent_dim: [2, 3, 0]
        """));
    m = assertThrows(SpecException.class, () -> f.runner().run("range", badValue, List.of(), "range.yaml")).getMessage();
    assertTrue(m.contains("range.yaml:5: sweep value model.latent_dim=0: model.latent_dim: value 0 is out of range [1, 100000]"), m);
    assertFalse(Files.exists(f.outputs), "nothing ran and no folder was made");
  }

  @Test
  void commandLineSweepErrorsExitWithTheSpecErrorCode(@TempDir Path tmp) {
    SweepFixture f = SweepFixture.create(tmp);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream old = System.err;
    System.setErr(new PrintStream(err, true));
    int code;
    int noEquals;
    try {
      code = Main.execute(f.base.toString(), "--sweep", "model.latnt_dim=2,3", "--outputs", f.outputs.toString());
      noEquals = Main.execute(f.base.toString(), "--sweep", "model.latent_dim", "--outputs", f.outputs.toString());
    } finally {
      System.setErr(old);
    }
    assertEquals(2, code);
    assertEquals(2, noEquals);
    String text = err.toString();
    assertTrue(text.contains("(--sweep):"), text);
    assertTrue(text.contains("unknown key 'model.latnt_dim'; did you mean 'model.latent_dim'?"), text);
    assertTrue(text.contains("command line 'model.latent_dim': expected key=value or key=a,b,c"), text);
    assertFalse(Files.exists(f.outputs));
  }
}
