package io.deepad4j.data;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Makes sure the two KDD Cup 1999 files are present in a data folder and are the published ones:
 * missing files are downloaded, every file is checked against its SHA-256 ({@link DataFiles}).
 */
public final class Kdd99Files {

  /** The 10% training file (494,021 rows). */
  public static final String TRAIN_FILE = "kddcup.data_10_percent.gz";
  /** The labelled test file (311,029 rows). */
  public static final String TEST_FILE = "corrected.gz";
  /** SHA-256 of {@link #TRAIN_FILE} as published by the UCI KDD archive. */
  public static final String TRAIN_SHA256 =
      "7bfaa8cef1350f72842018c32893e2fa4539d57efbb22f998eb74ecefc3da3b4";
  /** SHA-256 of {@link #TEST_FILE} as published by the UCI KDD archive. */
  public static final String TEST_SHA256 =
      "74f0daef49b242badc09f2adbd457dea6a45b4f77177efbd11216d333651044b";
  /** Where the files come from unless the caller names another server. */
  public static final URI DEFAULT_BASE_URL =
      URI.create("http://kdd.ics.uci.edu/databases/kddcup99/");

  private static final DataFiles FILES = new DataFiles("KDD Cup 1999",
      Map.of(TRAIN_FILE, TRAIN_SHA256, TEST_FILE, TEST_SHA256), DEFAULT_BASE_URL, null);

  private Kdd99Files() {}

  /**
   * Ensures {@code dataDir} holds {@link #TRAIN_FILE} and {@link #TEST_FILE}: downloads the
   * missing ones from {@code baseUrl} and, when {@code verifyChecksums} is set, checks each file's
   * SHA-256 (downloaded or already present). Files already present cause no network access.
   *
   * @param dataDir folder for the files; created when missing
   * @param baseUrl folder URL on the server, e.g. {@link #DEFAULT_BASE_URL}
   * @param verifyChecksums false only after the user has checked the files by other means
   * @throws DataException when a file cannot be downloaded or does not match its checksum; the
   *     message says which file, which URL and what to do
   */
  public static void ensure(Path dataDir, URI baseUrl, boolean verifyChecksums) {
    FILES.ensure(dataDir, List.of(TRAIN_FILE, TEST_FILE), baseUrl, verifyChecksums);
  }
}
