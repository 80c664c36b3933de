package io.deepad4j.data;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * ADBench's classical data sets (Han et al., "ADBench: Anomaly Detection Benchmark", NeurIPS 2022;
 * github.com/Minqi824/ADBench, BSD 2-Clause), one {@code <subset>.npz} each: files missing in the
 * data folder are downloaded from the ADBench repository and every file is checked against the
 * SHA-256 list shipped in the jar ({@code adbench/SHA256SUMS}: the 43 files that repository serves).
 */
public final class AdbenchFiles {

  /** Where the files come from unless the caller names another server. */
  public static final URI DEFAULT_BASE_URL =
      URI.create("https://github.com/Minqi824/ADBench/raw/main/adbench/datasets/Classical/");

  private static final Map<String, String> SUMS = DataFiles.readSums("adbench/SHA256SUMS");

  /** The subset names ({@code 6_cardio}, ...), in the list's order. */
  public static final List<String> SUBSETS =
      SUMS.keySet().stream().map(f -> f.substring(0, f.length() - ".npz".length())).toList();

  private static final DataFiles FILES = new DataFiles("ADBench", SUMS, DEFAULT_BASE_URL, null);

  private AdbenchFiles() {}

  /**
   * The verified file of {@code subset} in {@code dataDir}, downloaded from {@code baseUrl} when
   * missing (see {@link DataFiles#ensure}).
   *
   * @param subset one of {@link #SUBSETS}
   * @throws IllegalArgumentException for an unknown subset (specs check the name before)
   */
  public static Path ensure(Path dataDir, String subset, URI baseUrl, boolean verifyChecksums) {
    if (!SUBSETS.contains(subset)) {
      throw new IllegalArgumentException("'" + subset + "' is not an ADBench data set; one of " + SUBSETS);
    }
    String name = subset + ".npz";
    FILES.ensure(dataDir, List.of(name), baseUrl, verifyChecksums);
    return dataDir.resolve(name);
  }
}
