package io.deepad4j.spark;

import io.deepad4j.tracking.RunStatus;
import io.deepad4j.sweep.TrialRecord;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mlflow.api.proto.Service;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.creds.BasicMlflowHostCreds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Earlier attempts of a trial in MLflow, settled before a Spark task runs it again. Spark reruns a
 * task whose executor died; the dead attempt's child run is still RUNNING (nothing in that JVM could
 * end it). So each attempt first looks up the child runs of the same trial (tag
 * deepad4j.sweep_trial) under the sweep's parent: a RUNNING one is ended KILLED, and each run it
 * replaces is tagged {@code deepad4j.replaced_by} with this attempt. A FINISHED one (its driver died
 * before recording it) is taken as the trial's result instead of training again, so MLflow keeps
 * exactly one FINISHED child per trial.
 */
final class TrialAttempts {
  private static final Logger log = LoggerFactory.getLogger(TrialAttempts.class);
  static final String REPLACED_BY = "deepad4j.replaced_by";

  private TrialAttempts() {}

  /** The trial's FINISHED child run, as a record, when an earlier attempt finished it; else empty after closing the others. */
  static Optional<TrialRecord> settle(TrialTask.Input in, Map<String, Object> params, String attempt) {
    if (in.trackingUri() == null || in.parentRunId() == null) {
      return Optional.empty();
    }
    try (MlflowClient client = client(in.trackingUri())) {
      String experiment = client.getRun(in.parentRunId()).getInfo().getExperimentId();
      List<Service.RunInfo> runs = client.searchRuns(List.of(experiment), "tags.mlflow.parentRunId = '"
          + in.parentRunId() + "' and tags.deepad4j.sweep_trial = '" + in.hash() + "'");
      Optional<TrialRecord> finished = Optional.empty();
      for (Service.RunInfo run : runs) {
        if (run.getStatus() == Service.RunStatus.FINISHED && finished.isEmpty()) {
          finished = Optional.of(adopt(client.getRun(run.getRunId()), in, params));
          log.info("trial {}: child run {} FINISHED by an earlier attempt; taken as its result", in.number(),
              run.getRunId());
          continue;
        }
        if (run.getStatus() == Service.RunStatus.FINISHED) {
          continue; // never end a finished run; a second one would come from a sweep before this check existed
        }
        boolean tagged = client.getRun(run.getRunId()).getData().getTagsList().stream()
            .anyMatch(t -> t.getKey().equals(REPLACED_BY));
        if (run.getStatus() == Service.RunStatus.RUNNING || run.getStatus() == Service.RunStatus.SCHEDULED) {
          client.setTag(run.getRunId(), REPLACED_BY, attempt);
          client.setTag(run.getRunId(), "deepad4j.error", "abandoned: its Spark executor or driver died; rerun by "
              + attempt);
          client.setTerminated(run.getRunId(), Service.RunStatus.KILLED);
          log.warn("trial {}: child run {} of an abandoned attempt was still RUNNING; ended KILLED, replaced by {}",
              in.number(), run.getRunId(), attempt);
        } else if (!tagged) {
          client.setTag(run.getRunId(), REPLACED_BY, attempt);
        }
      }
      return finished;
    } catch (RuntimeException e) {
      log.warn("trial {}: could not look up its earlier attempts in MLflow at {}: {} (the trial runs anyway)",
          in.number(), in.trackingUri(), e.getMessage());
      return Optional.empty();
    }
  }

  private static TrialRecord adopt(Service.Run run, TrialTask.Input in, Map<String, Object> params) {
    Map<String, Double> metrics = new LinkedHashMap<>();
    run.getData().getMetricsList().forEach(m -> metrics.put(m.getKey(), m.getValue()));
    Service.RunInfo info = run.getInfo();
    double seconds = info.getEndTime() > info.getStartTime() ? (info.getEndTime() - info.getStartTime()) / 1000.0 : 0;
    return new TrialRecord(in.hash(), in.number(), in.point(), params, in.seed(), RunStatus.FINISHED, metrics, null,
        info.getRunId(), null, seconds, Instant.ofEpochMilli(info.getEndTime()).toString());
  }

  /**
   * Whether the sweep's parent already has child runs (a resumed sweep): then every trial's first
   * attempt, not only Spark's reruns, settles what earlier sessions left. True when it cannot tell.
   */
  static boolean hasChildren(String uri, String parentRunId) {
    if (uri == null || parentRunId == null) {
      return false;
    }
    try (MlflowClient client = client(uri)) {
      String experiment = client.getRun(parentRunId).getInfo().getExperimentId();
      return !client.searchRuns(List.of(experiment), "tags.mlflow.parentRunId = '" + parentRunId + "'").isEmpty();
    } catch (RuntimeException e) {
      log.warn("could not look up the children of the sweep's parent run {}: {}", parentRunId, e.getMessage());
      return true;
    }
  }

  /** A client with MLflow's own credential variables (the driver passes them to the executors' environment). */
  static MlflowClient client(String uri) {
    return new MlflowClient(new BasicMlflowHostCreds(uri.replaceAll("/+$", ""), env("MLFLOW_TRACKING_USERNAME"),
        env("MLFLOW_TRACKING_PASSWORD"), env("MLFLOW_TRACKING_TOKEN"),
        "true".equalsIgnoreCase(System.getenv("MLFLOW_TRACKING_INSECURE_TLS"))));
  }

  private static String env(String name) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? null : v;
  }
}
