package io.deepad4j.tracking;

import java.util.Objects;

/**
 * One data set a run read, as MLflow's {@code runs/log-inputs} records it: the runs table's Dataset
 * column shows {@code name (digest)} with the context, and the run page lists the source, schema and
 * profile. MLflow keeps one data set per (name, digest) in an experiment, so two splits of the same
 * files need two digests (see {@code run/DatasetInputs}).
 *
 * @param name e.g. {@code kdd99-ff12}, {@code adbench-6_cardio}
 * @param digest a short hash identifying the rows (MLflow recommends 8 to 10 characters)
 * @param sourceType MLflow's source type: {@code http} (a URL), {@code local} (a file)
 * @param source the source as MLflow's JSON: {@code {"url": ...}} or {@code {"uri": ...}}
 * @param schema MLflow's {@code {"mlflow_colspec": [...]}} JSON, or null
 * @param profile JSON such as {@code {"num_rows": 97278, "num_elements": ...}}, or null
 * @param context the split as the input tag {@code mlflow.data.context}: train, validation, test
 */
public record DatasetInput(String name, String digest, String sourceType, String source, String schema,
    String profile, String context) {

  /** The input tag MLflow reads the split from. */
  public static final String CONTEXT_TAG = "mlflow.data.context";

  public DatasetInput {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(digest, "digest");
    Objects.requireNonNull(sourceType, "sourceType");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(context, "context");
  }
}
