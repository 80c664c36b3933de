package io.deepad4j.spark;

import io.deepad4j.spec.SpecException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code --spark} from the runner: Spark is not on the runner's classpath (the cluster provides it),
 * so the runner hands its own command line to the user's {@code $SPARK_HOME/bin/spark-submit}, which
 * starts the same command as the Spark driver:
 * <pre>
 * spark-submit --master URL --class io.deepad4j.cli.Main --jars target/lib/... target/deepad4j-*.jar ARGS...
 * </pre>
 * This class uses no Spark type: it runs where Spark is absent.
 */
public final class SparkSubmit {
  public static final String MAIN_CLASS = "io.deepad4j.cli.Main";

  private SparkSubmit() {}

  /** True in a JVM that spark-submit started (or a test with Spark on its classpath): run as the driver. */
  public static boolean sparkOnClasspath() {
    try {
      Class.forName("org.apache.spark.SparkContext", false, SparkSubmit.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  /** Runs {@code args} (the runner's own arguments) through spark-submit and returns its exit code. */
  public static int resubmit(String master, List<String> args) {
    List<String> command = command(master, args, System.getenv());
    System.err.println("runner: spark-submit --master " + master + " --class " + MAIN_CLASS + " ... "
        + String.join(" ", args));
    try {
      ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
      if (onThisMachine(master) && System.getenv("SPARK_LOCAL_IP") == null) {
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1"); // a cluster on loopback (tools/spark-local.sh): the driver too
      }
      Process p = pb.start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        if (p.isAlive()) { // Ctrl-C: the driver gets it too (same process group); wait for its own hook
          try {
            p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
          } catch (InterruptedException ignored) {
            Thread.currentThread().interrupt();
          }
        }
      }, "deepad4j-spark-submit"));
      return p.waitFor();
    } catch (IOException e) {
      throw new SpecException("cannot run " + command.get(0) + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 130;
    }
  }

  /** The spark-submit command line; extra options come from $DEEPAD4J_SPARK_SUBMIT_ARGS (e.g. --executor-memory 8g). */
  static List<String> command(String master, List<String> args, java.util.Map<String, String> env) {
    Path sparkHome = sparkHome(env);
    Path jar = ownJar();
    Path lib = jar.resolveSibling("lib");
    List<String> command = new ArrayList<>(List.of(sparkHome.resolve("bin/spark-submit").toString(),
        "--master", master, "--class", MAIN_CLASS, "--executor-memory", "4g",
        // the collector ./runner gives a local sweep (throughput GC: libsvm trains 1.5x faster than with G1)
        "--conf", "spark.executor.extraJavaOptions=-XX:+UseParallelGC"));
    List<Path> jars = userJars(lib, sparkHome.resolve("jars"));
    boolean ship = "1".equals(env.get("DEEPAD4J_SPARK_SHIP_JARS")); // --jars even to a cluster on this machine
    if (!jars.isEmpty() && onThisMachine(master) && !ship) {
      // the workers see these files: on their classpath as they are, instead of ~190 MB fetched by every executor
      String classpath = jars.stream().map(Path::toString).collect(Collectors.joining(java.io.File.pathSeparator));
      command.addAll(List.of("--driver-class-path", classpath, "--conf", "spark.executor.extraClassPath=" + classpath));
    } else if (!jars.isEmpty()) {
      command.add("--jars");
      command.add(jars.stream().map(Path::toString).collect(Collectors.joining(",")));
    }
    Path log4j = jar.getParent().getParent().resolve("tools/spark-log4j2.properties");
    if (Files.isRegularFile(log4j)) { // the driver's console: our progress, Spark's warnings
      command.add("--driver-java-options");
      command.add("-Dlog4j2.configurationFile=" + log4j.toUri());
    }
    String extra = env.getOrDefault("DEEPAD4J_SPARK_SUBMIT_ARGS", "").trim();
    if (!extra.isEmpty()) {
      command.addAll(Arrays.asList(extra.split("\\s+")));
    }
    command.add(jar.toString());
    command.addAll(args);
    return command;
  }

  /** A master on the loopback address (tools/spark-local.sh) or local[N]: its workers share this machine's files. */
  static boolean onThisMachine(String master) {
    return master.matches("spark://(127\\.0\\.0\\.1|localhost)(:\\d+)?") || master.startsWith("local");
  }

  /**
   * $SPARK_HOME, else the pyspark in the project's .venv (tools/spark-local.sh installs it there).
   *
   * @throws SpecException when neither has bin/spark-submit
   */
  static Path sparkHome(java.util.Map<String, String> env) {
    String home = env.get("SPARK_HOME");
    if (home != null && !home.isBlank()) {
      Path p = Path.of(home);
      if (!Files.isExecutable(p.resolve("bin/spark-submit"))) {
        throw new SpecException("SPARK_HOME=" + home + " has no bin/spark-submit; point it at a Spark 4.x"
            + " installation (pip's pyspark package is one: tools/spark-local.sh start prints its path)");
      }
      return p;
    }
    Path venv = ownJar().getParent().getParent().resolve(".venv/lib");
    if (Files.isDirectory(venv)) {
      try (Stream<Path> pythons = Files.list(venv)) {
        for (Path python : pythons.sorted().toList()) {
          Path pyspark = python.resolve("site-packages/pyspark");
          if (Files.isExecutable(pyspark.resolve("bin/spark-submit"))) {
            return pyspark;
          }
        }
      } catch (IOException e) {
        // fall through to the error
      }
    }
    throw new SpecException("--spark needs spark-submit: set SPARK_HOME to a Spark 4.x installation (Java 17), or"
        + " run tools/spark-local.sh start, which installs pyspark (a whole Spark) into .venv");
  }

  /** The jar this class was loaded from (target/deepad4j-*.jar). */
  static Path ownJar() {
    Path location;
    try {
      location = Path.of(SparkSubmit.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    if (!Files.isRegularFile(location)) {
      throw new SpecException("--spark submits the runner's jar, but this runs from " + location
          + "; build it first (./runner does, or mvn package)");
    }
    return location.toAbsolutePath();
  }

  /**
   * target/lib less the libraries Spark ships itself (jackson, snakeyaml, slf4j, commons-lang3, ...):
   * Spark's own jars come first on its classpath anyway, and the pom pins ours to Spark's versions.
   * slf4j-simple goes too: on a driver or executor, Spark's log4j2 is the logging backend.
   */
  static List<Path> userJars(Path lib, Path sparkJars) {
    Set<String> spark;
    try (Stream<Path> s = Files.isDirectory(sparkJars) ? Files.list(sparkJars) : Stream.empty()) {
      spark = s.map(p -> artifact(p.getFileName().toString())).collect(Collectors.toSet());
    } catch (IOException e) {
      throw new IllegalStateException("cannot list " + sparkJars + ": " + e.getMessage(), e);
    }
    try (Stream<Path> s = Files.isDirectory(lib) ? Files.list(lib) : Stream.empty()) {
      return s.filter(p -> p.getFileName().toString().endsWith(".jar"))
          .filter(p -> !spark.contains(artifact(p.getFileName().toString())))
          .filter(p -> !p.getFileName().toString().startsWith("slf4j-simple-"))
          .sorted().toList();
    } catch (IOException e) {
      throw new IllegalStateException("cannot list " + lib + ": " + e.getMessage(), e);
    }
  }

  /** "jackson-databind-2.21.2.jar" -> "jackson-databind": the name before the first -digit. */
  static String artifact(String jarName) {
    String n = jarName.replaceFirst("\\.jar$", "");
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("-\\d").matcher(n);
    return m.find() ? n.substring(0, m.start()) : n;
  }
}
