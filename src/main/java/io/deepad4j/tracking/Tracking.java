package io.deepad4j.tracking;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Entry point: a {@link RunTracker} for a run folder, and the tracking URI a spec resolves to. */
public final class Tracking {
  private static final Logger LOG = LoggerFactory.getLogger(Tracking.class);
  private static final AtomicBoolean DISABLED_LOGGED = new AtomicBoolean();

  private Tracking() {}

  /**
   * A tracker for the run whose outputs go to {@code runDir}. Either way every call is journaled in
   * {@code runDir/tracking/}.
   *
   * @param uri the MLflow server (http or https); null or blank gives a local-only tracker, which
   *     logs "tracking disabled: ..." once per JVM
   * @throws IllegalArgumentException if the URI is not an http(s) URL
   */
  public static RunTracker open(String uri, Path runDir) {
    if (uri == null || uri.isBlank()) {
      if (DISABLED_LOGGED.compareAndSet(false, true)) {
        LOG.info("tracking disabled: no tracking.uri and no MLFLOW_TRACKING_URI; outputs only");
      }
      return new JournalingRunTracker(runDir, null);
    }
    return new JournalingRunTracker(runDir, new MlflowServer(ServerConfig.fromEnvironment(uri)));
  }

  /** The spec's {@code tracking.uri}, else {@code $MLFLOW_TRACKING_URI}, else null (no tracking). */
  public static String resolveUri(String specUri) {
    if (specUri != null && !specUri.isBlank()) {
      return specUri.trim();
    }
    String env = System.getenv("MLFLOW_TRACKING_URI");
    return env == null || env.isBlank() ? null : env.trim();
  }
}
