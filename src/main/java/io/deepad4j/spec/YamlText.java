package io.deepad4j.spec;

import java.io.StringReader;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * The one place specs, sweep files and command-line values are parsed as YAML. SnakeYAML's safe
 * loader is used with its limits (at most 50 aliases to collections, 50 levels of nesting, 3 MB):
 * a document past them, like any other YAML error, becomes a {@link SpecException} that names the
 * file (and the line where SnakeYAML knows it), so it exits with code 2 like every bad spec.
 */
public final class YamlText {
  private YamlText() {}

  /** The node tree of a whole document; null for an empty one. */
  public static Node compose(String name, String text) {
    try {
      return new Yaml(new LoaderOptions()).compose(new StringReader(text));
    } catch (YAMLException e) {
      throw error(name, e);
    }
  }

  /** One value written on the command line ({@code model.epochs=30}, a sweep's {@code 0.1,0.2}). */
  public static Object value(String text, String where) {
    try {
      return new Yaml(new LoaderOptions()).load(text);
    } catch (YAMLException e) {
      throw error(where, e);
    }
  }

  private static SpecException error(String name, YAMLException e) {
    if (e instanceof MarkedYAMLException m && m.getProblemMark() != null) {
      return new SpecException(name + ":" + (m.getProblemMark().getLine() + 1) + ": not valid YAML: " + m.getProblem());
    }
    return new SpecException(name + ": not accepted as YAML: " + e.getMessage() + ". Specs are read with"
        + " SnakeYAML's safe limits (50 aliases, 50 levels of nesting, 3 MB): write the values out instead.");
  }
}
