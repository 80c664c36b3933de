package io.deepad4j.sweep;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real {@code mlflow server} on 127.0.0.1 (SQLite store, proxied artifacts in a temporary folder)
 * for the sweep tests tagged "mlflow". The executable: $DEEPAD4J_MLFLOW_BIN, else .venv/bin/mlflow
 * (made by .ci/install-mlflow.sh), else mlflow on the PATH. Same rules as the tracking tests' server.
 */
final class LocalMlflowServer implements AutoCloseable {
  private final Process process;
  private final String uri;

  private LocalMlflowServer(Process process, String uri) {
    this.process = process;
    this.uri = uri;
  }

  static LocalMlflowServer start(Path dir) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Files.createDirectories(dir);
    List<String> command = List.of(executable(), "server", "--backend-store-uri",
        "sqlite:///" + dir.resolve("mlflow.db").toAbsolutePath(), "--artifacts-destination",
        dir.resolve("mlartifacts").toAbsolutePath().toString(), "--host", "127.0.0.1", "--port", Integer.toString(port),
        "--workers", "1");
    Process p = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve("server.log").toFile()).start();
    LocalMlflowServer server = new LocalMlflowServer(p, "http://127.0.0.1:" + port);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        fail("mlflow server exited with " + p.exitValue() + "; see " + dir.resolve("server.log"));
      }
      try {
        if (http.send(HttpRequest.newBuilder(URI.create(server.uri + "/health")).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return server;
        }
      } catch (IOException notYet) {
        Thread.sleep(200);
      }
    }
    server.close();
    return fail("mlflow server did not answer /health within 180 s; see " + dir.resolve("server.log"));
  }

  String uri() {
    return uri;
  }

  /** An artifact's bytes as the MLflow UI downloads it. */
  byte[] artifact(String runId, String path) throws Exception {
    HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(uri + "/get-artifact?run_id=" + runId + "&path=" + path)).build(), HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() != 200) {
      fail("get-artifact " + path + " of " + runId + ": HTTP " + r.statusCode() + " " + new String(r.body()));
    }
    return r.body();
  }

  @Override
  public void close() {
    List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
    tree.add(process.toHandle());
    tree.forEach(ProcessHandle::destroy);
    for (ProcessHandle h : tree) {
      try {
        h.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
      } catch (Exception e) {
        h.destroyForcibly();
      }
    }
  }

  private static String executable() {
    String env = System.getenv("DEEPAD4J_MLFLOW_BIN");
    if (env != null && !env.isBlank()) {
      return env;
    }
    Path venv = Path.of(".venv/bin/mlflow").toAbsolutePath();
    if (Files.isExecutable(venv)) {
      return venv.toString();
    }
    for (String entry : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (!entry.isEmpty() && Files.isExecutable(Path.of(entry, "mlflow"))) {
        return Path.of(entry, "mlflow").toString();
      }
    }
    return fail("No mlflow executable: the tests tagged \"mlflow\" need a real MLflow server. Run"
        + " .ci/install-mlflow.sh (creates .venv with a pinned mlflow) or set DEEPAD4J_MLFLOW_BIN");
  }
}
