package io.deepad4j.bench;

import io.deepad4j.data.CsvLines;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Our leaderboard next to a peer's (PyOD's, run by tools/adbench_pyod.py on the same splits): per detector name found
 * in both, the mean ROC AUC and average precision over the data sets where both finished at least one seed, ours
 * against the peer's and the difference, and the fit + score time ratio (ours / peer's).
 *
 * @param peerName the peer's name in headings (e.g. PyOD)
 * @param rows one per detector name both have, by name
 * @param onlyOurs detector names the peer's results lack
 * @param onlyPeer detector names our results lack
 */
public record PeerComparison(String peerName, List<Row> rows, List<String> onlyOurs, List<String> onlyPeer) {

  /** One detector: means over the {@code datasets} data sets both finished. */
  public record Row(String detector, int datasets, double oursRocAuc, double peerRocAuc, double oursAveragePrecision,
      double peerAveragePrecision, double oursTimeS, double peerTimeS) {
    public double rocAucDifference() {
      return oursRocAuc - peerRocAuc;
    }

    /** Our fit + score time over the peer's; above 1 = we are slower. */
    public double timeRatio() {
      return oursTimeS / peerTimeS;
    }
  }

  public static PeerComparison of(Leaderboard ours, Leaderboard peer, String peerName) {
    List<Row> rows = new ArrayList<>();
    for (String detector : ours.detectors()) {
      if (!peer.detectors().contains(detector)) {
        continue;
      }
      double[] sums = new double[6];
      int n = 0;
      for (String dataset : ours.datasets()) {
        Leaderboard.Cell a = ours.cell(dataset, detector);
        Leaderboard.Cell b = peer.cell(dataset, detector);
        if (a == null || b == null || a.seeds() == 0 || b.seeds() == 0) {
          continue;
        }
        n++;
        double[] values = {a.rocAuc(), b.rocAuc(), a.averagePrecision(), b.averagePrecision(), a.totalTimeS(),
            b.totalTimeS()};
        for (int i = 0; i < 6; i++) {
          sums[i] += values[i];
        }
      }
      for (int i = 0; i < 6; i++) {
        sums[i] /= n; // NaN when no data set is shared
      }
      rows.add(new Row(detector, n, sums[0], sums[1], sums[2], sums[3], sums[4], sums[5]));
    }
    List<String> onlyOurs = ours.detectors().stream().filter(d -> !peer.detectors().contains(d)).toList();
    List<String> onlyPeer = peer.detectors().stream().filter(d -> !ours.detectors().contains(d)).toList();
    return new PeerComparison(peerName, List.copyOf(rows), onlyOurs, onlyPeer);
  }

  public String markdown() {
    StringBuilder sb = new StringBuilder("## deepad4j and ").append(peerName).append(" on the same splits\n\n");
    sb.append("Means over the data sets where both finished at least one seed (each data set's value is the mean"
        + " over its seeds); time = fit + score, ratio = deepad4j / ").append(peerName).append(".\n\n");
    sb.append("| detector | data sets | ROC AUC deepad4j | ROC AUC ").append(peerName)
        .append(" | difference | AP deepad4j | AP ").append(peerName).append(" | time deepad4j (s) | time ")
        .append(peerName).append(" (s) | time ratio |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Row r : rows) {
      sb.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %s | %s | %s | %s |\n", r.detector(),
          r.datasets(), Leaderboard.fmt(r.oursRocAuc(), 4), Leaderboard.fmt(r.peerRocAuc(), 4),
          signed(r.rocAucDifference()), Leaderboard.fmt(r.oursAveragePrecision(), 4),
          Leaderboard.fmt(r.peerAveragePrecision(), 4), Leaderboard.fmt(r.oursTimeS(), 3),
          Leaderboard.fmt(r.peerTimeS(), 3), Leaderboard.fmt(r.timeRatio(), 2)));
    }
    if (!onlyOurs.isEmpty()) {
      sb.append("\nOnly in deepad4j's results: ").append(String.join(", ", onlyOurs)).append(".\n");
    }
    if (!onlyPeer.isEmpty()) {
      sb.append("\nOnly in ").append(peerName).append("'s results: ").append(String.join(", ", onlyPeer))
          .append(".\n");
    }
    return sb.toString();
  }

  /** detector, datasets, roc_auc_ours, roc_auc_peer, roc_auc_difference, ap_ours, ap_peer, time_ours_s, ... */
  public String csv() {
    StringBuilder sb = new StringBuilder("detector,datasets,roc_auc_ours,roc_auc_peer,roc_auc_difference,"
        + "average_precision_ours,average_precision_peer,time_ours_s,time_peer_s,time_ratio\n");
    for (Row r : rows) {
      sb.append(CsvLines.quote(r.detector())).append(',').append(r.datasets());
      for (double v : new double[] {r.oursRocAuc(), r.peerRocAuc(), r.rocAucDifference(), r.oursAveragePrecision(),
          r.peerAveragePrecision(), r.oursTimeS(), r.peerTimeS(), r.timeRatio()}) {
        sb.append(',').append(BenchResults.cell(v));
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  private static String signed(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%+.4f", v);
  }
}
