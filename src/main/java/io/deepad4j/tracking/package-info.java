/**
 * MLflow tracking that loses nothing when the server is not there.
 *
 * <p><b>Use.</b> {@code Tracking.open(Tracking.resolveUri(spec.tracking.uri), runDir)} gives a
 * {@link io.deepad4j.tracking.RunTracker}; {@code start}, {@code logEpoch}..., then
 * {@code logArtifactsAndModel(runDir)}, {@code registerModel(name)} and {@code end(status, error)}
 * (calls after {@code end} are ignored). {@link io.deepad4j.tracking.Sync#sync} uploads what did not
 * reach the server ({@code runner sync outputs/}).
 *
 * <p><b>Journal.</b> Every call is appended to {@code <runDir>/tracking/journal.jsonl} before it is
 * sent, and acknowledged by a second line once the server accepted (or finally rejected) it; see
 * {@code Journal}. The tracking folder is never uploaded. A local-only tracker (no URI) journals too,
 * so its runs can be uploaded later by syncing with a URI.
 *
 * <p><b>Failures.</b> Connection errors, HTTP 5xx and 429 are retried (0.5, 1, 2, 4 s, at most ~15 s);
 * calls of the MLflow Java client, whose HTTP client has no timeouts, are abandoned after 20 s. After
 * that the tracker logs one warning and only journals for the rest of the run. Other 4xx answers throw
 * {@link io.deepad4j.tracking.TrackingException} with the server's message and are never replayed.
 *
 * <p><b>Sync.</b> Sends exactly the unacknowledged entries, with their journaled timestamps (metric
 * timestamps, run start and end times). The run carries the tag {@code deepad4j.run_key}; a replayed
 * start finds the run by it instead of creating a second one, and models and registry versions are
 * looked up before being created, so a replay after a lost answer adds nothing twice. A journal
 * without an end whose process is alive is left alone ({@link io.deepad4j.tracking.RunOwner}: pid, start
 * time, host); one whose process died is ended as its run.json says when that holds a final status
 * (the end line was torn), else as FAILED with
 * {@code deepad4j.error = "process ended without closing the run"} at its last entry's time, and its
 * run.json is ended the same way ({@link io.deepad4j.tracking.RunStatusFile#reconcile}). Runs with
 * {@code tracking.uri: none} are never uploaded.
 *
 * <p><b>Secrets.</b> {@link io.deepad4j.tracking.UriCredentials} strips {@code user:password@} from every
 * URI in the spec and the environment's tracking URI before anything is written or logged; the
 * credentials stay in memory only, for HTTP basic auth to that server.
 *
 * <p><b>Models in MLflow 3.</b> The run page's "Logged models" box still shows models recorded by
 * {@code runs/log-model} (the {@code mlflow.log-model.history} tag), but the experiment's Models tab,
 * the runs table's Models column and the run's logged-models table list only MLflow 3 logged models.
 * So the model is logged both ways: the run's {@code model/} artifacts plus runs/log-model, and a
 * logged model (POST logged-models with source_run_id, its own copy of the files, POST runs/outputs,
 * PATCH status READY). Registration then uses {@code models:/<model_id>} as MLflow 3's log_model does;
 * against an MLflow 2 server (no logged-model API) it falls back to {@code runs:/<run id>/model}.
 *
 * <p><b>Artifacts.</b> Uploaded with java.net.http through the server's artifact proxy
 * ({@code PUT /api/2.0/mlflow-artifacts/artifacts/...}), not the Java client's logArtifact, which
 * shells out to Python. The server must serve artifacts (the default of {@code mlflow server}).
 */
package io.deepad4j.tracking;
