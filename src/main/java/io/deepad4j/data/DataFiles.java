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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The published files of one data source, each with its SHA-256, kept in a data folder: files
 * missing there are downloaded (when the source has a server), every file is checked against its
 * SHA-256. {@link Kdd99Files}, {@link AdbenchFiles} and {@link Ecg5000} are its users.
 *
 * <p>A download goes to a temporary file in the same folder and is moved to its final name only
 * once it is complete (and, when checking is on, verified), so an interrupted or truncated
 * download never leaves a file that looks complete.
 */
public final class DataFiles {

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(60);
  /** Whole-transfer limit for a server that trickles (the files are a few MB). */
  private static final Duration DOWNLOAD_TIMEOUT = Duration.ofMinutes(10);
  private static final Duration POLL = Duration.ofMillis(200);
  /** A download with no new byte for this long is abandoned; tests shorten it. */
  static volatile Duration stallTimeout = Duration.ofSeconds(60);
  private static final Logger LOG = LoggerFactory.getLogger(DataFiles.class);

  /**
   * Files already verified in this JVM, as "size:mtime" per path: sweeps and benchmarks load the
   * data many times, and a file that has not changed need not be hashed again.
   */
  private static final Map<Path, String> VERIFIED = new ConcurrentHashMap<>();

  private final String title;
  private final Map<String, String> sha256ByName;
  private final URI defaultBaseUrl;
  private final String source;

  /**
   * @param title the source's name in messages, e.g. "KDD Cup 1999"
   * @param sha256ByName every file the source publishes -> its lower-case hex SHA-256
   * @param defaultBaseUrl the folder URL the files are downloaded from unless the caller names
   *     another; null when there is nothing to download from (the files are copied by hand)
   * @param source where to get the files by hand when {@code defaultBaseUrl} is null
   */
  public DataFiles(String title, Map<String, String> sha256ByName, URI defaultBaseUrl, String source) {
    this.title = title;
    this.sha256ByName = Map.copyOf(sha256ByName);
    this.defaultBaseUrl = defaultBaseUrl;
    this.source = source;
  }

  /** The published SHA-256 of each file, by name. */
  public Map<String, String> sha256ByName() {
    return sha256ByName;
  }

  /**
   * Ensures {@code dataDir} holds {@code names}: downloads the missing ones from {@code baseUrl}
   * and, when {@code verifyChecksums} is set, checks each file's SHA-256 (downloaded or already
   * present). Files already present cause no network access.
   *
   * @param dataDir folder for the files; created when missing
   * @param names files of this source, each a key of {@link #sha256ByName()}
   * @param baseUrl folder URL on the server; null when the source has none (missing files are
   *     then an error that says where to get them)
   * @param verifyChecksums false only after the user has checked the files by other means
   * @throws DataException when a file is missing and cannot be downloaded or does not match its
   *     checksum; the message says which file, which URL and what to do
   */
  public synchronized void ensure(Path dataDir, List<String> names, URI baseUrl, boolean verifyChecksums) {
    Path dir = dataDir.toAbsolutePath().normalize();
    for (String name : names) {
      if (!sha256ByName.containsKey(name)) {
        throw new IllegalArgumentException(name + " is not a file of " + title);
      }
    }
    if (baseUrl == null) {
      List<String> missing = names.stream().filter(n -> !Files.isRegularFile(dir.resolve(n))).toList();
      if (!missing.isEmpty()) {
        throw new DataException("The " + title + " file" + (missing.size() > 1 ? "s " : " ") + missing
            + (missing.size() > 1 ? " are" : " is") + " not in " + dir + ".\n" + manualInstructions(dir, names));
      }
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new DataException(
          "Cannot create the data folder " + dir + " (" + e + "). Set dataset.data_dir to a"
              + " writable folder.",
          e);
    }
    for (String name : names) {
      Path file = dir.resolve(name);
      if (Files.isRegularFile(file)) {
        if (verifyChecksums) {
          verifyExisting(file);
        }
      } else {
        download(dir, name, names, baseUrl, verifyChecksums);
      }
    }
  }

