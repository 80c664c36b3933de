package io.deepad4j.tracking;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What is known about the run on the server: its ids once created, the MLflow 3 logged model once
 * made, and the params logged so far (copied onto the logged model, as MLflow's log_model does).
 * Rebuilt from the journal's acks by {@link Sync}.
 */
final class RemoteRun {
  volatile String experimentId;
  volatile String runId;
  volatile String artifactUri;
  volatile String modelId;
  final Map<String, String> params = new LinkedHashMap<>();

  boolean created() {
    return runId != null;
  }

  static RemoteRun fromJournal(Journal.Contents journal) {
    RemoteRun run = new RemoteRun();
    for (Journal.JournalEntry entry : journal.entries()) {
      if (entry.op().equals(EntrySender.PARAMS)) {
        entry.data().path("params").fields().forEachRemaining(f -> run.params.put(f.getKey(), f.getValue().asText()));
      }
      Journal.Ack ack = journal.acks().get(entry.seq());
      if (ack == null || !ack.ok()) {
        continue;
      }
      if (entry.op().equals(EntrySender.START)) {
        run.experimentId = ack.result().path("experiment_id").asText(null);
        run.runId = ack.result().path("run_id").asText(null);
        run.artifactUri = ack.result().path("artifact_uri").asText(null);
      } else if (entry.op().equals(EntrySender.MODEL) && ack.result().hasNonNull("model_id")) {
        run.modelId = ack.result().get("model_id").asText();
      }
    }
    return run;
  }
}
