package io.deepad4j.sweep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepad4j.TestData;
import io.deepad4j.models.ModelRegistry;
import io.deepad4j.spec.SpecLoader;
import io.deepad4j.tracking.MlflowRest;
import io.deepad4j.tracking.MlflowTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.api.proto.Service;
import org.mlflow.tracking.MlflowClient;

/** A tracked suite against a real MLflow server: one parent run, every trial a child run nested under it. */
@Tag("mlflow")
class SuiteMlflowTest {

  @Test
  void trialsAreChildRunsOfOneParentWithTheResults(@TempDir Path tmp) throws Exception {
    Path data = Files.createDirectories(tmp.resolve("adbench"));
    Files.copy(TestData.sharedData("adbench", "42_WBC.npz").resolve("42_WBC.npz"), data.resolve("42_WBC.npz"));
    String common = "dataset: {name: adbench, subset: 6_cardio}\nevaluation: {threshold: \"percentile:90\"}\n";
    Files.writeString(tmp.resolve("iforest.yaml"), common + "model: {type: iforest, n_estimators: 10}\n");
    Files.writeString(tmp.resolve("pca.yaml"), common + "model: {type: pca, components_fraction: 0.5}\n");
    Path file = tmp.resolve("tracked.yaml");
    Files.writeString(file, """
        experiment: suite-mlflow
        data_dir: %s
        datasets: [42_WBC]
        specs: [iforest.yaml, pca.yaml]
        seeds: [1, 2]
        """.formatted(data));
    try (MlflowTestServer server = MlflowTestServer.started(tmp.resolve("mlflow"));
        MlflowClient client = new MlflowClient(server.uri())) {
      SuiteRunner.Result r = new SuiteRunner(tmp.resolve("outputs"), new SpecLoader(ModelRegistry.get()), 2)
          .run(SuiteFile.parse(file), List.of("tracking.uri=" + server.uri()), List.of(), List.of(), true);
      assertEquals(0, r.failed());
      assertNotNull(r.parentRunId());

      Service.Run parent = client.getRun(r.parentRunId());
      assertEquals(Service.RunStatus.FINISHED, parent.getInfo().getStatus());
      Map<String, String> tags = parent.getData().getTagsList().stream()
          .collect(Collectors.toMap(Service.RunTag::getKey, Service.RunTag::getValue));
      assertEquals("true", tags.get("deepad4j.suite_parent"));
      assertEquals(r.dir().getFileName().toString(), tags.get("mlflow.runName"));
      Map<String, Double> metrics = parent.getData().getMetricsList().stream()
          .collect(Collectors.toMap(Service.Metric::getKey, Service.Metric::getValue));
      assertEquals(4.0, metrics.get("trials_finished"));
      assertTrue(metrics.containsKey("average_rank.iforest") && metrics.containsKey("mean_roc_auc.pca"), metrics.toString());
      MlflowRest rest = new MlflowRest(server.uri());
      assertArrayEquals(Files.readAllBytes(r.dir().resolve("results.csv")),
          rest.download(r.parentRunId(), "results.csv"), "results.csv on the parent run");

      List<Service.RunInfo> children = client.searchRuns(List.of(parent.getInfo().getExperimentId()),
          "tags.mlflow.parentRunId = '" + r.parentRunId() + "'");
      assertEquals(4, children.size(), "one child per data set x detector x seed");
      assertTrue(children.stream().allMatch(c -> c.getStatus() == Service.RunStatus.FINISHED));
      Set<String> names = children.stream().map(c -> client.getRun(c.getRunId()).getData().getTagsList().stream()
          .filter(t -> t.getKey().equals("mlflow.runName")).findFirst().orElseThrow().getValue())
          .collect(Collectors.toSet());
      assertEquals(Set.of("tracked-42_WBC-iforest-s1", "tracked-42_WBC-iforest-s2", "tracked-42_WBC-pca-s1",
          "tracked-42_WBC-pca-s2"), names);
      assertEquals(parent.getInfo().getExperimentId(), children.get(0).getExperimentId(), "one experiment");
      // the parent holds the suite's files, not the children's run folders (they upload their own)
      Set<String> parentFiles = rest.artifacts(r.parentRunId()).keySet();
      assertTrue(parentFiles.contains("leaderboard.md") && parentFiles.contains("leaderboard-cd.png"), parentFiles.toString());
      assertTrue(parentFiles.stream().noneMatch(f -> f.startsWith("runs/")), parentFiles.toString());
    }
  }
}
