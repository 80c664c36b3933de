package io.deepad4j.spec;

import io.deepad4j.data.Kdd99;
import io.deepad4j.preprocessing.Scaler;
import java.util.List;

/** The keys every spec has, outside {@code model.}: names, defaults and documentation. */
public final class SpecSchema {
  private SpecSchema() {}

  public static final String KDD_URL = "http://kdd.ics.uci.edu/databases/kddcup99/";

  public static final List<Field> TOP_LEVEL =
      List.of(
          Field.string("experiment", "deepad4j", "MLflow experiment name (created if missing)"),
          Field.string("run_name", null, "run name; default: the spec file's name"),
          Field.integer("seed", 2018, 0, Integer.MAX_VALUE, "drives every random choice: sampling, init, shuffling, noise"),
          Field.choice("dataset.name", "kdd99", List.of("kdd99", "csv"), "data set"),
          Field.choice("dataset.protocol", "ff12", Kdd99.Protocol.specNames(), "kdd99 protocol (docs/SPECS.md: data sets and protocols)"),
          Field.choice("dataset.test_split", "8020", List.of("all", "8020", "9010"), "ff12 test split: all | 8020 (8,000 normal + 2,000 attacks) | 9010"),
          Field.string("dataset.data_dir", "data/kdd99", "where the KDD files are cached; downloaded and verified when missing"),
          Field.string("dataset.url", KDD_URL, "where the KDD files are downloaded from"),
          Field.bool("dataset.verify_checksums", true, "check the SHA-256 of the KDD files; set false only after checking a file yourself"),
          Field.string("dataset.train_file", null, "csv: training rows (normal rows; others are dropped)"),
          Field.string("dataset.test_file", null, "csv: labelled test rows"),
          Field.string("dataset.label_column", "label", "csv: the label column"),
          Field.string("dataset.normal_value", "normal", "csv: the label value of normal rows; every other value is an anomaly"),
          Field.stringList("dataset.features", List.of(), "csv: feature columns; empty = every column but the label"),
          Field.number("dataset.validation_fraction", 0.5, 0.0, 0.9, "csv: share of the test file held out for threshold selection"),
          Field.choice("preprocessing.scaler", "minmax", Scaler.Kind.specNames(), "fit on training rows only"),
          Field.string("evaluation.threshold", "best_accuracy", "best_accuracy (on the validation split) | percentile:P (of test scores) | value:X"),
          Field.choice("device", "auto", List.of("auto", "cpu", "gpu"), "where TensorFlow runs"),
          Field.integer("threads", 1, 1, 256, "TensorFlow intra-op threads per run (1 is fastest for these small networks)"),
          Field.string("tracking.uri", null, "MLflow tracking server; default $MLFLOW_TRACKING_URI; none = local outputs only"),
          Field.string("tracking.register_model", null, "a name registers the model in the MLflow model registry"));
}
