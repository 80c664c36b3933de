package io.deepad4j.cli;

import io.deepad4j.tracking.Sync;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "sync", description = "Upload to MLflow what runs could not send: ./runner sync outputs/")
final class SyncCommand implements Callable<Integer> {
  @Parameters(index = "0", defaultValue = "outputs", description = "outputs root or one run folder")
  Path root;

  @Option(names = "--uri", description = "tracking server (default: each run's own, else $MLFLOW_TRACKING_URI)")
  String uri;

  @Override
  public Integer call() {
    var report = Sync.sync(root, uri);
    System.out.println(report);
    return 0;
  }
}
