package io.deepad4j.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepad4j.models.ModelRegistry;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpecLoaderTest {
  private final SpecLoader loader = new SpecLoader(ModelRegistry.get());
  private static final Path FILE = Path.of("experiments/test_spec.yaml");

  private ResolvedSpec load(String yaml, String... overrides) {
    return loader.load(FILE, yaml, List.of(overrides));
  }

  @Test
  void fillsDefaultsAndNamesTheRunAfterTheFile() {
    ResolvedSpec s = load("model:\n  type: ae\n");
    assertEquals("test_spec", s.runName());
    assertEquals(List.of(15, 7), s.getIntList("model.hidden"));
    assertEquals(0.01, s.getDouble("model.learning_rate"));
    assertEquals("8020", s.getString("dataset.test_split"));
    assertEquals("minmax", s.getString("preprocessing.scaler"));
    assertNull(s.getString("tracking.uri"));
  }

  @Test
  void overridesAreTypedAndApplied() {
    ResolvedSpec s = load("seed: 1\nmodel:\n  type: ae\n  epochs: 3\n", "model.epochs=30", "seed=7", "model.hidden=[8,4]");
    assertEquals(30, s.getInt("model.epochs"));
    assertEquals(7, s.seed());
    assertEquals(List.of(8, 4), s.getIntList("model.hidden"));
    assertTrue(s.toYaml().contains("model.epochs=30"), "config.yaml records the overrides");
  }

  @Test
  void unknownKeyNamesFileLineAndSuggestsTheClosestKey() {
    SpecException e = assertThrows(SpecException.class, () -> load("seed: 1\nmodel:\n  type: ae\n  epoch: 3\n"));
    String m = e.getMessage();
    assertTrue(m.contains("experiments/test_spec.yaml:4"), m);
    assertTrue(m.contains("'model.epoch'"), m);
    assertTrue(m.contains("did you mean 'model.epochs'"), m);
  }

  @Test
  void wrongTypeAndOutOfRangeAreErrorsWithLines() {
    SpecException e = assertThrows(SpecException.class,
        () -> load("model:\n  type: ae\n  epochs: many\n  learning_rate: -1\n"));
    assertEquals(2, e.problems().size(), e.getMessage());
    assertTrue(e.problems().get(0).contains(":3: model.epochs: expected an integer"), e.getMessage());
    assertTrue(e.problems().get(1).contains(":4: model.learning_rate: value -1 is out of range"), e.getMessage());
  }

  @Test
  void badChoiceSuggestsTheValidOne() {
    SpecException e = assertThrows(SpecException.class, () -> load("preprocessing:\n  scaler: minmx\nmodel:\n  type: ae\n"));
    assertTrue(e.getMessage().contains(":2: preprocessing.scaler: 'minmx' is not one of"), e.getMessage());
    assertTrue(e.getMessage().contains("did you mean 'minmax'"), e.getMessage());
  }

  @Test
  void dataFolderAndUrlDefaultPerDataSetAndEachDataSetsRequiredKeysAreChecked() {
    ResolvedSpec kdd = load("model:\n  type: ae\n");
    assertEquals("data/kdd99", kdd.getString("dataset.data_dir"));
    assertEquals("http://kdd.ics.uci.edu/databases/kddcup99/", kdd.getString("dataset.url"));
    ResolvedSpec adbench = load("dataset:\n  name: adbench\n  subset: 6_cardio\nmodel:\n  type: ae\n");
    assertEquals("data/adbench", adbench.getString("dataset.data_dir"));
    assertEquals("https://github.com/Minqi824/ADBench/raw/main/adbench/datasets/Classical/", adbench.getString("dataset.url"));
    assertEquals("unsupervised", adbench.getString("dataset.setting"));
    assertEquals("elsewhere", load("dataset:\n  name: adbench\n  subset: 6_cardio\n  data_dir: elsewhere\nmodel:\n  type: ae\n")
        .getString("dataset.data_dir"));
    assertEquals("data/ecg5000", load("dataset:\n  name: ecg5000\nmodel:\n  type: ae\n").getString("dataset.data_dir"));
    assertNull(load("dataset:\n  name: npz\n  file: x.npz\nmodel:\n  type: ae\n").get("dataset.data_dir"));
    // the defaults follow an override of the data set too
    assertEquals("data/adbench", load("model:\n  type: ae\n", "dataset.name=adbench", "dataset.subset=14_glass")
        .getString("dataset.data_dir"));

    assertTrue(assertThrows(SpecException.class, () -> load("dataset:\n  name: adbench\nmodel:\n  type: ae\n"))
        .getMessage().contains("dataset.name is adbench, so dataset.subset is required"));
    assertTrue(assertThrows(SpecException.class, () -> load("dataset:\n  name: npz\nmodel:\n  type: ae\n"))
        .getMessage().contains("dataset.name is npz, so dataset.file is required"));
    String m = assertThrows(SpecException.class,
        () -> load("dataset:\n  name: adbench\n  subset: 6_cardoi\nmodel:\n  type: ae\n")).getMessage();
    assertTrue(m.contains(":3: dataset.subset: '6_cardoi' is not one of [1_ALOI, 2_annthyroid,"), m);
    assertTrue(m.contains("47_yeast]; did you mean '6_cardio'?"), m);
    assertTrue(assertThrows(SpecException.class, () -> load("dataset:\n  name: npz\n  file: x.npz\n  setting: semi\nmodel:\n"
        + "  type: ae\n")).getMessage().contains("dataset.setting: 'semi' is not one of [unsupervised, semi_supervised]"));
  }

  @Test
  void unknownModelTypeAndMissingType() {
    assertTrue(assertThrows(SpecException.class, () -> load("model:\n  type: autoencoder\n")).getMessage().contains("model.type 'autoencoder'"));
    assertTrue(assertThrows(SpecException.class, () -> load("seed: 3\n")).getMessage().contains("model.type is required"));
  }

  @Test
  void badOverrideIsNamed() {
    SpecException e = assertThrows(SpecException.class, () -> load("model:\n  type: ae\n", "model.latnt_dim=4"));
    assertTrue(e.getMessage().contains("command line override 'model.latnt_dim=4'"), e.getMessage());
    assertTrue(e.getMessage().contains("did you mean 'model.latent_dim'"), e.getMessage());
    assertThrows(SpecException.class, () -> load("model:\n  type: ae\n", "novalue"));
  }

  @Test
  void invalidYamlReportsTheLine() {
    SpecException e = assertThrows(SpecException.class, () -> load("model:\n  type: ae\n  hidden: [1, 2\n"));
    assertTrue(e.getMessage().startsWith("experiments/test_spec.yaml:"), e.getMessage());
  }

  @Test
  void duplicateKeysAreErrors() {
    SpecException e = assertThrows(SpecException.class, () -> load("seed: 1\nseed: 2\nmodel:\n  type: ae\n"));
    assertTrue(e.getMessage().contains("given twice"), e.getMessage());
  }

  @Test
  void resolvedYamlLoadsBackToTheSameValues() {
    ResolvedSpec s = load("model:\n  type: ae\n  hidden: [9, 3]\n", "seed=11");
    ResolvedSpec again = loader.load(FILE, s.toYaml(), List.of());
    assertEquals(s.values(), again.values());
  }

  @Test
  void restoreBestAndPatienceNeedAValidationSplitAndNoMovingAverage() {
    String m = assertThrows(SpecException.class,
        () -> load("model:\n  type: ae\n  restore_best: true\n")).getMessage();
    assertTrue(m.contains("experiments/test_spec.yaml:3"), m);
    assertTrue(m.contains("model.restore_best needs held-out rows: set model.validation_split"), m);
    m = assertThrows(SpecException.class, () -> load("model:\n  type: ae\n", "model.patience=3")).getMessage();
    assertTrue(m.contains("model.patience=3") && m.contains("model.validation_split"), m);
    m = assertThrows(SpecException.class,
        () -> load("model:\n  type: alad\n  validation_split: 0.1\n  restore_best: true\n")).getMessage();
    assertTrue(m.contains(":4") && m.contains("model.ema_decay (0.999)"), m);
    ResolvedSpec ok = load("model:\n  type: alad\n  validation_split: 0.1\n  restore_best: true\n  ema_decay: 0\n  patience: 2\n");
    assertEquals(0.1, ok.getDouble("model.validation_split"));
    assertEquals(2, ok.getInt("model.patience"));
  }

  /** Issue 18, item 4: NaN passed every range check (NaN < min is false) and the run failed later. */
  @Test
  void nanAndInfinityAreRefusedInEveryNumberKeyWithTheKeyNamed() {
    String[][] cases = {
        {"model:\n  type: ae\n", "model.dropout=NaN"},
        {"model:\n  type: ae\n", "model.learning_rate=NaN"},
        {"model:\n  type: ae\n", "model.validation_split=NaN"},
        {"model:\n  type: ocsvm\n", "model.nu=NaN"},
        {"model:\n  type: ae\n", "model.learning_rate=.nan"},
        {"model:\n  type: ae\n", "model.learning_rate=Infinity"},
        {"model:\n  type: ae\n", "model.learning_rate=-.inf"},
    };
    for (String[] c : cases) {
      String key = c[1].substring(0, c[1].indexOf('='));
      SpecException e = assertThrows(SpecException.class, () -> load(c[0], c[1]), c[1]);
      assertTrue(e.getMessage().contains(key + ":") && e.getMessage().contains("finite number"), e.getMessage());
    }
    SpecException inFile = assertThrows(SpecException.class, () -> load("model:\n  type: ae\n  dropout: .nan\n"));
    assertTrue(inFile.getMessage().contains("experiments/test_spec.yaml:3: model.dropout"), inFile.getMessage());
  }

  /** Issue 18, item 10: Java's parser reads 2f (and 2d, 0x1p1) as 2.0; a spec value is a decimal number. */
  @Test
  void javaNumberSuffixesAreNotNumbers() {
    for (String v : List.of("2f", "2d", "0x1p1", "NaN1")) {
      SpecException e = assertThrows(SpecException.class, () -> load("model:\n  type: ae\n", "model.learning_rate=" + v), v);
      assertTrue(e.getMessage().contains("model.learning_rate: expected a finite number, got '" + v + "'"), e.getMessage());
    }
    assertEquals(1e-5, load("model:\n  type: ae\n", "model.learning_rate=1e-5").getDouble("model.learning_rate"));
    assertEquals(0.25, load("model:\n  type: ae\n", "model.dropout=.25").getDouble("model.dropout"));
  }

  /** Issue 18, item 9: SnakeYAML's alias and nesting limits gave exit 1 and no file name. */
  @Test
  void yamlPastSnakeYamlsLimitsIsASpecErrorNamingTheFile() {
    StringBuilder bomb = new StringBuilder("a: &a [x, x]\n");
    for (int i = 0; i < 60; i++) {
      bomb.append("b").append(i).append(": [*a, *a]\n");
    }
    bomb.append("model:\n  type: ae\n");
    SpecException aliases = assertThrows(SpecException.class, () -> load(bomb.toString()));
    assertTrue(aliases.getMessage().startsWith("experiments/test_spec.yaml: not accepted as YAML")
        && aliases.getMessage().contains("aliases"), aliases.getMessage());
    String deep = "x: " + "[".repeat(60) + "]".repeat(60) + "\nmodel:\n  type: ae\n";
    SpecException nesting = assertThrows(SpecException.class, () -> load(deep));
    assertTrue(nesting.getMessage().startsWith("experiments/test_spec.yaml") && nesting.getMessage().contains("esting"),
        nesting.getMessage());
    SpecException override = assertThrows(SpecException.class, () -> load("model:\n  type: ae\n", "model.hidden=[8,"));
    assertTrue(override.getMessage().contains("command line override 'model.hidden=[8,'"), override.getMessage());
  }
}
