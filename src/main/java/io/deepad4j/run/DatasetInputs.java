package io.deepad4j.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deepad4j.data.Dataset;
import io.deepad4j.spec.ResolvedSpec;
import io.deepad4j.tracking.DatasetInput;
import io.deepad4j.tracking.UriCredentials;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The data sets a run read, as MLflow dataset inputs (the runs table's Dataset column): one per split
 * (train, validation when there is one, test), named after the data set and protocol
 * ({@code kdd99-ff12}, {@code adbench-6_cardio}), each with its split as the context.
 *
 * <p>The digest (10 hex digits) is the SHA-256 of the SHA-256 of the split's data files (as
 * {@link Provenance} hashes them), the split's name, the seed and the keys that choose the rows
 * (protocol, test_split, setting, ...): the same files split the same way give the same digest in any
 * run, and a split that differs in its rows gets another (MLflow keeps one data set per name and digest).
 */
public final class DatasetInputs {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Dataset keys that say where the files are, not which rows: left out of the digest. */
  private static final Set<String> LOCATION_KEYS = Set.of("dataset.data_dir", "dataset.url", "dataset.verify_checksums",
      "dataset.file", "dataset.train_file", "dataset.test_file");
  /** Larger column lists are left out of the schema (the run's config.yaml and the model's signature have them). */
  static final int MAX_SCHEMA_COLUMNS = 500;

  private DatasetInputs() {}

  /** The inputs of a run of {@code spec} on {@code data}, with the files' hashes from {@code provenance}. */
  public static List<DatasetInput> of(ResolvedSpec spec, Dataset data, Provenance provenance) {
    String name = name(spec);
    String schema = schema(data.featureNames());
    List<DatasetInput> inputs = new ArrayList<>();
    inputs.add(input(spec, provenance, name, "train", data.train().length, data.numFeatures(), null, schema));
    if (data.validation().length > 0) {
      inputs.add(input(spec, provenance, name, "validation", data.validation().length, data.numFeatures(),
          data.validationLabels(), schema));
    }
    inputs.add(input(spec, provenance, name, "test", data.test().length, data.numFeatures(), data.testLabels(), schema));
    return inputs;
  }

  /** The data set's name in MLflow: {@code kdd99-ff12}, {@code adbench-6_cardio}, {@code npz-x}, {@code csv-train}, {@code ecg5000}. */
  static String name(ResolvedSpec spec) {
    String dataset = spec.getString("dataset.name");
    return switch (dataset) {
      case "kdd99" -> "kdd99-" + spec.getString("dataset.protocol");
      case "adbench" -> "adbench-" + spec.getString("dataset.subset");
      case "npz" -> "npz-" + stem(Path.of(spec.getString("dataset.file")));
      case "csv" -> "csv-" + stem(Path.of(spec.getString("dataset.train_file")));
      default -> dataset;
    };
  }

  private static DatasetInput input(ResolvedSpec spec, Provenance provenance, String name, String split, int rows,
      int features, int[] labels, String schema) {
    Path file = file(spec, split);
    ObjectNode profile = JSON.createObjectNode();
    profile.put("num_rows", rows);
    profile.put("num_elements", (long) rows * features);
    if (labels != null) {
      profile.put("num_anomalies", java.util.Arrays.stream(labels).filter(l -> l == 1).count());
    }
    String url = url(spec, file);
    ObjectNode source = JSON.createObjectNode();
    if (url != null) {
      source.put("url", url);
    } else {
      source.put("uri", file.toAbsolutePath().normalize().toUri().toString());
    }
    return new DatasetInput(name, digest(spec, provenance, split), url != null ? "http" : "local", source.toString(),
        schema, profile.toString(), split);
  }

  /** The file a split's rows are read from. */
  static Path file(ResolvedSpec spec, String split) {
    List<Path> files = Datasets.files(spec);
    if (files.size() == 1) {
      return files.get(0); // npz, adbench: every split from the one file
    }
    return split.equals("train") ? files.get(0) : files.get(1); // kdd99, csv, ecg5000: train file, test file
  }

  /** Where a downloadable data set's file is published (kdd99, adbench), without credentials; else null. */
  private static String url(ResolvedSpec spec, Path file) {
    String dataset = spec.getString("dataset.name");
    String base = spec.getString("dataset.url");
    if (!(dataset.equals("kdd99") || dataset.equals("adbench")) || base == null || base.isBlank()) {
      return null;
    }
    return UriCredentials.redact((base.endsWith("/") ? base : base + "/") + file.getFileName());
  }

  static String digest(ResolvedSpec spec, Provenance provenance, String split) {
    Map<String, String> rowsKeys = new TreeMap<>();
    spec.flatParams().forEach((k, v) -> {
      if (k.startsWith("dataset.") && !LOCATION_KEYS.contains(k)) {
        rowsKeys.put(k, v);
      }
    });
    StringBuilder text = new StringBuilder("split=").append(split).append("\nseed=").append(spec.seed()).append('\n');
    rowsKeys.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
    new TreeMap<>(provenance.dataFiles()).forEach((f, sha) -> text.append(f).append('=').append(sha).append('\n'));
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 5);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** MLflow's dataset schema, {"mlflow_colspec": [...]}: one float column per feature; null past {@link #MAX_SCHEMA_COLUMNS}. */
  static String schema(List<String> features) {
    if (features.size() > MAX_SCHEMA_COLUMNS) {
      return null;
    }
    ObjectNode schema = JSON.createObjectNode();
    ArrayNode columns = schema.putArray("mlflow_colspec");
    features.forEach(f -> columns.addObject().put("type", "float").put("name", f).put("required", true));
    return schema.toString();
  }

  private static String stem(Path file) {
    String name = file.getFileName().toString();
    int dot = name.indexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }
}
