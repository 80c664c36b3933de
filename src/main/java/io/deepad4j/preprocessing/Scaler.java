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
 * {@code standard_numeric} so too but for the 0/1 columns, which it leaves, {@code none} is the identity. A feature that is constant in training gets scale 1.
 */
public final class Scaler {
  public static final String FILE_NAME = "preprocessing.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** How each feature is scaled, fitted on the training rows ({@code preprocessing.scaler}). */
  public enum Kind {
    /** to [0, 1] by the training minimum and maximum */
    MINMAX,
    /** to mean 0 and standard deviation 1 */
    STANDARD,
    /**
     * {@code standard} for the columns that take other values than 0 and 1 in training; 0/1 columns
     * (one-hot categories, flags) unchanged, as GOAD's KDD preprocessing (lironber/GOAD, norm_kdd_data),
     * so a rare category is not magnified into an outlier
     */
    STANDARD_NUMERIC,
    /** unchanged */
    NONE;

    /** The name a spec and preprocessing.json use. */
    public String specName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The kind a spec or file names; null or unknown names are an IllegalArgumentException listing the valid ones. */
    public static Kind of(String specName) {
      for (Kind k : values()) {
        if (k.specName().equals(specName)) {
          return k;
        }
      }
      throw new IllegalArgumentException("unknown scaler '" + specName + "'; valid: " + specNames());
    }

    public static List<String> specNames() {
      return java.util.Arrays.stream(values()).map(Kind::specName).toList();
    }
  }

  private final Kind kind;
  private final List<String> featureNames;
  private final float[] offset;
  private final float[] scale;

  private Scaler(Kind kind, List<String> featureNames, float[] offset, float[] scale) {
    this.kind = kind;
    this.featureNames = List.copyOf(featureNames);
    this.offset = offset;
    this.scale = scale;
  }

  public static Scaler fit(Kind kind, List<String> featureNames, float[][] rows) {
    int n = featureNames.size();
    float[] offset = new float[n];
    float[] scale = new float[n];
    java.util.Arrays.fill(scale, 1f);
    if (rows.length == 0) {
      throw new IllegalArgumentException("cannot fit a scaler on zero training rows");
    }
    switch (kind) {
      case NONE -> {}
      case MINMAX -> {
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
      case STANDARD, STANDARD_NUMERIC -> {
        for (int j = 0; j < n; j++) {
          if (kind == Kind.STANDARD_NUMERIC && binary(rows, j)) {
            continue;
          }
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
    }
    return new Scaler(kind, featureNames, offset, scale);
  }

  private static boolean binary(float[][] rows, int column) {
    for (float[] r : rows) {
      if (r[column] != 0f && r[column] != 1f) {
        return false;
      }
    }
    return true;
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

  public Kind kind() {
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
    m.put("scaler", kind.specName());
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
    Kind kind;
    try {
      kind = Kind.of(node.path("scaler").asText("minmax"));
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": " + e.getMessage());
    }
    return new Scaler(kind, names, offset, scale);
  }
}
