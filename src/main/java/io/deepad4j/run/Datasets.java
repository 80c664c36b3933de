package io.deepad4j.run;

import io.deepad4j.data.AdbenchFiles;
import io.deepad4j.data.CsvDataset;
import io.deepad4j.data.Dataset;
import io.deepad4j.data.Ecg5000;
import io.deepad4j.data.Kdd99;
import io.deepad4j.data.Kdd99Files;
import io.deepad4j.data.NpzDataset;
import io.deepad4j.spec.ResolvedSpec;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/** Builds the data set a spec names. */
public final class Datasets {
  private Datasets() {}

  public static Dataset load(ResolvedSpec spec) {
    return switch (spec.getString("dataset.name")) {
      case "kdd99" -> Kdd99.load(
          dataDir(spec),
          Kdd99.Protocol.of(spec.getString("dataset.protocol")),
          spec.getString("dataset.test_split"),
          spec.seed(),
          spec.getBool("dataset.verify_checksums"),
          URI.create(spec.getString("dataset.url")));
      case "csv" -> CsvDataset.load(
          Path.of(spec.getString("dataset.train_file")),
          Path.of(spec.getString("dataset.test_file")),
          spec.getString("dataset.label_column"),
          spec.getString("dataset.normal_value"),
          spec.getStringList("dataset.features"),
          spec.getDouble("dataset.validation_fraction"),
          spec.seed());
      case "npz" -> {
        Path file = Path.of(spec.getString("dataset.file"));
        yield NpzDataset.load(file, "npz/" + file.getFileName(), spec.getString("dataset.setting"), spec.seed());
      }
      case "adbench" -> NpzDataset.load(
          AdbenchFiles.ensure(dataDir(spec), spec.getString("dataset.subset"), URI.create(spec.getString("dataset.url")),
              spec.getBool("dataset.verify_checksums")),
          "adbench/" + spec.getString("dataset.subset"), spec.getString("dataset.setting"), spec.seed());
      case "ecg5000" -> Ecg5000.load(dataDir(spec), spec.getDouble("dataset.validation_fraction"), spec.seed(),
          spec.getBool("dataset.verify_checksums"));
      default -> throw new IllegalArgumentException("unknown dataset " + spec.getString("dataset.name"));
    };
  }

  /** The files the data set of {@code spec} is read from, for the provenance of its runs. */
  public static List<Path> files(ResolvedSpec spec) {
    return switch (spec.getString("dataset.name")) {
      case "kdd99" -> List.of(dataDir(spec).resolve(Kdd99Files.TRAIN_FILE), dataDir(spec).resolve(Kdd99Files.TEST_FILE));
      case "csv" -> List.of(Path.of(spec.getString("dataset.train_file")), Path.of(spec.getString("dataset.test_file")));
      case "npz" -> List.of(Path.of(spec.getString("dataset.file")));
      case "adbench" -> List.of(dataDir(spec).resolve(spec.getString("dataset.subset") + ".npz"));
      case "ecg5000" -> List.of(dataDir(spec).resolve(Ecg5000.TRAIN_FILE), dataDir(spec).resolve(Ecg5000.TEST_FILE));
      default -> throw new IllegalArgumentException("unknown dataset " + spec.getString("dataset.name"));
    };
  }

  private static Path dataDir(ResolvedSpec spec) {
    return Path.of(spec.getString("dataset.data_dir"));
  }
}
