package io.deepad4j.sweep;

import io.deepad4j.tracking.MlflowRest;
import io.deepad4j.tracking.MlflowTestServer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.api.proto.Service;
import org.mlflow.tracking.MlflowClient;

/** A sweep against a real MLflow server: a parent run with the best trial, child runs nested under it, and --resume. */
@Tag("mlflow")
class SweepMlflowTest {

  private static Map<String, String> tags(Service.Run run) {
    return run.getData().getTagsList().stream().collect(Collectors.toMap(Service.RunTag::getKey, Service.RunTag::getValue));
  }

  private static Map<String, Double> metrics(Service.Run run) {
    Map<String, Double> m = new HashMap<>();
    run.getData().getMetricsList().forEach(x -> m.put(x.getKey(), x.getValue()));
    return m;
  }

  private static List<Service.RunInfo> children(MlflowClient client, Service.Run parent) {
    return client.searchRuns(List.of(parent.getInfo().getExperimentId()),
        "tags.mlflow.parentRunId = '" + parent.getInfo().getRunId() + "'");
  }

  /** What the parent run must show for the sweep folder's current summary. */
  private static void assertParentHoldsTheResult(MlflowTestServer server, MlflowClient client, Service.Run parent,
      SweepRunner.Result r) throws Exception {
    assertEquals(Service.RunStatus.FINISHED, parent.getInfo().getStatus());
    SweepSummary.Row best = r.summary().best().orElseThrow();
    Map<String, String> tags = tags(parent);
    assertEquals(String.valueOf(best.params().get("model.latent_dim")), tags.get("best.model.latent_dim"));
    assertEquals(String.valueOf(best.params().get("dataset.train_file")), tags.get("best.dataset.train_file"));
    assertEquals(best.mlflowRunIds().get(0), tags.get("best.run_ids"));
    assertEquals("val_roc_auc", r.summary().objective().metric(), "the default objective: the validation split (issue 21)");
    assertEquals(best.mean(), metrics(parent).get("best_val_roc_auc"), 1e-12);
    assertArrayEquals(Files.readAllBytes(r.folder().dir().resolve("summary.csv")),
        new MlflowRest(server.uri()).download(parent.getInfo().getRunId(), "summary.csv"), "summary.csv on the parent run");
  }

  @Test
  void trialsAreChildRunsOfOneParentThatKeepsTheBestAcrossAResume(@TempDir Path tmp) throws Exception {
    try (MlflowTestServer server = MlflowTestServer.started(tmp.resolve("mlflow"));
        MlflowClient client = new MlflowClient(server.uri())) {
      SweepFixture f = SweepFixture.create(tmp);
      Path later = tmp.resolve("later.csv");
      SweepConfig config = SweepFileParser.parse(f.sweepFile("nested.yaml", """
          sweep:
            parallel: 2
            params:
              dataset.train_file: [%s, %s]
              model.latent_dim: [1, 2]
          """.formatted(tmp.resolve("train.csv"), later)));
      SweepRunner.Result first = f.runner().run("nested", config, List.of("tracking.uri=" + server.uri()), "nested.yaml");
      assertEquals(2, first.failed(), "later.csv is missing: two trials fail before making a run");

      String parentId = first.folder().readState().parentRunId();
      assertNotNull(parentId);
      assertEquals(parentId, first.parentRunId());
      Service.Run parent = client.getRun(parentId);
      Map<String, String> parentTags = tags(parent);
      assertEquals("nested.yaml", parentTags.get("deepad4j.sweep_file"));
      assertEquals(first.folder().dir().getFileName().toString(), parentTags.get("mlflow.runName"));
      Map<String, String> params = parent.getData().getParamsList().stream()
          .collect(Collectors.toMap(Service.Param::getKey, Service.Param::getValue));
      assertEquals("grid", params.get("sweep.method"));
      assertEquals("[1, 2]", params.get("sweep.params.model.latent_dim"));
      assertEquals("4", params.get("sweep.trials"));
      assertEquals(2.0, metrics(parent).get("trials_failed"));

      List<Service.RunInfo> kids = children(client, parent);
      Set<String> recorded = first.folder().trials().stream().filter(TrialRecord::finished)
          .map(TrialRecord::mlflowRunId).collect(Collectors.toSet());
      assertEquals(recorded, kids.stream().map(Service.RunInfo::getRunId).collect(Collectors.toSet()),
          "the finished trials, and only they, are children of the parent");
      for (Service.RunInfo kid : kids) {
        Service.Run run = client.getRun(kid.getRunId());
        assertEquals(Service.RunStatus.FINISHED, kid.getStatus());
        assertEquals(parent.getInfo().getExperimentId(), kid.getExperimentId(), "children go to the base spec's experiment");
        assertEquals("nested", tags(run).get("deepad4j.sweep"));
        String runName = tags(run).get("mlflow.runName");
        assertTrue(runName.matches("nested train_file=\\S+train\\.csv latent_dim=[12]"), "named by its values: " + runName);
        assertTrue(metrics(run).containsKey("roc_auc"));
      }
      assertParentHoldsTheResult(server, client, parent, first);

      // the missing file appears; the resumed trials join the same parent, which is finished again
      Files.copy(tmp.resolve("train.csv"), later);
      SweepRunner.Result resumed = f.runner().resume(first.folder().dir(), null);
      assertEquals(2, resumed.ran());
      assertEquals(2, resumed.skipped());
      assertEquals(parentId, resumed.parentRunId(), "the parent run is reused");
      parent = client.getRun(parentId);
      assertEquals(4, children(client, parent).size());
      assertEquals(4.0, metrics(parent).get("trials_finished"));
      assertEquals(0.0, metrics(parent).get("trials_failed"));
      assertParentHoldsTheResult(server, client, parent, resumed);
      assertEquals(1, client.searchRuns(List.of(parent.getInfo().getExperimentId()), "tags.deepad4j.sweep_parent = 'true'")
          .size(), "one parent run for the sweep");

      // compare reads the sweep's children from MLflow
      List<RunComparison.Run> runs = RunComparison.fromMlflow(server.uri(), first.folder().dir().toString());
      assertEquals(4, runs.size());
      assertEquals(List.of("dataset.train_file", "model.latent_dim"), RunComparison.differingParams(runs).stream().sorted().toList());
    }
  }
}
