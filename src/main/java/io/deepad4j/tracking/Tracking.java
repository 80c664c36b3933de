package io.deepad4j.tracking;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** TEMPORARY local-only shim until the tracking branch lands. */
public final class Tracking {
  public static String resolveUri(String s) { return s != null ? s : System.getenv("MLFLOW_TRACKING_URI"); }
  public static RunTracker open(String uri, Path runDir) {
    return new RunTracker() {
      public void start(String e, String r, Map<String, String> p, Map<String, String> t) {}
      public void logEpoch(int epoch, Map<String, Double> m) {}
      public void logMetrics(Map<String, Double> m) {}
      public void setTag(String k, String v) {}
      public void logArtifactsAndModel(Path d) {}
      public void registerModel(String n) {}
      public void end(RunStatus s, String m) {}
      public Optional<String> runId() { return Optional.empty(); }
      public Optional<String> runUrl() { return Optional.empty(); }
      public boolean isRemote() { return false; }
      public void close() {}
    };
  }
}
