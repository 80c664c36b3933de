package io.deepad4j.spark;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real standalone Spark cluster on 127.0.0.1 started by {@code tools/spark-local.sh} (one master,
 * one worker with this machine's cores), on free ports and with its state in a folder of the test's
 * own, so that it meets no cluster a developer runs.
 */
final class LocalSparkCluster implements AutoCloseable {
  final Path state;
  final String masterUrl;
  private final Path root;
  private final int[] ports;

  private LocalSparkCluster(Path root, Path state, int[] ports, String masterUrl) {
    this.root = root;
    this.state = state;
    this.ports = ports;
    this.masterUrl = masterUrl;
  }

  static LocalSparkCluster start(Path state) {
    Path root = repoRoot();
    int[] ports = {freePort(), freePort(), freePort()};
    ProcessResult r = script(root, state, ports, "start", 300);
    if (r.code != 0 || !r.stdout.strip().startsWith("spark://")) {
      fail("tools/spark-local.sh start failed (exit " + r.code + "): " + r.output + "\nIt installs pyspark into"
          + " .venv (.ci/install-spark.sh; needs python3 and PyPI); logs in " + state);
    }
    return new LocalSparkCluster(root, state, ports, r.stdout.strip());
  }

  /** The worker's JVM. */
  ProcessHandle worker() throws IOException {
    long pid = Long.parseLong(Files.readString(state.resolve("worker.pid")).strip());
    return ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("the worker (PID " + pid + ") is gone"));
  }

  /** Executor JVMs the worker runs now. */
  List<ProcessHandle> executors() throws IOException {
    return worker().children().filter(p -> p.info().commandLine().orElse("")
        .contains("org.apache.spark.executor.CoarseGrainedExecutorBackend")).toList();
  }

  @Override
  public void close() {
    script(root, state, ports, "stop", 60);
  }

  record ProcessResult(int code, String stdout, String output) {}

  private static ProcessResult script(Path root, Path state, int[] ports, String command, int seconds) {
    try {
      Files.createDirectories(state);
      Path err = state.resolve("spark-local-" + command + ".err");
      ProcessBuilder pb = new ProcessBuilder("bash", root.resolve("tools/spark-local.sh").toString(), command)
          .redirectError(err.toFile());
      pb.environment().put("SPARK_LOCAL_STATE", state.toString());
      pb.environment().put("SPARK_MASTER_PORT", Integer.toString(ports[0]));
      pb.environment().put("SPARK_MASTER_WEBUI_PORT", Integer.toString(ports[1]));
      pb.environment().put("SPARK_WORKER_WEBUI_PORT", Integer.toString(ports[2]));
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new ProcessResult(-1, out, "timed out after " + seconds + " s; " + Files.readString(err));
      }
      return new ProcessResult(p.exitValue(), out, out + Files.readString(err));
    } catch (IOException e) {
      throw new IllegalStateException("cannot run tools/spark-local.sh " + command + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static Path repoRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("pom.xml"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("no pom.xml above " + Path.of("").toAbsolutePath());
    }
    return p;
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free port: " + e.getMessage(), e);
    }
  }
}