  /** Reads a SHA256SUMS list ("hash  name" per line, as sha256sum writes it) from the class path. */
  static Map<String, String> readSums(String resource) {
    Map<String, String> sums = new LinkedHashMap<>();
    try (InputStream in = DataFiles.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("the jar lacks " + resource);
      }
      for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).split("\n")) {
        if (!line.isBlank()) {
          String[] parts = line.trim().split("\\s+\\*?", 2);
          sums.put(parts[1], parts[0]);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + resource + " from the jar", e);
    }
    return sums;
  }

  /** The folder URL with a trailing slash, so that resolving a file name keeps the last segment. */
  static URI fileUrl(URI baseUrl, String name) {
    String base = baseUrl.toString();
    return URI.create(base.endsWith("/") ? base + name : base + "/" + name);
  }

  private void verifyExisting(Path file) {
    String stamp = stamp(file);
    if (stamp.equals(VERIFIED.get(file))) {
      return;
    }
    String expected = sha256ByName.get(file.getFileName().toString());
    String actual = sha256(file);
    if (!expected.equals(actual)) {
      throw new DataException(
          "Checksum mismatch for " + file + ":\n  expected SHA-256 " + expected
              + "\n  actual SHA-256   " + actual + "\nThe file is corrupt, truncated or not the"
              + " published " + title + " file. " + (defaultBaseUrl == null ? "Copy it again from "
              : "Delete it so that it is downloaded again, or copy it again from ")
              + origin(file.getFileName().toString()) + ". If you have checked the file and trust it, set"
              + " 'dataset.verify_checksums: false' in the spec to skip this check.");
    }
    VERIFIED.put(file, stamp);
  }

  private void download(Path dir, String name, List<String> names, URI baseUrl, boolean verifyChecksums) {
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
      long received = fetch(url, part, dir, names);
      if (verifyChecksums) {
        String expected = sha256ByName.get(name);
        String actual = sha256(part);
        if (!expected.equals(actual)) {
          throw new DataException(
              "Checksum mismatch for " + name + " downloaded from " + url + " (" + received
                  + " bytes; the download was discarded):\n  expected SHA-256 " + expected
                  + "\n  actual SHA-256   " + actual + "\nThe server sent a different or"
                  + " incomplete file. Try again later or download it by hand (see below)."
                  + " If you have checked the file and trust it, set"
                  + " 'dataset.verify_checksums: false' in the spec to skip this check.\n"
                  + manualInstructions(dir, names));
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
  private long fetch(URI url, Path part, Path dir, List<String> names) {
    HttpClient client =
        HttpClient.newBuilder()
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    HttpRequest request = HttpRequest.newBuilder(url).timeout(RESPONSE_TIMEOUT).GET().build();
    CompletableFuture<HttpResponse<Path>> future =
        client.sendAsync(request, HttpResponse.BodyHandlers.ofFile(part));
    HttpResponse<Path> response = await(future, url, part, dir, names);
    if (response.statusCode() != 200) {
      throw downloadFailed(url, dir, names, "HTTP status " + response.statusCode(), null);
    }
    long received;
    try {
      received = Files.size(part);
    } catch (IOException e) {
      throw downloadFailed(url, dir, names, e.toString(), e);
    }
    // HttpClient already fails on a body shorter than its Content-Length; checked again here
    // because a short file must never be moved into place.
    long announced = response.headers().firstValueAsLong("Content-Length").orElse(-1);
    if (announced >= 0 && announced != received) {
      throw downloadFailed(
          url, dir, names, "received " + received + " of " + announced + " bytes", null);
    }
    return received;
  }

  /**
   * Waits for the download, giving up when no byte has arrived for {@link #stallTimeout} (a
   * silent server would otherwise hold the run until the overall limit).
   */
  private HttpResponse<Path> await(
      CompletableFuture<HttpResponse<Path>> future, URI url, Path part, Path dir, List<String> names) {
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
          throw downloadFailed(url, dir, names, "no data for " + stallTimeout.toSeconds()
              + " s after " + size + " bytes", e);
        }
        if (now - start > DOWNLOAD_TIMEOUT.toNanos()) {
          future.cancel(true);
          throw downloadFailed(url, dir, names, "not complete after " + DOWNLOAD_TIMEOUT.toMinutes()
              + " minutes", e);
        }
      } catch (InterruptedException e) {
        future.cancel(true);
        Thread.currentThread().interrupt();
        throw downloadFailed(url, dir, names, "interrupted", e);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        throw downloadFailed(url, dir, names, describe(cause), cause);
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

  private DataException downloadFailed(URI url, Path dir, List<String> names, String why, Throwable cause) {
    return new DataException(
        "Could not download " + url + ": " + why + ".\n" + manualInstructions(dir, names), cause);
  }

  /** Where a file comes from: its URL on the default server, or the source's own description. */
  private String origin(String name) {
    return defaultBaseUrl == null ? source : fileUrl(defaultBaseUrl, name).toString();
  }

  private String manualInstructions(Path dir, List<String> names) {
    StringBuilder s = new StringBuilder("To work without the download, put the files in place by"
        + " hand:\n");
    for (String name : names) {
      s.append("  ").append(dir.resolve(name)).append("  (from ").append(origin(name)).append(")\n");
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
