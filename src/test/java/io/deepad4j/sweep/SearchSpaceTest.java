package io.deepad4j.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepad4j.models.ModelRegistry;
import io.deepad4j.spec.SpecLoader;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Grid expansion, random sampling and the trials they make. */
class SearchSpaceTest {

  private static Map<String, ParamSpace> space(Object... keyAndSpace) {
    Map<String, ParamSpace> m = new LinkedHashMap<>();
    for (int i = 0; i < keyAndSpace.length; i += 2) {
      m.put((String) keyAndSpace[i], (ParamSpace) keyAndSpace[i + 1]);
    }
    return m;
  }

  @Test
  void gridVisitsEveryCombinationWithTheLastKeyFastest() {
    var points = SweepPlanner.grid(space(
        "model.learning_rate", new ParamSpace.Choices(List.of(0.001, 0.01, 0.1)),
        "model.latent_dim", new ParamSpace.Range(2, 8, 2, true)));
    assertEquals(12, points.size());
    assertEquals(Map.of("model.learning_rate", 0.001, "model.latent_dim", 2), points.get(0));
    assertEquals(Map.of("model.learning_rate", 0.001, "model.latent_dim", 8), points.get(3));
    assertEquals(Map.of("model.learning_rate", 0.1, "model.latent_dim", 8), points.get(11));
    assertEquals(12, new HashSet<>(points).size(), "no point twice");
  }

  @Test
  void rangesIncludeBothEndsWithoutFloatNoise() {
    assertEquals(List.of(0.1, 0.2, 0.3, 0.4, 0.5), new ParamSpace.Range(0.1, 0.5, 0.1, false).gridValues());
    assertEquals(List.of(2, 5, 8), new ParamSpace.Range(2, 9, 3, true).gridValues(), "stops below the end when the step does not reach it");
    assertEquals(List.of(0.0, 0.25, 0.5, 0.75, 1.0), new ParamSpace.Range(0, 1, 0.25, false).gridValues());
  }

  @Test
  void randomSamplesStayInBoundsAndLogUniformIsUniformInTheLog() {
    var params = space("u", new ParamSpace.Uniform(0.2, 0.7), "l", new ParamSpace.LogUniform(1e-5, 1e-1),
        "c", new ParamSpace.Choices(List.of("a", "b", "c")));
    var points = SweepPlanner.random(params, 2000, 42);
    assertEquals(2000, points.size());
    int belowGeometricMiddle = 0;
    Set<Object> choices = new HashSet<>();
    for (var p : points) {
      double u = (Double) p.get("u");
      double l = (Double) p.get("l");
      assertTrue(u >= 0.2 && u <= 0.7, "uniform in bounds: " + u);
      assertTrue(l >= 1e-5 && l <= 1e-1, "loguniform in bounds: " + l);
      belowGeometricMiddle += l < 1e-3 ? 1 : 0; // 1e-3 is the middle of [1e-5, 1e-1] on a log scale
      choices.add(p.get("c"));
    }
    // a plain uniform draw on [1e-5, 0.1] would put ~1% below 1e-3; log-uniform puts half
    assertTrue(belowGeometricMiddle > 900 && belowGeometricMiddle < 1100, "log-uniform: " + belowGeometricMiddle);
    assertEquals(Set.of("a", "b", "c"), choices);
  }

  @Test
  void randomSearchIsReproducibleFromItsSeed() {
    var params = space("u", new ParamSpace.Uniform(0, 1), "r", new ParamSpace.Range(1, 10, 1, true));
    assertEquals(SweepPlanner.random(params, 20, 7), SweepPlanner.random(params, 20, 7));
    assertNotEquals(SweepPlanner.random(params, 20, 7), SweepPlanner.random(params, 20, 8));
  }

  @Test
  void randomSearchOverADiscreteSpaceDrawsDistinctPoints() {
    var params = space("a", new ParamSpace.Choices(List.of(1, 2, 3)), "b", new ParamSpace.Choices(List.of("x", "y")));
    var points = SweepPlanner.random(params, 6, 3);
    assertEquals(6, new HashSet<>(points).size(), "all 6 points of the 3 x 2 space, each once");
  }

  @Test
  void trialsAreValidatedSpecsWithRepeatSeedsThreadsAndStableHashes(@TempDir Path tmp) {
    SweepFixture f = SweepFixture.create(tmp);
    Path file = f.sweepFile("s.yaml", """
        sweep:
          method: grid
          repeats: 3
          parallel: 2
          params:
            model.learning_rate: [0.001, 0.01]
            model.latent_dim: {range: [1, 3]}
        """);
    SweepConfig config = SweepFileParser.parse(file);
    SweepPlanner planner = new SweepPlanner(new SpecLoader(ModelRegistry.get()));
    SweepPlanner.Plan plan = planner.plan("s", config, List.of("model.epochs=1"), 8);
    assertEquals(6, plan.points().size());
    assertEquals(18, plan.trials().size());
    Trial first = plan.trials().get(0);
    assertEquals(List.of(7L, 8L, 9L), plan.trials().subList(0, 3).stream().map(Trial::seed).toList(), "seed, seed+1, seed+2");
    assertEquals(7, first.spec().getLong("seed"));
    assertEquals(0.001, first.spec().getDouble("model.learning_rate"));
    assertEquals(1, first.spec().getInt("model.latent_dim"));
    assertEquals(1, first.spec().getInt("model.epochs"), "overrides of the base apply to every trial");
    assertEquals(4, first.spec().getInt("threads"), "8 cores / parallel 2");
    assertEquals("s learning_rate=0.001 latent_dim=1 seed=7", first.spec().runName(), "named by its values (issue 21)");
    assertEquals(18, plan.trials().stream().map(Trial::hash).distinct().count());

    // the same sweep run with another --parallel is the same set of trials (threads is not part of the identity)
    SweepPlanner.Plan again = planner.plan("s", config.withParallel(1), List.of("model.epochs=1"), 8);
    assertEquals(8, again.trials().get(0).spec().getInt("threads"));
    assertEquals(plan.trials().stream().map(Trial::hash).toList(), again.trials().stream().map(Trial::hash).toList());
    // ...and another value is another trial
    SweepPlanner.Plan other = planner.plan("s", config, List.of("model.epochs=2"), 8);
    assertNotEquals(plan.trials().get(0).hash(), other.trials().get(0).hash());
  }

