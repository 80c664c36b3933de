package io.deepad4j.sweep;

import io.deepad4j.tracking.RunStatus;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.mlflow.api.proto.Service;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.creds.BasicMlflowHostCreds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parent run of a resumed sweep: the run the first session created, set RUNNING again and
 * finished when the remaining trials are done.
 *
 * <p>Why not a {@link io.deepad4j.tracking.RunTracker}: its API starts new runs only. This class talks
 * to the server directly (MLflow Java client; the artifact proxy for the sweep's files), without a
 * journal: a resumed sweep that cannot reach MLflow keeps its result in the sweep folder only.
 */
final class ReopenedParentRun implements ParentRun {
  private static final Logger log = LoggerFactory.getLogger(ReopenedParentRun.class);
  /** The files of the sweep folder the parent run shows (its tracking/ journal stays local). */
  private static final List<String> FILES = List.of(SweepFolder.SUMMARY_FILE, SweepFolder.TRIALS_FILE,
      SweepFolder.SWEEP_FILE, SweepFolder.STATE_FILE);

  private final String uri;
  private final String runId;
  private final String artifactUri;
  private final MlflowClient client;
  private final AtomicBoolean ended = new AtomicBoolean();

  private ReopenedParentRun(String uri, String runId, String artifactUri, MlflowClient client) {
    this.uri = uri;
    this.runId = runId;
    this.artifactUri = artifactUri;
    this.client = client;
  }

  /**
   * Reopens the run; empty when it cannot (the server is down, or the run is gone or deleted), after
   * a warning that says so.
   */
  static Optional<ParentRun> reopen(String uri, String runId) {
    String base = uri.replaceAll("/+$", "");
    MlflowClient client = new MlflowClient(new BasicMlflowHostCreds(base, env("MLFLOW_TRACKING_USERNAME"),
        env("MLFLOW_TRACKING_PASSWORD"), env("MLFLOW_TRACKING_TOKEN"),
        "true".equalsIgnoreCase(System.getenv("MLFLOW_TRACKING_INSECURE_TLS"))));
    try {
      Service.RunInfo info = client.getRun(runId).getInfo();
      if ("deleted".equals(info.getLifecycleStage())) {
        log.warn("the sweep's parent run {} was deleted in MLflow; the resumed trials get a new parent", runId);
        client.close();
        return Optional.empty();
      }
      client.sendPost("runs/update", "{\"run_id\":\"" + runId + "\",\"status\":\"RUNNING\"}");
      log.info("MLflow parent run {} reopened", runId);
      return Optional.of(new ReopenedParentRun(base, runId, info.getArtifactUri(), client));
    } catch (RuntimeException e) {
      log.warn("cannot reopen the sweep's parent run {} at {}: {}; the resumed trials get a new parent", runId, base,
          e.getMessage());
      client.close();
      return Optional.empty();
    }
  }

  @Override
  public Optional<String> runId() {
    return Optional.of(runId);
  }

  @Override
  public void finish(Map<String, String> tags, Map<String, Double> metrics, Path sweepDir, RunStatus status,
      String error) {
    try {
      long now = System.currentTimeMillis();
      List<Service.Metric> m = new ArrayList<>();
      metrics.forEach((k, v) -> m.add(Service.Metric.newBuilder().setKey(k).setValue(v).setTimestamp(now).setStep(0).build()));
      List<Service.RunTag> t = new ArrayList<>();
      tags.forEach((k, v) -> t.add(Service.RunTag.newBuilder().setKey(k).setValue(v).build()));
      client.logBatch(runId, m, List.of(), t);
      upload(sweepDir);
    } catch (RuntimeException e) {
      log.warn("could not log the sweep's result to the MLflow parent run {}: {} (it is in {})", runId, e.getMessage(),
          sweepDir);
    }
    end(status, error);
  }

  /** PUTs the sweep folder's files through the server's artifact proxy (mlflow-artifacts:/ locations). */
  private void upload(Path sweepDir) {
    String prefix = "mlflow-artifacts:";
    if (!artifactUri.startsWith(prefix)) {
      log.warn("the parent run's artifacts are at {}, not behind the server's proxy; summary.csv stays local",
          artifactUri);
      return;
    }
    String location = artifactUri.substring(prefix.length()).replaceAll("^/+", "");
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    for (String name : FILES) {
      Path file = sweepDir.resolve(name);
      if (!Files.isRegularFile(file)) {
        continue;
      }
      String path = String.join("/", java.util.Arrays.stream((location + "/" + name).split("/"))
          .map(s -> URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20")).toList());
      try {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri + "/api/2.0/mlflow-artifacts/artifacts/" + path))
            .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/octet-stream")
            .PUT(HttpRequest.BodyPublishers.ofFile(file));
        authorization().ifPresent(a -> request.header("Authorization", a));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 400) {
          throw new IOException("HTTP " + response.statusCode() + " " + response.body());
        }
      } catch (IOException e) {
        throw new IllegalStateException("upload of " + name + " failed: " + e.getMessage(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("upload of " + name + " interrupted", e);
      }
    }
  }

  /** MLflow's own precedence: basic credentials, else a bearer token. */
  private static Optional<String> authorization() {
    String user = env("MLFLOW_TRACKING_USERNAME");
    String password = env("MLFLOW_TRACKING_PASSWORD");
    if (user != null && password != null) {
      return Optional.of("Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }
    return Optional.ofNullable(env("MLFLOW_TRACKING_TOKEN")).map(t -> "Bearer " + t);
  }

  private static String env(String name) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? null : v;
  }

  @Override
  public void end(RunStatus status, String error) {
    if (!ended.compareAndSet(false, true)) {
      return;
    }
    try {
      if (error != null) {
        client.setTag(runId, "deepad4j.error", error);
      }
      client.setTerminated(runId, Service.RunStatus.valueOf(status.name()));
    } catch (RuntimeException e) {
      log.warn("could not end the MLflow parent run {}: {}", runId, e.getMessage());
    }
  }

  @Override
  public void close() {
    end(RunStatus.FAILED, "the sweep ended without closing its parent run");
    client.close();
  }
}
