package io.deepad4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure the two KDD Cup 1999 files are present in a data folder and are the published ones:
 * missing files are downloaded, every file is checked against its SHA-256.
 *
 * <p>A download goes to a temporary file in the same folder and is moved to its final name only
 * once it is complete (and, when checking is on, verified), so an interrupted or truncated
 * download never leaves a file that looks complete.
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

  /** File name to expected SHA-256. */
  static final Map<String, String> EXPECTED_SHA256 =
      Map.of(TRAIN_FILE, TRAIN_SHA256, TEST_FILE, TEST_SHA256);

  private static final List<String> FILES = List.of(TRAIN_FILE, TEST_FILE);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(60);
  /** Whole-transfer limit for a server that trickles; the files are 2 MB and 1.4 MB. */
  private static final Duration DOWNLOAD_TIMEOUT = Duration.ofMinutes(10);
  private static final Duration POLL = Duration.ofMillis(200);
  /** A download with no new byte for this long is abandoned; tests shorten it. */
  static volatile Duration stallTimeout = Duration.ofSeconds(60);
  private static final Logger LOG = LoggerFactory.getLogger(Kdd99Files.class);

  /**
   * Files already verified in this JVM, as "size:mtime" per path: sweeps and benchmarks load the
   * data many times, and a file that has not changed need not be hashed again.
   */
  private static final Map<Path, String> VERIFIED = new ConcurrentHashMap<>();

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
  public static synchronized void ensure(Path dataDir, URI baseUrl, boolean verifyChecksums) {
    Path dir = dataDir.toAbsolutePath().normalize();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new DataException(
          "Cannot create the data folder " + dir + " (" + e + "). Set dataset.data_dir to a"
              + " writable folder.",
          e);
    }
    for (String name : FILES) {
      Path file = dir.resolve(name);
      if (Files.isRegularFile(file)) {
        if (verifyChecksums) {
          verifyExisting(file);
        }
      } else {
        download(dir, name, baseUrl, verifyChecksums);
      }
    }
  }

  /** The folder URL with a trailing slash, so that resolving a file name keeps the last segment. */
  static URI fileUrl(URI baseUrl, String name) {
    String base = baseUrl.toString();
    return URI.create(base.endsWith("/") ? base + name : base + "/" + name);
  }

  private static void verifyExisting(Path file) {
    String stamp = stamp(file);
    if (stamp.equals(VERIFIED.get(file))) {
      return;
    }
    String expected = EXPECTED_SHA256.get(file.getFileName().toString());
    String actual = sha256(file);
    if (!expected.equals(actual)) {
      throw new DataException(
          "Checksum mismatch for " + file + ":\n  expected SHA-256 " + expected
              + "\n  actual SHA-256   " + actual + "\nThe file is corrupt, truncated or not the"
              + " published KDD Cup 1999 file. Delete it so that it is downloaded again, or copy"
              + " it again from " + fileUrl(DEFAULT_BASE_URL, file.getFileName().toString())
              + ". If you have checked the file and trust it, set"
              + " 'dataset.verify_checksums: false' in the spec to skip this check.");
    }
    VERIFIED.put(file, stamp);
  }

  private static void download(Path dir, String name, URI baseUrl, boolean verifyChecksums) {
    URI url = fileUrl(baseUrl, name);
    Path target = dir.resolve(name);
    Path part;
    try {
      part = Files.createTempFile(dir, name + ".", ".part");
    } catch (IOException e) {
      throw new DataException(
          "Cannot write to the data folder " + dir + " (" + e + "). Set dataset.data_dir to a"
              + " writable folder.",
          e);
    }
    LOG.info("Downloading {} to {}", url, target);
    try {
      long received = fetch(url, part, dir);
      if (verifyChecksums) {
        String expected = EXPECTED_SHA256.get(name);
        String actual = sha256(part);
        if (!expected.equals(actual)) {
          throw new DataException(
              "Checksum mismatch for " + name + " downloaded from " + url + " (" + received
                  + " bytes; the download was discarded):\n  expected SHA-256 " + expected
                  + "\n  actual SHA-256   " + actual + "\nThe server sent a different or"
                  + " incomplete file. Try again later or download it by hand (see below)."
                  + " If you have checked the file and trust it, set"
                  + " 'dataset.verify_checksums: false' in the spec to skip this check.\n"
                  + manualInstructions(dir));
        }
      }
      move(part, target);
      if (verifyChecksums) {
        VERIFIED.put(target, stamp(target));
      }
    } finally {
      try {
        Files.deleteIfExists(part);
      } catch (IOException e) {
        LOG.warn("Could not delete the partial download {}: {}", part, e.toString());
      }
    }
  }

  /** Streams the body of {@code url} into {@code part}; returns the number of bytes received. */
  private static long fetch(URI url, Path part, Path dir) {
    HttpClient client =
        HttpClient.newBuilder()
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    HttpRequest request = HttpRequest.newBuilder(url).timeout(RESPONSE_TIMEOUT).GET().build();
    CompletableFuture<HttpResponse<Path>> future =
        client.sendAsync(request, HttpResponse.BodyHandlers.ofFile(part));
    HttpResponse<Path> response = await(future, url, part, dir);
    if (response.statusCode() != 200) {
      throw downloadFailed(url, dir, "HTTP status " + response.statusCode(), null);
    }
    long received;
    try {
      received = Files.size(part);
    } catch (IOException e) {
      throw downloadFailed(url, dir, e.toString(), e);
    }
    // HttpClient already fails on a body shorter than its Content-Length; checked again here
    // because a short file must never be moved into place.
    long announced = response.headers().firstValueAsLong("Content-Length").orElse(-1);
    if (announced >= 0 && announced != received) {
      throw downloadFailed(
          url, dir, "received " + received + " of " + announced + " bytes", null);
    }
    return received;
  }

  /**
   * Waits for the download, giving up when no byte has arrived for {@link #stallTimeout} (a
   * silent server would otherwise hold the run until the overall limit).
   */
  private static HttpResponse<Path> await(
      CompletableFuture<HttpResponse<Path>> future, URI url, Path part, Path dir) {
    long start = System.nanoTime();
    long lastProgress = start;
    long lastSize = 0;
    while (true) {
      try {
        return future.get(POLL.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        long now = System.nanoTime();
        long size = sizeOrZero(part);
        if (size != lastSize) {
          lastSize = size;
          lastProgress = now;
        } else if (now - lastProgress > stallTimeout.toNanos()) {
          future.cancel(true);
          throw downloadFailed(url, dir, "no data for " + stallTimeout.toSeconds()
              + " s after " + size + " bytes", e);
        }
        if (now - start > DOWNLOAD_TIMEOUT.toNanos()) {
          future.cancel(true);
          throw downloadFailed(url, dir, "not complete after " + DOWNLOAD_TIMEOUT.toMinutes()
              + " minutes", e);
        }
      } catch (InterruptedException e) {
        future.cancel(true);
        Thread.currentThread().interrupt();
        throw downloadFailed(url, dir, "interrupted", e);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        throw downloadFailed(url, dir, describe(cause), cause);
      }
    }
  }

  private static long sizeOrZero(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0;
    }
  }

  private static String describe(Throwable cause) {
    if (cause instanceof java.net.ConnectException) {
      return "cannot connect (" + (cause.getMessage() == null ? "connection refused"
          : cause.getMessage()) + ")";
    }
    if (cause instanceof java.net.http.HttpTimeoutException) {
      return "timed out (" + cause.getMessage() + ")";
    }
    if (cause instanceof IOException) {
      return "the transfer failed (" + cause.getMessage() + ")";
    }
    return cause.toString();
  }

  private static DataException downloadFailed(URI url, Path dir, String why, Throwable cause) {
    return new DataException(
        "Could not download " + url + ": " + why + ".\n" + manualInstructions(dir), cause);
  }

  private static String manualInstructions(Path dir) {
    StringBuilder s = new StringBuilder("To work without the download, put the files in place by"
        + " hand:\n");
    for (String name : FILES) {
      s.append("  ").append(dir.resolve(name)).append("  (from ")
          .append(fileUrl(DEFAULT_BASE_URL, name)).append(")\n");
    }
    s.append("or point dataset.data_dir to a folder that already holds them.");
    return s.toString();
  }

  private static void move(Path part, Path target) {
    try {
      try {
        Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new DataException("Cannot move the download " + part + " to " + target + " (" + e
          + "). Check the permissions of " + target.getParent() + ".", e);
    }
  }

  private static String stamp(Path file) {
    try {
      return Files.size(file) + ":" + Files.getLastModifiedTime(file).toMillis();
    } catch (IOException e) {
      throw new DataException("Cannot read " + file + " (" + e + ").", e);
    }
  }

  /** Lower-case hex SHA-256 of a file (also the data provenance of every run). */
  public static String sha256(Path file) {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
    } catch (IOException e) {
      throw new DataException("Cannot read " + file + " (" + e + ").", e);
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