  @Test
  void theShippedSweepFilesAreValid() {
    SweepPlanner planner = new SweepPlanner(new SpecLoader(ModelRegistry.get()));
    SweepPlanner.Plan lr = planner.plan("kdd_ae_lr", SweepFileParser.parse(Path.of("experiments/sweeps/kdd_ae_lr.yaml")),
        List.of(), 2);
    assertEquals(9, lr.trials().size());
    assertEquals(Set.of(0.001, 0.003, 0.01), lr.trials().stream().map(t -> t.spec().getDouble("model.learning_rate"))
        .collect(java.util.stream.Collectors.toSet()));
    assertEquals(Set.of(2, 4, 6), lr.trials().stream().map(t -> t.spec().getInt("model.latent_dim"))
        .collect(java.util.stream.Collectors.toSet()));
    SweepPlanner.Plan bench = planner.plan("kdd_ae_bench12",
        SweepFileParser.parse(Path.of("experiments/sweeps/kdd_ae_bench12.yaml")), List.of(), 2);
    assertEquals(12, bench.trials().size());
    assertTrue(bench.trials().stream().allMatch(t -> t.spec().getInt("model.epochs") == 5));

    SweepConfig bigan = SweepFileParser.parse(Path.of("experiments/sweeps/kdd_bigan_random.yaml"));
    SweepPlanner.Plan random = planner.plan("kdd_bigan_random", bigan, List.of(), 2);
    assertEquals(bigan.samples() * 3, random.trials().size(), "3 seeds per point");
    for (Trial t : random.trials()) {
      assertTrue(t.spec().getDouble("model.d_learning_rate") >= 1e-5 && t.spec().getDouble("model.d_learning_rate") <= 1e-3);
      assertTrue(t.spec().getDouble("model.score_weight") <= 0.5);
    }
    assertEquals(random.trials().stream().map(Trial::hash).toList(),
        planner.plan("kdd_bigan_random", bigan, List.of(), 2).trials().stream().map(Trial::hash).toList(),
        "the same sweep seed draws the same trials");
  }

  @Test
  void commandLineListsSplitOnTopLevelCommasOnly() {
    CommandLineSweep s = CommandLineSweep.parse(List.of("model.hidden=[15,7],[32,16]", "model.learning_rate=0.001,0.01",
        "model.epochs=3", "evaluation.threshold=percentile:80,value:0.05"));
    assertEquals(List.of(List.of(15, 7), List.of(32, 16)), s.choices().get("model.hidden"));
    assertEquals(List.of(0.001, 0.01), s.choices().get("model.learning_rate"));
    assertEquals(List.of("percentile:80", "value:0.05"), s.choices().get("evaluation.threshold"));
    assertEquals(List.of("model.epochs=3"), s.fixed());
  }

  @Test
  void valuesRenderAsOverridesThatReadBackTheSame() {
    assertEquals("[15, 7]", SweepPlanner.render(List.of(15, 7)));
    assertEquals("relu", SweepPlanner.render("relu"));
    assertEquals("'8020'", SweepPlanner.render("8020"), "a string that YAML would read as a number stays a string");
    assertEquals("1.0E-5", SweepPlanner.render(1e-5));
  }

  /** Issue 21: trial run names read as their values, short and distinct. */
  @Test
  void trialNamesAreTheirValues() {
    java.util.Map<String, Object> point = new java.util.LinkedHashMap<>();
    point.put("model.learning_rate", 0.0031622776601683794);
    point.put("model.hidden", List.of(32, 16));
    assertEquals("kdd_ae learning_rate=0.003162 hidden=[32,16]", SweepPlanner.trialName("kdd_ae", point, 1, "%d", null));
    assertEquals("kdd_ae learning_rate=0.003162 hidden=[32,16] seed=3", SweepPlanner.trialName("kdd_ae", point, 1, "%d", 3L));
    // two keys ending alike keep their whole names
    java.util.Map<String, Object> twins = new java.util.LinkedHashMap<>();
    twins.put("model.validation_fraction", 0.1);
    twins.put("dataset.validation_fraction", 0.5);
    assertEquals("s model.validation_fraction=0.1 dataset.validation_fraction=0.5", SweepPlanner.trialName("s", twins, 1, "%d", null));
    // a long name is cut and ends with its point's number, so that it stays distinct
    java.util.Map<String, Object> longPoint = new java.util.LinkedHashMap<>();
    longPoint.put("dataset.train_file", "x".repeat(200));
    String name = SweepPlanner.trialName("s", longPoint, 7, "%02d", 2L);
    assertEquals(SweepPlanner.MAX_TRIAL_NAME, name.length(), name);
    assertTrue(name.endsWith(" p07 seed=2"), name);
  }
}
