package io.deepad4j.cli;

import io.deepad4j.data.DataException;
import io.deepad4j.spec.SpecException;
import java.util.Arrays;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code ./runner} command line. {@code ./runner spec.yaml key=value ...} runs one experiment;
 * {@code ./runner spec.yaml --sweep k=a,b} sweeps it; subcommands: sweep, compare, score, sync, bench, keys,
 * leaderboard, split.
 */
@Command(
    name = "runner",
    mixinStandardHelpOptions = true,
    scope = CommandLine.ScopeType.INHERIT, // --help and --version on every subcommand too
    versionProvider = Main.Version.class,
    description = "deepad4j: deep anomaly-detection experiments from YAML specs, tracked in MLflow.",
    subcommands = {RunCommand.class, ScoreCommand.class, SyncCommand.class, BenchCommand.class, KeysCommand.class,
        SweepCommand.class, CompareCommand.class, LeaderboardCommand.class, SplitCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
  private static final Set<String> SUBCOMMANDS = Set.of("run", "score", "sync", "bench", "keys", "sweep", "compare",
      "leaderboard", "split", "help");

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns the exit code (tests call this). */
  public static int execute(String... args) {
    String[] effective = args;
    if (args.length > 0 && !SUBCOMMANDS.contains(args[0]) && !args[0].startsWith("-")) {
      effective = new String[args.length + 1];
      // ./runner spec.yaml --sweep k=a,b ...: a sweep over the spec (Hydra's --multirun)
      effective[0] = Arrays.asList(args).contains("--sweep") ? "sweep" : "run";
      System.arraycopy(args, 0, effective, 1, args.length);
    }
    CommandLine cl = new CommandLine(new Main());
    cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      commandLine.getErr().println(errorMessage(ex));
      if (System.getenv("DEEPAD4J_DEBUG") != null) {
        ex.printStackTrace(commandLine.getErr());
      }
      if (ex instanceof SpecException) {
        return 2;
      }
      if (ex instanceof DataException) {
        return 3;
      }
      return 1;
    });
    return cl.execute(effective);
  }

  static String errorMessage(Throwable ex) {
    if (ex instanceof SpecException || ex instanceof DataException) {
      return "error: " + ex.getMessage();
    }
    String msg = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
    return "error: " + msg + " (set DEEPAD4J_DEBUG=1 for the stack trace)";
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"deepad4j " + io.deepad4j.models.ModelFolder.version(),
          "TensorFlow " + org.tensorflow.TensorFlow.version()};
    }
  }
}
