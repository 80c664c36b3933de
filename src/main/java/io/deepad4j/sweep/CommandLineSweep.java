package io.deepad4j.sweep;

import io.deepad4j.spec.SpecException;
import io.deepad4j.spec.YamlText;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hydra-style sweeps from the command line: {@code key=a,b,c} sweeps key over the listed values (a
 * grid over every such key), {@code key=value} sets key for every trial. Commas inside brackets or
 * quotes do not split: {@code model.hidden=[15,7],[32,16]} has two values.
 *
 * @param choices the swept keys and their values, in the order given
 * @param fixed the other key=value arguments, as overrides of the base spec
 */
public record CommandLineSweep(Map<String, List<Object>> choices, List<String> fixed) {

  public static CommandLineSweep parse(List<String> args) {
    Map<String, List<Object>> choices = new LinkedHashMap<>();
    List<String> fixed = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (String a : args) {
      int eq = a.indexOf('=');
      if (eq <= 0) {
        problems.add("command line '" + a + "': expected key=value or key=a,b,c (e.g. model.latent_dim=2,4)");
        continue;
      }
      String key = a.substring(0, eq).trim();
      List<String> items = split(a.substring(eq + 1));
      if (items.size() == 1) {
        fixed.add(a);
        continue;
      }
      List<Object> values = new ArrayList<>();
      for (String item : items) {
        if (item.isBlank()) {
          problems.add("command line '" + a + "': an empty value between commas");
          continue;
        }
        values.add(YamlText.value(item, "command line '" + a + "'"));
      }
      if (choices.put(key, values) != null) {
        problems.add("command line '" + a + "': " + key + " is swept twice");
      }
    }
    if (choices.isEmpty() && problems.isEmpty()) {
      problems.add("--sweep needs at least one key with several values, e.g. model.learning_rate=0.001,0.01");
    }
    if (!problems.isEmpty()) {
      throw new SpecException(problems);
    }
    return new CommandLineSweep(choices, fixed);
  }

  /** Splits on commas outside brackets and quotes. */
  static List<String> split(String value) {
    List<String> out = new ArrayList<>();
    int depth = 0;
    char quote = 0;
    StringBuilder cur = new StringBuilder();
    for (char c : value.toCharArray()) {
      if (quote != 0) {
        quote = c == quote ? 0 : quote;
      } else if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '[' || c == '{') {
        depth++;
      } else if (c == ']' || c == '}') {
        depth--;
      } else if (c == ',' && depth == 0) {
        out.add(cur.toString().trim());
        cur.setLength(0);
        continue;
      }
      cur.append(c);
    }
    out.add(cur.toString().trim());
    return out;
  }
}
