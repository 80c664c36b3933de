package io.deepad4j.cli;

import io.deepad4j.tracking.Sync;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "sync", description = {"Upload to MLflow what runs could not send: ./runner sync outputs/",
    "Runs with tracking.uri: none are never uploaded. Exit code 1 when some run could not be sent."})
final class SyncCommand implements Callable<Integer> {
  @Parameters(index = "0", defaultValue = "outputs", description = "outputs root or one run folder")
  Path root;

  @Option(names = "--uri", description = "tracking server (default: each run's own, else $MLFLOW_TRACKING_URI)")
  String uri;

  /** Exit code 0 when nothing is left to send (in-progress and local-only runs aside), else 1. */
  @Override
  public Integer call() {
    var report = Sync.sync(root, uri);
    System.out.print(report.summary());
    return report.complete() ? 0 : 1;
  }
}
