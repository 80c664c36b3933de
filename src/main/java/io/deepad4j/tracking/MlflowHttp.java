package io.deepad4j.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.mlflow.tracking.MlflowHttpException;

/**
 * HTTP calls the MLflow Java client does not offer, with java.net.http and bounded timeouts: the
 * proxied artifact upload and download ({@code PUT}/{@code GET /api/2.0/mlflow-artifacts/artifacts/...}), runs/log-model,
 * logged models (MLflow 3) and the model registry's create calls.
 *
 * <p>A status >= 400 is thrown as {@link MlflowHttpException} (like the Java client does), an I/O
 * failure as {@link UncheckedIOException}; {@link Retry} decides which of them are worth retrying.
 */
final class MlflowHttp {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration JSON_TIMEOUT = Duration.ofSeconds(30);
  /** Uploads get 60 s plus one second per MB: generous for a model, still bounded. */
  private static final Duration UPLOAD_BASE_TIMEOUT = Duration.ofSeconds(60);

  private final ServerConfig config;
  private final HttpClient client;

  MlflowHttp(ServerConfig config) {
    this.config = config;
    HttpClient.Builder builder = HttpClient.newBuilder()
        .connectTimeout(CONNECT_TIMEOUT)
        .followRedirects(HttpClient.Redirect.NORMAL);
    if (config.insecureTls()) {
      builder.sslContext(trustAllContext());
    }
    this.client = builder.build();
  }

  JsonNode get(String apiPath, Map<String, String> query) {
    StringJoiner q = new StringJoiner("&", "?", "");
    q.setEmptyValue("");
    query.forEach((k, v) -> q.add(encodeQuery(k) + "=" + encodeQuery(v)));
    return sendJson(request(apiPath + q).GET());
  }

  JsonNode post(String apiPath, JsonNode body) {
    return sendJson(request(apiPath).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
  }

  JsonNode patch(String apiPath, JsonNode body) {
    return sendJson(request(apiPath).header("Content-Type", "application/json")
        .method("PATCH", HttpRequest.BodyPublishers.ofString(body.toString())));
  }

  /**
   * Uploads one file through the server's artifact proxy.
   *
   * @param artifactDir the run's (or logged model's) artifact location below the proxy root, e.g.
   *     {@code 1/<run id>/artifacts}
   * @param relativePath the file's path inside it, with {@code /} separators
   */
  void putArtifact(String artifactDir, String relativePath, Path file) {
    long size;
    HttpRequest.BodyPublisher body;
    try {
      size = Files.size(file);
      body = HttpRequest.BodyPublishers.ofFile(file);
    } catch (FileNotFoundException | java.nio.file.NoSuchFileException e) {
      throw new TrackingException("Artifact file " + file + " does not exist any more; it was listed when"
          + " the run logged its artifacts. Restore it or remove the run's tracking/ folder to stop syncing it");
    } catch (IOException e) {
      throw new TrackingException("Cannot read artifact file " + file + ": " + e.getMessage(), 0, e);
    }
    String path = "/api/2.0/mlflow-artifacts/artifacts/" + encodePath(artifactDir) + "/" + encodePath(relativePath);
    HttpRequest.Builder builder = request(path)
        .timeout(UPLOAD_BASE_TIMEOUT.plusSeconds(size / 1_000_000))
        .header("Content-Type", "application/octet-stream")
        .PUT(body);
    send(builder);
  }

  /**
   * Downloads one file through the server's artifact proxy ({@code GET /api/2.0/mlflow-artifacts/artifacts/...})
   * into {@code target}, with the upload's size-free timeout plus the JSON one.
   *
   * @param location the artifact location below the proxy root, e.g. {@code 1/models/m-.../artifacts}
   * @param relativePath the file's path inside it, with {@code /} separators
   */
  void getArtifact(String location, String relativePath, Path target) {
    String path = "/api/2.0/mlflow-artifacts/artifacts/" + encodePath(location) + "/" + encodePath(relativePath);
    HttpRequest request = request(path).timeout(UPLOAD_BASE_TIMEOUT.plus(JSON_TIMEOUT)).GET().build();
    HttpResponse<Path> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.ofFile(target));
    } catch (IOException e) {
      throw new UncheckedIOException("GET " + request.uri().getPath() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(new java.io.InterruptedIOException("interrupted: " + request.uri().getPath()));
    }
    if (response.statusCode() >= 400) {
      String body;
      try {
        body = Files.readString(target, StandardCharsets.UTF_8);
      } catch (IOException e) {
        body = "";
      }
      throw new MlflowHttpException(response.statusCode(), "GET " + request.uri().getPath(), body);
    }
  }

  private HttpRequest.Builder request(String pathAndQuery) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(config.uri() + pathAndQuery))
        .timeout(JSON_TIMEOUT)
        .header("User-Agent", "deepad4j");
    config.authorizationHeader().ifPresent(value -> builder.header("Authorization", value));
    return builder;
  }

  private JsonNode sendJson(HttpRequest.Builder builder) {
    String body = send(builder);
    try {
      return body.isBlank() ? Journal.JSON.createObjectNode() : Journal.JSON.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException("The MLflow server at " + config.uri() + " answered with non-JSON: "
          + abbreviate(body), e);
    }
  }

  private String send(HttpRequest.Builder builder) {
    HttpRequest request = builder.build();
    HttpResponse<String> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(request.method() + " " + request.uri().getPath() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(new java.io.InterruptedIOException("interrupted: " + request.uri().getPath()));
    }
    if (response.statusCode() >= 400) {
      throw new MlflowHttpException(response.statusCode(), request.method() + " " + request.uri().getPath(),
          response.body());
    }
    return response.body();
  }

  /** Percent-encodes each segment of a {@code /}-separated path (spaces, #, ? and non-ASCII). */
  static String encodePath(String path) {
    StringJoiner out = new StringJoiner("/");
    for (String segment : path.split("/", -1)) {
      out.add(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
    }
    return out.toString();
  }

  private static String encodeQuery(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  static String abbreviate(String s) {
    return s.length() <= 500 ? s : s.substring(0, 500) + "...";
  }

  /** MLFLOW_TRACKING_INSECURE_TLS: accept any certificate and host name, as the Python client does. */
  private static SSLContext trustAllContext() {
    TrustManager trustAll = new X509ExtendedTrustManager() {
      @Override public void checkClientTrusted(X509Certificate[] chain, String authType) {}
      @Override public void checkServerTrusted(X509Certificate[] chain, String authType) {}
      @Override public void checkClientTrusted(X509Certificate[] chain, String authType, java.net.Socket s) {}
      @Override public void checkServerTrusted(X509Certificate[] chain, String authType, java.net.Socket s) {}
      @Override public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine e) {}
      @Override public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine e) {}
      @Override public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    };
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {trustAll}, new SecureRandom());
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Cannot set up TLS without verification: " + e.getMessage(), e);
    }
  }
}
