package io.deepad4j.cli;

import io.deepad4j.sweep.RunComparison;
import io.deepad4j.tracking.Tracking;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Prints runs side by side: the final metrics, then the params that differ among runs of the same model,
 * fitted to the terminal's width ($COLUMNS, else 100); {@code --csv} prints every metric and param instead.
 */
@Command(name = "compare", description = {
    "Compare runs side by side: the final metrics, then the params that differ among runs of the same model.",
    "  ./runner compare kdd99-ff12                      # the single runs of an experiment",
    "  ./runner compare outputs/sweeps/<name>-<stamp>   # the trials of a sweep",
    "  ./runner compare kdd99-ff12 --csv > runs.csv     # every metric and param, as CSV",
    "The table fits $COLUMNS characters (100 when unset); long values are cut with '...'.",
    "From MLflow when a tracking URI is set (--uri or MLFLOW_TRACKING_URI), else from outputs/."})
final class CompareCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "EXPERIMENT|SWEEP_DIR", description = "an experiment name or a sweep folder")
  String target;

  @Option(names = "--uri", description = "MLflow server (default: $MLFLOW_TRACKING_URI); 'none' reads outputs/")
  String uri;

  @Option(names = "--metrics", split = ",", description = "metrics to show (default: ${DEFAULT-VALUE})",
      defaultValue = "roc_auc,precision_recall_auc,f1_score,accuracy_score,train_time_s")
  List<String> metrics;

  @Option(names = "--sort", defaultValue = "roc_auc", description = "metric to sort by (default: ${DEFAULT-VALUE})")
  String sort;

  @Option(names = "--outputs", defaultValue = "outputs", description = "outputs root (default: ${DEFAULT-VALUE})")
  Path outputs;

  @Option(names = "--csv", description = "print every metric and param of every run as CSV, nothing else")
  boolean csv;

  @Override
  public Integer call() {
    String server = "none".equalsIgnoreCase(uri) ? null : Tracking.resolveUri(uri);
    List<RunComparison.Run> runs = server == null
        ? RunComparison.fromOutputs(outputs, target)
        : RunComparison.fromMlflow(server, target);
    if (csv) {
      System.out.print(RunComparison.csv(runs, sort));
      return 0;
    }
    System.out.println("runs of " + target + (server == null ? " (from " + outputs + ")" : " (from MLflow at " + server + ")"));
    System.out.print(RunComparison.table(runs, metrics, sort, Terminal.width()));
    return 0;
  }
}
