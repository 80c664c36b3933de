package io.deepad4j.tracking;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/** MLflow's limits on names and values (mlflow/utils/validation.py), applied before journaling. */
final class MlflowLimits {
  static final int MAX_KEY_LENGTH = 250;
  static final int MAX_PARAM_VALUE_LENGTH = 6000;
  static final int MAX_TAG_VALUE_LENGTH = 8000;
  static final int MAX_METRICS_PER_BATCH = 1000;
  static final int MAX_PARAMS_OR_TAGS_PER_BATCH = 100;

  private static final Pattern INVALID_KEY_CHAR = Pattern.compile("[^/\\w.\\- :]");

  private MlflowLimits() {}

  /**
   * Replaces every character MLflow does not allow in a key with {@code _} and cuts it to 250
   * characters. Spec keys such as {@code model.layers[0]} become {@code model.layers_0_}.
   */
  static String sanitizeKey(String key) {
    String valid = INVALID_KEY_CHAR.matcher(key).replaceAll("_");
    return truncate(valid, MAX_KEY_LENGTH);
  }

  /**
   * Params with sanitized keys and values cut to 6000 characters. Two keys that sanitize to the same
   * name get suffixes {@code _2}, {@code _3}, ... instead of silently replacing each other.
   */
  static Map<String, String> sanitizeParams(Map<String, String> params) {
    Map<String, String> out = new LinkedHashMap<>();
    params.forEach((key, value) -> {
      String base = sanitizeKey(key);
      String name = base;
      for (int i = 2; out.containsKey(name); i++) {
        String suffix = "_" + i;
        name = truncate(base, MAX_KEY_LENGTH - suffix.length()) + suffix;
      }
      out.put(name, truncate(value == null ? "null" : value, MAX_PARAM_VALUE_LENGTH));
    });
    return out;
  }

  /** MLflow 3 refuses these in a logged model's name (validation.py, _validate_logged_model_name). */
  private static final Pattern INVALID_MODEL_NAME_CHAR = Pattern.compile("[/:.%\"']");

  /** A logged model name MLflow accepts: the refused characters become {@code _}; empty becomes {@code model}. */
  static String loggedModelName(String name) {
    String valid = INVALID_MODEL_NAME_CHAR.matcher(name.strip()).replaceAll("_");
    return valid.isEmpty() ? "model" : truncate(valid, MAX_KEY_LENGTH);
  }

  static String tagValue(String value) {
    return truncate(value == null ? "" : value, MAX_TAG_VALUE_LENGTH);
  }

  private static String truncate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max);
  }
}
