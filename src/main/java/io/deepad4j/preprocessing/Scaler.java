package io.deepad4j.preprocessing;

import io.deepad4j.data.JsonFiles;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-feature affine scaling x' = (x - offset) * scale, fitted on training rows only and saved with
 * the model. {@code minmax} maps the training range to [0, 1] (like scikit-learn's MinMaxScaler,
 * without clipping: test rows may fall outside), {@code standard} to zero mean and unit variance,
 * {@code none} is the identity. A feature that is constant in training gets scale 1.
 */
public final class Scaler {
  public static final String FILE_NAME = "preprocessing.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String kind;
  private final List<String> featureNames;
  private final float[] offset;
  private final float[] scale;

  private Scaler(String kind, List<String> featureNames, float[] offset, float[] scale) {
    this.kind = kind;
    this.featureNames = List.copyOf(featureNames);
    this.offset = offset;
    this.scale = scale;
  }

  public static Scaler fit(String kind, List<String> featureNames, float[][] rows) {
    int n = featureNames.size();
    float[] offset = new float[n];
    float[] scale = new float[n];
    java.util.Arrays.fill(scale, 1f);
    if (rows.length == 0) {
      throw new IllegalArgumentException("cannot fit a scaler on zero training rows");
    }
    switch (kind) {
      case "none" -> {}
      case "minmax" -> {
        for (int j = 0; j < n; j++) {
          double min = Double.POSITIVE_INFINITY;
          double max = Double.NEGATIVE_INFINITY;
          for (float[] r : rows) {
            min = Math.min(min, r[j]);
            max = Math.max(max, r[j]);
          }
          offset[j] = (float) min;
          scale[j] = max > min ? (float) (1.0 / (max - min)) : 1f;
        }
      }
      case "standard" -> {
        for (int j = 0; j < n; j++) {
          double sum = 0;
          for (float[] r : rows) {
            sum += r[j];
          }
          double mean = sum / rows.length;
          double ss = 0;
          for (float[] r : rows) {
            ss += (r[j] - mean) * (r[j] - mean);
          }
          double std = Math.sqrt(ss / rows.length);
          offset[j] = (float) mean;
          scale[j] = std > 0 ? (float) (1.0 / std) : 1f;
        }
      }
      default -> throw new IllegalArgumentException("unknown scaler '" + kind + "'; valid: minmax, standard, none");
    }
    return new Scaler(kind, featureNames, offset, scale);
  }

  /** Scaled copies of the rows. */
  public float[][] transform(float[][] rows) {
    float[][] out = new float[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      if (rows[i].length != offset.length) {
        throw new IllegalArgumentException("row " + i + " has " + rows[i].length + " values, expected " + offset.length);
      }
      float[] r = new float[offset.length];
      for (int j = 0; j < r.length; j++) {
        r[j] = (rows[i][j] - offset[j]) * scale[j];
      }
      out[i] = r;
    }
    return out;
  }

  public String kind() {
    return kind;
  }

  public List<String> featureNames() {
    return featureNames;
  }

  public float[] offset() {
    return offset.clone();
  }

  public float[] scale() {
    return scale.clone();
  }

  public void save(Path file) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("scaler", kind);
    m.put("formula", "x_scaled = (x - offset) * scale");
    m.put("features", featureNames);
    m.put("offset", offset);
    m.put("scale", scale);
    JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), m);
  }

  public static Scaler load(Path file) throws IOException {
    var node = JsonFiles.readObject(file, "save the model again by re-running its spec");
    if (!node.has("offset") || !node.has("scale") || !node.has("features")) {
      throw new IOException(file + ": not a deepad4j preprocessing file (needs features, offset, scale)");
    }
    List<String> names = new java.util.ArrayList<>();
    node.get("features").forEach(f -> names.add(f.asText()));
    float[] offset = JSON.treeToValue(node.get("offset"), float[].class);
    float[] scale = JSON.treeToValue(node.get("scale"), float[].class);
    if (offset.length != names.size() || scale.length != names.size()) {
      throw new IOException(file + ": features, offset and scale lengths differ");
    }
    return new Scaler(node.path("scaler").asText("minmax"), names, offset, scale);
  }
}
