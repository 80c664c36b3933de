package io.deepad4j.spec;

import java.util.List;
import java.util.Set;

/** What the spec loader needs to know about models: their type names and their keys. */
public interface ModelSchemas {
  /** Model type names, e.g. ae, vae, bigan. */
  Set<String> types();

  /** Keys under {@code model.} for this type (without the "model." prefix), "type" excluded. */
  List<Field> fields(String type);
}
