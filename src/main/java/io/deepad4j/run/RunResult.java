package io.deepad4j.run;

import java.nio.file.Path;
import java.util.Map;

/** What a finished run produced: its folder, final metrics, and its MLflow run id when tracked. */
public record RunResult(Path runDir, Map<String, Double> metrics, String mlflowRunId) {}
