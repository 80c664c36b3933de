package io.deepad4j.cli;

import io.deepad4j.tracking.Sync;
import io.deepad4j.tracking.Tracking;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "sync", description = {"Upload to MLflow what runs could not send: ./runner sync outputs/",
    "Runs with tracking.uri: none are never uploaded. Exit code 1 when some run could not be sent."})
final class SyncCommand implements Callable<Integer> {
  @Parameters(index = "0", defaultValue = "outputs", description = "outputs root or one run folder")
  Path root;

  @Option(names = "--uri", paramLabel = "URL", description = "tracking server (default: each run's own, else $MLFLOW_TRACKING_URI)")
  String uri;

  @Spec
  CommandSpec spec;

  /** Exit code 0 when nothing is left to send (in-progress and local-only runs aside), 1 otherwise, 2 for a bad argument. */
  @Override
  public Integer call() {
    if (!Files.isDirectory(root)) {
      throw new ParameterException(spec.commandLine(),
          root + " is not a folder; give the outputs folder (e.g. outputs/) or one run folder");
    }
    if (uri != null && !uri.isBlank()) {
      try {
        Tracking.serverUri(uri);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--uri: " + e.getMessage());
      }
    }
    var report = Sync.sync(root, uri);
    System.out.print(report.summary());
    return report.complete() ? 0 : 1;
  }
}
