package io.deepad4j.models;

import io.deepad4j.preprocessing.Scaler;
import io.deepad4j.spec.Field;
import io.deepad4j.spec.ResolvedSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * A detector type as the spec names it: its keys with defaults, how to build it from a resolved
 * spec, and how to load a saved one.
 */
public record ModelType(String name, List<Field> fields, Function<ResolvedSpec, Detector> factory, Loader loader) {

  /** Loads a saved model folder into a scorer of raw rows. */
  @FunctionalInterface
  public interface Loader {
    Scorer load(Path modelDir, Scaler scaler) throws IOException;
  }
}
