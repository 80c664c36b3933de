package io.deepad4j.tracking;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples the machine's CPU, memory and disk every {@link #INTERVAL} in a daemon thread while a run
 * trains, and logs them through the run's tracker under MLflow's own names (mlflow/system_metrics:
 * {@code system/cpu_utilization_percentage}, {@code system/system_memory_usage_megabytes},
 * {@code system/system_memory_usage_percentage}, {@code system/disk_usage_percentage},
 * {@code system/disk_usage_megabytes}, {@code system/disk_available_megabytes}), step 0, 1, 2, ... as
 * MLflow's monitor does, so the run page's System metrics tab charts them. One sample is taken at
 * start and one at {@link #close}, so even a short run has two points. GPU and network figures, which
 * MLflow reads through NVML and psutil, are not sampled.
 *
 * <p>CPU is the whole machine's load as the JVM reports it (com.sun.management.OperatingSystemMXBean,
 * container-aware); memory is MemTotal - MemAvailable from /proc/meminfo where there is one (psutil's
 * "used" is close to it), else the MXBean's total - free; disk is the file system of the working directory.
 */
public final class SystemMetrics implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SystemMetrics.class);
  /** MLflow's default sampling interval (MLFLOW_SYSTEM_METRICS_SAMPLING_INTERVAL). */
  public static final Duration INTERVAL = Duration.ofSeconds(10);
  static final String PREFIX = "system/";

  private final RunTracker tracker;
  private final ScheduledExecutorService thread;
  private final AtomicInteger step = new AtomicInteger();
  private final com.sun.management.OperatingSystemMXBean os;
  private final Path disk;
  private volatile boolean closed;

  private SystemMetrics(RunTracker tracker, Duration interval, Path disk) {
    this.tracker = tracker;
    this.disk = disk;
    this.os = ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class);
    this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "deepad4j-system-metrics");
      t.setDaemon(true);
      return t;
    });
    os.getCpuLoad(); // the first reading of the load has nothing to compare with
    thread.scheduleAtFixedRate(this::sampleAndLog, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Starts sampling into {@code tracker} (already started) every {@link #INTERVAL}. */
  public static SystemMetrics start(RunTracker tracker) {
    return start(tracker, INTERVAL);
  }

  static SystemMetrics start(RunTracker tracker, Duration interval) {
    return new SystemMetrics(tracker, interval, Path.of("").toAbsolutePath());
  }

  /** One sample, under MLflow's names; a figure the machine does not give is left out. */
  Map<String, Double> sample() {
    Map<String, Double> m = new LinkedHashMap<>();
    double cpu = os.getCpuLoad();
    if (cpu >= 0) {
      m.put(PREFIX + "cpu_utilization_percentage", round1(100 * cpu));
    }
    long[] memory = memory();
    if (memory[0] > 0) {
      m.put(PREFIX + "system_memory_usage_megabytes", round1(memory[1] / 1e6));
      m.put(PREFIX + "system_memory_usage_percentage", round1(100.0 * memory[1] / memory[0]));
    }
    try {
      var store = Files.getFileStore(disk);
      long total = store.getTotalSpace();
      long free = store.getUsableSpace();
      if (total > 0) {
        m.put(PREFIX + "disk_usage_percentage", round1(100.0 * (total - free) / total));
        m.put(PREFIX + "disk_usage_megabytes", round1((total - free) / 1e6));
        m.put(PREFIX + "disk_available_megabytes", round1(free / 1e6));
      }
    } catch (IOException e) {
      LOG.debug("no disk figures for {}: {}", disk, e.getMessage());
    }
    return m;
  }

  /** {total, used} bytes. */
  private long[] memory() {
    Path meminfo = Path.of("/proc/meminfo");
    if (Files.isReadable(meminfo)) {
      try {
        long total = -1;
        long available = -1;
        for (String line : Files.readAllLines(meminfo)) {
          if (line.startsWith("MemTotal:")) {
            total = kilobytes(line);
          } else if (line.startsWith("MemAvailable:")) {
            available = kilobytes(line);
          }
        }
        if (total > 0 && available >= 0) {
          return new long[] {total, total - available};
        }
      } catch (IOException | RuntimeException e) {
        LOG.debug("cannot read {}: {}", meminfo, e.getMessage());
      }
    }
    long total = os.getTotalMemorySize();
    return new long[] {total, total - os.getFreeMemorySize()};
  }

  private static long kilobytes(String line) {
    String[] parts = line.trim().split("\\s+");
    return Long.parseLong(parts[1]) * 1024;
  }

  private static double round1(double v) {
    return Math.round(v * 10) / 10.0;
  }

  private void sampleAndLog() {
    if (closed) {
      return;
    }
    try {
      Map<String, Double> sample = sample();
      if (!sample.isEmpty()) {
        tracker.logSystemMetrics(step.getAndIncrement(), sample);
      }
    } catch (RuntimeException e) {
      // a sample that cannot be taken or journaled must not end the sampling, nor the run
      LOG.debug("system metrics sample skipped: {}", e.toString());
    }
  }

  /** Takes the last sample and stops the thread; call before the run ends. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    thread.shutdown();
    try {
      if (!thread.awaitTermination(5, TimeUnit.SECONDS)) {
        thread.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    sampleAndLog();
    closed = true;
  }
}
