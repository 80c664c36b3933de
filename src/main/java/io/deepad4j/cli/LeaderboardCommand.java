package io.deepad4j.cli;

import io.deepad4j.bench.BenchResults;
import io.deepad4j.bench.Leaderboard;
import io.deepad4j.bench.PeerComparison;
import io.deepad4j.data.DataException;
import io.deepad4j.run.OutputNames;
import io.deepad4j.run.RunFolder;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Ranks the detectors of a benchmark results CSV ({@link BenchResults}): prints and writes the leaderboard (markdown,
 * CSV, critical-difference diagram) and, with a peer's results on the same splits, the two side by side.
 */
@Command(name = "leaderboard", description = {
    "Rank detectors from a benchmark results CSV: average ranks, Friedman test, Nemenyi critical difference.",
    "  ./runner leaderboard outputs/bench/adbench-results.csv",
    "  ./runner leaderboard RESULTS.csv --peer pyod-results.csv --peer-name PyOD -o outputs/bench",
    "Writes leaderboard-<stamp>.md/.csv, -cells.csv, -cd.png (and -vs-<peer>.md/.csv) into the output folder."})
final class LeaderboardCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "RESULTS.csv", description = "results: " + BenchResults.HEADER)
  Path results;

  @Option(names = "--peer", paramLabel = "PEER.csv", description = "a peer's results in the same format (e.g. from"
      + " tools/adbench-pyod.sh), compared detector by detector")
  Path peer;

  @Option(names = "--peer-name", paramLabel = "NAME", defaultValue = "PyOD",
      description = "the peer's name in headings and file names"
      + " (default: ${DEFAULT-VALUE})")
  String peerName;

  @Option(names = {"-o", "--output-dir"}, paramLabel = "DIR", defaultValue = "outputs/bench",
      description = "where the tables and the diagram go (default: ${DEFAULT-VALUE})")
  Path outputDir;

  @Override
  public Integer call() {
    Leaderboard ours = leaderboard(results);
    Leaderboard theirs = peer == null ? null : leaderboard(peer);
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path csv = OutputNames.claimFile(outputDir, "leaderboard-" + stamp, ".csv");
    String stem = csv.getFileName().toString().replaceFirst("\\.csv$", "");
    System.out.println(ours.write(csv, "Leaderboard (" + results.getFileName() + ")"));
    System.out.println("written: " + csv.resolveSibling(stem + ".md") + ", .csv, -cells.csv, -cd.png");

    if (theirs != null) {
      PeerComparison comparison = PeerComparison.of(ours, theirs, peerName);
      String side = theirs.markdown(peerName + " leaderboard (" + peer.getFileName() + ")") + "\n"
          + comparison.markdown();
      System.out.println(side);
      String vs = stem + "-vs-" + OutputNames.safe(peerName.toLowerCase(Locale.ROOT));
      RunFolder.writeAtomically(csv.resolveSibling(vs + ".md"), side);
      RunFolder.writeAtomically(csv.resolveSibling(vs + ".csv"), comparison.csv());
      System.out.println("written: " + csv.resolveSibling(vs + ".md") + " and .csv");
    }
    return 0;
  }

  private static Leaderboard leaderboard(Path file) {
    try {
      return Leaderboard.of(BenchResults.read(file));
    } catch (IllegalArgumentException e) {
      throw new DataException(file + ": " + e.getMessage() + ".");
    }
  }
}
