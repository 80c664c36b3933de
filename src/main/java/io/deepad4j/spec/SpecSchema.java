package io.deepad4j.spec;

import io.deepad4j.data.AdbenchFiles;
import io.deepad4j.data.Kdd99;
import io.deepad4j.data.Kdd99Files;
import io.deepad4j.data.NpzDataset;
import io.deepad4j.preprocessing.Scaler;
import java.util.List;
import java.util.Map;

/** The keys every spec has, outside {@code model.}: names, defaults and documentation. */
public final class SpecSchema {
  private SpecSchema() {}

  public static final String KDD_URL = Kdd99Files.DEFAULT_BASE_URL.toString();

  /** Defaults that depend on {@code dataset.name}: name -> key -> value, for keys the spec leaves out. */
  public static final Map<String, Map<String, Object>> DATASET_DEFAULTS = Map.of(
      "kdd99", Map.of("dataset.data_dir", "data/kdd99", "dataset.url", KDD_URL),
      "adbench", Map.of("dataset.data_dir", "data/adbench", "dataset.url", AdbenchFiles.DEFAULT_BASE_URL.toString()),
      "ecg5000", Map.of("dataset.data_dir", "data/ecg5000"));

  /** The keys each data set needs (they have no default). */
  public static final Map<String, List<String>> DATASET_REQUIRED = Map.of(
      "csv", List.of("dataset.train_file", "dataset.test_file"),
      "npz", List.of("dataset.file"),
      "adbench", List.of("dataset.subset"));

  public static final List<Field> TOP_LEVEL =
      List.of(
          Field.string("experiment", "deepad4j", "MLflow experiment name (created if missing)"),
          Field.string("run_name", null, "run name; default: the spec file's name"),
          Field.integer("seed", 2018, 0, Integer.MAX_VALUE, "drives every random choice: sampling, init, shuffling, noise"),
          Field.choice("dataset.name", "kdd99", List.of("kdd99", "csv", "npz", "adbench", "ecg5000"), "data set (docs/SPECS.md: data sets and protocols)"),
          Field.choice("dataset.protocol", "ff12", Kdd99.Protocol.specNames(), "kdd99 protocol (docs/SPECS.md: data sets and protocols)"),
          Field.choice("dataset.test_split", "8020", List.of("all", "8020", "9010"), "ff12 test split: all | 8020 (8,000 normal + 2,000 attacks) | 9010"),
          Field.string("dataset.data_dir", null, "kdd99, adbench, ecg5000: the folder of the data files; default data/<dataset.name>; missing kdd99 and adbench files are downloaded"),
          Field.string("dataset.url", null, "kdd99, adbench: where missing files are downloaded from; default the UCI KDD archive (kdd99), ADBench's GitHub folder (adbench)"),
          Field.bool("dataset.verify_checksums", true, "kdd99, adbench, ecg5000: check the SHA-256 of the data files; set false only after checking a file yourself"),
          Field.string("dataset.file", null, "npz: an .npz file with arrays X (rows x features) and y (1 = anomaly, 0 = normal)"),
          Field.choice("dataset.subset", null, AdbenchFiles.SUBSETS, "adbench: the data set, e.g. 6_cardio (<subset>.npz in dataset.data_dir)"),
          Field.choice("dataset.setting", "unsupervised", NpzDataset.SETTINGS, "npz, adbench: unsupervised = fit on every training row, labels unseen; semi_supervised = on the normal training rows"),
          Field.string("dataset.train_file", null, "csv: training rows (normal rows; others are dropped)"),
          Field.string("dataset.test_file", null, "csv: labelled test rows"),
          Field.string("dataset.label_column", "label", "csv: the label column"),
          Field.string("dataset.normal_value", "normal", "csv: the label value of normal rows; every other value is an anomaly"),
          Field.stringList("dataset.features", List.of(), "csv: feature columns; empty = every column but the label"),
          Field.number("dataset.validation_fraction", 0.5, 0.0, 0.9, "csv, ecg5000: share of each class of the test file held out for threshold selection"),
          Field.choice("preprocessing.scaler", "minmax", Scaler.Kind.specNames(), "fit on training rows only"),
          Field.string("evaluation.threshold", "best_accuracy", "best_accuracy (on the validation split) | percentile:P (of test scores) | anomaly_ratio (flag as many test rows as there are anomalies: the papers' rule) | value:X"),
          Field.bool("evaluation.score_validation", true, "score the validation split (val_roc_auc; best_accuracy chooses on it); false saves that pass, e.g. in a benchmark suite, and needs percentile:P or value:X"),
          Field.choice("device", "auto", List.of("auto", "cpu", "gpu"), "where TensorFlow runs"),
          Field.integer("threads", 1, 1, 256, "TensorFlow intra-op threads per run (1 is fastest for these small networks)"),
          Field.string("tracking.uri", null, "MLflow tracking server; default $MLFLOW_TRACKING_URI; none = local outputs only"),
          Field.string("tracking.register_model", null, "a name registers the model in the MLflow model registry"),
          Field.bool("tracking.system_metrics", true, "sample CPU, memory and disk every 10 s into the run's system/... metrics"));
}
