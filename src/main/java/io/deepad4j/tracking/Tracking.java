package io.deepad4j.tracking;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.mlflow.tracking.creds.BasicMlflowHostCreds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Entry point: a {@link RunTracker} for a run folder, and the tracking URI a spec resolves to. */
public final class Tracking {
  private static final Logger LOG = LoggerFactory.getLogger(Tracking.class);
  private static final AtomicBoolean DISABLED_LOGGED = new AtomicBoolean();

  /** The tracking.uri that keeps a run local whatever $MLFLOW_TRACKING_URI says. */
  public static final String NONE = "none";

  private Tracking() {}

  /**
   * A tracker for the run whose outputs go to {@code runDir}. Either way every call is journaled in
   * {@code runDir/tracking/}.
   *
   * @param uri the MLflow server (http or https); {@link #NONE} gives a deliberately local tracker,
   *     whose runs {@link Sync} never uploads; null or blank (no URI anywhere) a local-only tracker
   *     whose runs a sync given a URI uploads. Both log "tracking disabled: ..." once per JVM.
   * @throws IllegalArgumentException if the URI is not an http(s) URL
   */
  public static RunTracker open(String uri, Path runDir) {
    if (uri != null && uri.trim().equalsIgnoreCase(NONE)) {
      if (DISABLED_LOGGED.compareAndSet(false, true)) {
        LOG.info("tracking disabled: tracking.uri is none; outputs only (`runner sync` does not upload this run)");
      }
      return new JournalingRunTracker(runDir, null, true);
    }
    if (uri == null || uri.isBlank()) {
      if (DISABLED_LOGGED.compareAndSet(false, true)) {
        LOG.info("tracking disabled: no tracking.uri and no MLFLOW_TRACKING_URI; outputs only");
      }
      return new JournalingRunTracker(runDir, null, false);
    }
    return new JournalingRunTracker(runDir, new MlflowServer(ServerConfig.fromEnvironment(uri)), false);
  }

  /**
   * The spec's {@code tracking.uri}, else {@code $MLFLOW_TRACKING_URI}, else null (no tracking); without
   * user info (see {@link UriCredentials}: the credentials are still used to connect).
   */
  public static String resolveUri(String specUri) {
    if (specUri != null && !specUri.isBlank()) {
      return UriCredentials.redact(specUri.trim());
    }
    String env = System.getenv("MLFLOW_TRACKING_URI");
    return env == null || env.isBlank() ? null : UriCredentials.redact(env.trim());
  }

  /**
   * The server's URI as it is written everywhere: without user info or trailing slash.
   *
   * @throws IllegalArgumentException (without the credentials) if it is not an http(s) URL
   */
  public static String serverUri(String uri) {
    return ServerConfig.of(uri, java.util.Map.of()).uri();
  }

  /** The MLflow Java client's credentials for this server, as {@link #open} uses them. */
  public static BasicMlflowHostCreds hostCreds(String uri) {
    return ServerConfig.fromEnvironment(uri).hostCreds();
  }
}
