package io.deepad4j.tracking;

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
import java.util.concurrent.TimeUnit;

/**
 * A real MLflow tracking server for the tests tagged "mlflow": {@code mlflow server} with a SQLite
 * store and proxied artifacts in a temporary folder, on 127.0.0.1 and a free port. The executable
 * comes from {@code $DEEPAD4J_MLFLOW_BIN}, else {@code <repo>/.venv/bin/mlflow} (made by
 * {@code .ci/install-mlflow.sh}), else {@code mlflow} on the PATH; without one the test fails.
 *
 * <p>The port and the store are fixed at construction, so a test can start the server late, stop it
 * and start it again on the same data (a server that is down, then back).
 */
public final class MlflowTestServer implements AutoCloseable {
  /** 180 s, or DEEPAD4J_MLFLOW_START_TIMEOUT_S seconds (a machine shared with heavy jobs starts Python slowly). */
  private static final Duration START_TIMEOUT = Duration.ofSeconds(Long.parseLong(
      System.getenv().getOrDefault("DEEPAD4J_MLFLOW_START_TIMEOUT_S", "180")));

  private final Path dir;
  private final int port;
  private final Path executable;
  private Process process;
  private Duration lastStartTime;

  public MlflowTestServer(Path dir) {
    this.dir = dir;
    this.port = freePort();
    this.executable = findExecutable();
  }

  /** Creates and starts a server. */
  public static MlflowTestServer started(Path dir) {
    MlflowTestServer server = new MlflowTestServer(dir);
    server.start();
    return server;
  }

  public String uri() {
    return "http://127.0.0.1:" + port;
  }

  Duration lastStartTime() {
    return lastStartTime;
  }

  public void start() {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException("already running");
    }
    long t0 = System.nanoTime();
    List<String> command = new ArrayList<>(List.of(executable.toString(), "server",
        "--backend-store-uri", "sqlite:///" + dir.resolve("mlflow.db").toAbsolutePath(),
        "--artifacts-destination", dir.resolve("mlartifacts").toAbsolutePath().toString(),
        "--host", "127.0.0.1", "--port", Integer.toString(port), "--workers", "1"));
    try {
      Files.createDirectories(dir);
      process = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("server.log").toFile()))
          .start();
    } catch (IOException e) {
      throw new IllegalStateException("Cannot start " + command + ": " + e.getMessage(), e);
    }
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        fail("mlflow server exited with " + process.exitValue() + "; see " + dir.resolve("server.log"));
      }
      try {
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(uri() + "/health")).build(),
            HttpResponse.BodyHandlers.ofString());
        if (health.statusCode() == 200) {
          lastStartTime = Duration.ofNanos(System.nanoTime() - t0);
          System.out.printf("mlflow server on %s up in %.1f s%n", uri(), lastStartTime.toMillis() / 1000.0);
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      sleep(200);
    }
    stop();
    fail("mlflow server did not answer /health within " + START_TIMEOUT.toSeconds() + " s; see "
        + dir.resolve("server.log"));
  }

  /** Stops the server and every process it started (uvicorn worker, job runner). */
  public void stop() {
    if (process == null) {
      return;
    }
    List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
    tree.add(process.toHandle());
    tree.forEach(ProcessHandle::destroy);
    for (ProcessHandle p : tree) {
      try {
        p.onExit().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        p.destroyForcibly();
      }
    }
    process = null;
  }

  @Override
  public void close() {
    stop();
  }

  /**
   * The Python that the mlflow executable runs with (its script's #! line), to check with MLflow's own
   * code what deepad4j writes (MLmodel files, input examples).
   */
  public static Path python() {
    Path mlflow = findExecutable();
    try (java.io.BufferedReader r = Files.newBufferedReader(mlflow)) {
      String first = r.readLine();
      if (first != null && first.startsWith("#!")) {
        Path python = Path.of(first.substring(2).trim().split("\\s+")[0]);
        if (Files.isExecutable(python)) {
          return python;
        }
      }
    } catch (IOException e) {
      return fail("Cannot read " + mlflow + ": " + e.getMessage());
    }
    Path sibling = mlflow.resolveSibling("python");
    if (Files.isExecutable(sibling)) {
      return sibling;
    }
    return fail("No Python found for " + mlflow + " (neither its #! line nor a python beside it)");
  }

  /**
   * Runs {@code python -c script args...} with {@link #python()} and returns what it printed on the line
   * starting with {@code RESULT } (warnings may come before); fails on a non-zero exit or no such line.
   */
  public static String runPython(String script, String... args) {
    List<String> command = new ArrayList<>(List.of(python().toString(), "-c", script));
    command.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return fail("python did not end in 120 s: " + command);
      }
      if (p.exitValue() != 0) {
        return fail("python exited with " + p.exitValue() + ": " + out);
      }
      return out.lines().filter(l -> l.startsWith("RESULT ")).map(l -> l.substring(7)).reduce((a, b) -> b)
          .orElseGet(() -> fail("python printed no RESULT line: " + out));
    } catch (IOException | InterruptedException e) {
      return fail("Cannot run " + command + ": " + e);
    }
  }

  private static Path findExecutable() {
    String env = System.getenv("DEEPAD4J_MLFLOW_BIN");
    if (env != null && !env.isBlank()) {
      Path p = Path.of(env);
      if (!Files.isExecutable(p)) {
        fail("DEEPAD4J_MLFLOW_BIN=" + env + " is not an executable file");
      }
      return p;
    }
    Path venv = repoRoot().resolve(".venv/bin/mlflow");
    if (Files.isExecutable(venv)) {
      return venv;
    }
    String path = System.getenv().getOrDefault("PATH", "");
    for (String entry : path.split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(entry, "mlflow");
      if (!entry.isEmpty() && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return fail("No mlflow executable: the tests tagged \"mlflow\" need a real MLflow server. Run"
        + " .ci/install-mlflow.sh (creates .venv with a pinned mlflow) or set DEEPAD4J_MLFLOW_BIN");
  }

  /** The Maven project folder (tests run with it as working directory; search upwards to be safe). */
  private static Path repoRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("pom.xml"))) {
      p = p.getParent();
    }
    return p == null ? Path.of("").toAbsolutePath() : p;
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("No free port: " + e.getMessage(), e);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
