package io.deepad4j.cli;

import io.deepad4j.models.ModelRegistry;
import io.deepad4j.spec.Field;
import io.deepad4j.spec.SpecSchema;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Prints the spec reference: every key with its type, default and meaning, from the schema itself. */
@Command(name = "keys", description = "List spec keys: ./runner keys [model type ...]")
final class KeysCommand implements Callable<Integer> {
  @Parameters(arity = "0..*", description = "model types (default: all)")
  List<String> types;

  @Override
  public Integer call() {
    System.out.println("| key | type, default | meaning |\n|---|---|---|");
    if (types == null || types.isEmpty()) {
      SpecSchema.TOP_LEVEL.forEach(f -> print("", f));
      types = List.copyOf(ModelRegistry.get().types());
    }
    for (String t : types) {
      System.out.println("| **model.type: " + t + "** | | |");
      ModelRegistry.get().fields(t).forEach(f -> print("model.", f));
    }
    return 0;
  }

  private static void print(String prefix, Field f) {
    System.out.println("| `" + prefix + f.key() + "` | " + f.describe().replace("|", "\\|") + " | " + f.doc().replace("|", "\\|") + " |");
  }
}
