package io.deepad4j.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 21: the system metrics sampler journals MLflow's system/... metrics, step by step, until it is closed. */
class SystemMetricsTest {

  @Test
  void samplesGoToTheJournalWithStepsFromZeroAndStopAtClose(@TempDir Path runDir) throws Exception {
    try (RunTracker tracker = Tracking.open(null, runDir)) {
      tracker.start("e", "r", Map.of(), Map.of());
      SystemMetrics sampler = SystemMetrics.start(tracker, Duration.ofMillis(50));
      Thread.sleep(400);
      sampler.close();
      int afterClose = systemEntries(runDir).size();
      Thread.sleep(200);
      assertEquals(afterClose, systemEntries(runDir).size(), "nothing sampled after close");
      sampler.close(); // idempotent
      tracker.end(RunStatus.FINISHED, null);
    }
    List<Journal.JournalEntry> samples = systemEntries(runDir);
    assertTrue(samples.size() >= 3, "a sample at start, every 50 ms and at close: " + samples.size());
    for (int i = 0; i < samples.size(); i++) {
      assertEquals(i, samples.get(i).data().path("step").asInt(), "steps 0, 1, 2, ... as MLflow's monitor logs them");
    }
    var last = samples.get(samples.size() - 1).data().path("metrics");
    for (String name : List.of("system/system_memory_usage_megabytes", "system/system_memory_usage_percentage",
        "system/disk_usage_percentage", "system/disk_usage_megabytes", "system/disk_available_megabytes")) {
      assertTrue(last.has(name), name + " in " + last);
    }
    double memory = last.path("system/system_memory_usage_percentage").asDouble();
    assertTrue(memory > 0 && memory <= 100, "a percentage: " + memory);
    // the CPU load needs two readings; by the last sample there have been several
    double cpu = last.path("system/cpu_utilization_percentage").asDouble(-1);
    assertTrue(cpu >= 0 && cpu <= 100, "a percentage: " + last);
  }

  private static List<Journal.JournalEntry> systemEntries(Path runDir) {
    return Journal.read(runDir).entries().stream()
        .filter(e -> e.op().equals(EntrySender.METRICS) && e.data().path("metrics").fieldNames().hasNext()
            && e.data().path("metrics").fieldNames().next().startsWith(SystemMetrics.PREFIX))
        .toList();
  }
}
