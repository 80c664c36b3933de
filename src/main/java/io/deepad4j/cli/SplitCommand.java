package io.deepad4j.cli;

import io.deepad4j.data.AdbenchFiles;
import io.deepad4j.data.NpzDataset;
import io.deepad4j.data.StratifiedSplit;
import io.deepad4j.spec.Field;
import io.deepad4j.spec.SpecException;
import io.deepad4j.spec.SpecSchema;
import io.deepad4j.tracking.AtomicFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Writes the ADBench train/test split ({@link StratifiedSplit}) that runs of {@code dataset.name:
 * adbench} or {@code npz} use, so that another tool (a Python peer) evaluates on exactly the same rows.
 */
@Command(name = "split", description = {"Write ADBench's stratified 70/30 train/test split of data sets, one CSV per"
    + " data set and seed (index,part; part = train or test), as runs with that seed use it:",
    "  ./runner split --subset 6_cardio --subset 14_glass --seeds 1,2,3 -o splits/"})
final class SplitCommand implements Callable<Integer> {
  @Spec
  CommandSpec command;

  @Option(names = "--subset", paramLabel = "NAME", description = "an ADBench data set, e.g. 6_cardio (repeatable);"
      + " its .npz is read from --data-dir, downloaded and verified when missing")
  List<String> subsets = new ArrayList<>();

  @Option(names = "--file", paramLabel = "NPZ", description = "an .npz file with arrays X and y (repeatable); written as"
      + " <file name without .npz>-seed<s>.csv")
  List<Path> files = new ArrayList<>();

  @Option(names = "--seeds", required = true, split = ",", paramLabel = "SEED", description = "the runs' seeds, e.g. 1,2,3")
  List<Long> seeds;

  @Option(names = "--data-dir", defaultValue = "data/adbench", description = "where the ADBench files are (default: ${DEFAULT-VALUE})")
  Path dataDir;

  @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR", description = "folder for <name>-seed<s>.csv")
  Path output;

  @Override
  public Integer call() {
    if (subsets.isEmpty() && files.isEmpty()) {
      throw new CommandLine.ParameterException(command.commandLine(), "name at least one --subset or --file");
    }
    for (long seed : seeds) {
      if (seed < 0) {
        throw new CommandLine.ParameterException(command.commandLine(), "--seeds: " + seed + " is negative; spec seeds are 0 or more");
      }
    }
    Field subsetKey = SpecSchema.TOP_LEVEL.stream().filter(f -> f.key().equals("dataset.subset")).findFirst().orElseThrow();
    Map<String, Path> inputs = new LinkedHashMap<>();
    for (String subset : subsets) {
      try {
        subsetKey.coerce(subset);
      } catch (IllegalArgumentException e) {
        throw new SpecException("--subset: " + e.getMessage());
      }
      inputs.put(subset, null); // checked (and downloaded) below, after every argument is known to be good
    }
    for (Path file : files) {
      String name = file.getFileName().toString().replaceFirst("\\.npz$", "");
      if (inputs.put(name, file) != null) {
        throw new CommandLine.ParameterException(command.commandLine(), "two inputs are named " + name
            + ": their splits would go to the same files");
      }
    }
    for (var input : inputs.entrySet()) {
      Path file = input.getValue() != null ? input.getValue()
          : AdbenchFiles.ensure(dataDir, input.getKey(), AdbenchFiles.DEFAULT_BASE_URL, true);
      int[] labels = NpzDataset.read(file).y();
      for (long seed : seeds) {
        StratifiedSplit.Parts parts = StratifiedSplit.of(labels, seed);
        Path out = output.resolve(input.getKey() + "-seed" + seed + ".csv");
        AtomicFile.write(out, w -> {
          boolean[] test = new boolean[labels.length];
          for (int i : parts.test()) {
            test[i] = true;
          }
          w.write("index,part\n");
          for (int i = 0; i < labels.length; i++) {
            w.write(i + (test[i] ? ",test\n" : ",train\n"));
          }
        });
        System.out.printf("%s: %d train, %d test rows -> %s%n", input.getKey(), parts.train().length, parts.test().length, out);
      }
    }
    return 0;
  }
}
