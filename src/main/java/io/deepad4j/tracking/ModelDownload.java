package io.deepad4j.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A model named by an MLflow address, fetched from the tracking server into a local folder:
 * <ul>
 *   <li>{@code models:/<name>/<version>}: a registered model's version (model-versions/get-download-uri);</li>
 *   <li>{@code models:/<name>@<alias>}: the version an alias points to (registered-models/alias);</li>
 *   <li>{@code models:/<model_id>}: an MLflow 3 logged model (logged-models/get);</li>
 *   <li>{@code runs:/<run_id>/<path>}: a folder of a run's artifacts, e.g. {@code runs:/<id>/model}
 *       (runs/get).</li>
 * </ul>
 * The files come through the server's artifact proxy ({@code mlflow-artifacts:/}, as the upload), into
 * {@code <cache>/<hash>/}, the hash being of the server and the artifact location: a version already there
 * with the same files (names and sizes) is not downloaded again. A download goes to a temporary folder
 * beside it and is moved into place only when complete, so a half-fetched model is never scored.
 */
public final class ModelDownload {
  private static final Pattern MODEL_VERSION = Pattern.compile("models:/(.+)/([0-9]+)");
  private static final Pattern MODEL_ALIAS = Pattern.compile("models:/(.+)@([^@/]+)");
  private static final Pattern LOGGED_MODEL = Pattern.compile("models:/(m-[0-9a-f]+)");
  private static final Pattern RUN_PATH = Pattern.compile("runs:/([0-9a-f]+)/(.+)");
  public static final String FORMS = "models:/<name>/<version>, models:/<name>@<alias>, models:/<model id> or"
      + " runs:/<run id>/<path> (e.g. runs:/<run id>/model)";

  private ModelDownload() {}

  /** Whether {@code text} is an MLflow model address rather than a folder. */
  public static boolean isAddress(String text) {
    return text.startsWith("models:/") || text.startsWith("runs:/");
  }

  /** Where the address's files were found and where they now are. */
  public record Fetched(Path dir, String artifactUri, boolean downloaded) {}

  /**
   * Resolves {@code address} on the server and brings its files into {@code cacheRoot}.
   *
   * @param trackingUri the server's http(s) URL (credentials from the environment, as runs use them)
   * @throws IllegalArgumentException for an address that is none of {@link #FORMS}
   * @throws TrackingException when the server answers that the model, version, alias or run does not exist
   *     (its HTTP status and MLflow's message), or when the location is not served through the server
   * @throws IllegalStateException when the server cannot be reached (with the URI and what to do)
   * @throws UncheckedIOException when the cache folder cannot be written
   */
  public static Fetched fetch(String address, String trackingUri, Path cacheRoot) {
    try (MlflowServer server = new MlflowServer(ServerConfig.fromEnvironment(trackingUri))) {
      String artifactUri = resolve(server, address.trim());
      String location = server.proxiedArtifactPath(artifactUri);
      Path dir = cacheRoot.resolve(hash(server.uri() + " " + location));
      Map<String, Long> remote = new TreeMap<>();
      listInto(server, location, "", remote);
      if (remote.isEmpty()) {
        throw new TrackingException(address + " resolves to " + artifactUri + " on " + server.uri()
            + ", which holds no files; check the address (runs:/<run id>/model for a run's model)");
      }
      if (remote.equals(localFiles(dir))) {
        return new Fetched(dir, artifactUri, false);
      }
      download(server, location, remote, dir);
      return new Fetched(dir, artifactUri, true);
    } catch (Retry.ServerUnavailableException e) {
      throw new IllegalStateException("the MLflow server at " + Tracking.serverUri(trackingUri)
          + " is not reachable (" + e.getMessage() + "); start it, or pass --uri URL (or set MLFLOW_TRACKING_URI)"
          + " to the server that holds " + address, e);
    }
  }

  /** The artifact URI an address names. */
  static String resolve(MlflowServer server, String address) {
    Matcher m;
    if ((m = RUN_PATH.matcher(address)).matches()) {
      String root = server.runArtifactUri(m.group(1));
      return root.replaceAll("/+$", "") + "/" + m.group(2).replaceAll("^/+|/+$", "");
    }
    if ((m = MODEL_VERSION.matcher(address)).matches()) {
      return server.modelVersionDownloadUri(m.group(1), m.group(2));
    }
    if ((m = MODEL_ALIAS.matcher(address)).matches()) {
      return server.modelVersionDownloadUri(m.group(1), server.aliasVersion(m.group(1), m.group(2)));
    }
    if ((m = LOGGED_MODEL.matcher(address)).matches()) {
      return server.loggedModelArtifactUri(m.group(1));
    }
    throw new IllegalArgumentException("'" + address + "' is not a model address; expected " + FORMS);
  }

  private static void listInto(MlflowServer server, String location, String sub, Map<String, Long> files) {
    for (JsonNode f : server.listProxied(sub.isEmpty() ? location : location + "/" + sub)) {
      String name = f.path("path").asText();
      // the listing names entries of the folder listed; anything else could write outside the cache
      if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.equals(".") || name.equals("..")) {
        throw new TrackingException("the MLflow server listed an artifact named '" + name + "' in " + location
            + "/" + sub + "; refusing to write it");
      }
      String rel = sub.isEmpty() ? name : sub + "/" + name;
      if (f.path("is_dir").asBoolean()) {
        listInto(server, location, rel, files);
      } else {
        files.put(rel, f.path("file_size").asLong(-1));
      }
    }
  }

  /** The files of a cached folder, as relative path -> size; empty when there is none. */
  private static Map<String, Long> localFiles(Path dir) {
    Map<String, Long> files = new TreeMap<>();
    if (!Files.isDirectory(dir)) {
      return files;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        files.put(dir.relativize(p).toString().replace('\\', '/'), Files.size(p));
      }
    } catch (IOException e) {
      return Map.of(); // unreadable: fetched again
    }
    return files;
  }

  /** Downloads every file into a temporary folder beside {@code dir}, then puts it in place of {@code dir}. */
  private static void download(MlflowServer server, String location, Map<String, Long> files, Path dir) {
    long pid = ProcessHandle.current().pid();
    Path tmp = dir.resolveSibling("." + dir.getFileName() + "." + pid + ".tmp");
    Path old = dir.resolveSibling("." + dir.getFileName() + "." + pid + ".old");
    try {
      deleteTree(tmp);
      Files.createDirectories(tmp);
      for (Map.Entry<String, Long> f : files.entrySet()) {
        Path target = tmp.resolve(f.getKey()).normalize();
        if (!target.startsWith(tmp)) {
          throw new TrackingException("artifact path '" + f.getKey() + "' leaves the model folder; refusing it");
        }
        Files.createDirectories(target.getParent());
        server.downloadProxied(location, f.getKey(), target);
        long size = Files.size(target);
        if (f.getValue() >= 0 && size != f.getValue()) {
          throw new UncheckedIOException(new IOException("downloaded " + size + " bytes of " + f.getKey() + " from "
              + location + ", but the server lists " + f.getValue() + "; run the command again"));
        }
      }
      if (Files.exists(dir)) {
        Files.move(dir, old, StandardCopyOption.ATOMIC_MOVE);
      }
      Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
      deleteTree(old);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the downloaded model into " + dir + ": " + e.getMessage(), e);
    } finally {
      try {
        deleteTree(tmp);
      } catch (IOException e) {
        // left behind; the next download of this model removes it
      }
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** The cache folder's name: the first 16 hex digits of the SHA-256 of what identifies the files. */
  static String hash(String text) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
