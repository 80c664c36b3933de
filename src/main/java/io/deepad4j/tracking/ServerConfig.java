package io.deepad4j.tracking;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.mlflow.tracking.creds.BasicMlflowHostCreds;

/**
 * Where the MLflow server is and how to authenticate, with MLflow's own environment variables:
 * {@code MLFLOW_TRACKING_USERNAME}/{@code MLFLOW_TRACKING_PASSWORD} (HTTP basic),
 * {@code MLFLOW_TRACKING_TOKEN} (bearer), {@code MLFLOW_TRACKING_INSECURE_TLS=true}. Credentials
 * written into the URI ({@code http://user:pass@host}) are used when the variables are not set.
 *
 * Credentials that {@link UriCredentials#redact} stripped from this server's URI earlier in the JVM
 * (e.g. from the spec's {@code tracking.uri}) come last.
 *
 * <p>Secrets stay in this object: {@link #uri()} and {@link #toString()} never contain them, and
 * only {@link #uri()} goes into journals, logs and tags.
 */
final class ServerConfig {
  private final String uri;
  private final String username;
  private final String password;
  private final String token;
  private final boolean insecureTls;

  private ServerConfig(String uri, String username, String password, String token, boolean insecureTls) {
    this.uri = uri;
    this.username = username;
    this.password = password;
    this.token = token;
    this.insecureTls = insecureTls;
  }

  static ServerConfig fromEnvironment(String uri) {
    return of(uri, System.getenv());
  }

  static ServerConfig of(String trackingUri, Map<String, String> env) {
    URI parsed;
    try {
      parsed = new URI(trackingUri.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("tracking.uri '" + redact(trackingUri) + "' is not a valid URI: "
          + e.getReason() + "; expected e.g. http://127.0.0.1:5000", e);
    }
    String scheme = parsed.getScheme();
    if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
        || parsed.getHost() == null) {
      throw new IllegalArgumentException("tracking.uri '" + redact(trackingUri)
          + "' must be an http(s) URL of an MLflow server, e.g. http://127.0.0.1:5000"
          + " (file stores and databricks URIs are not supported)");
    }
    String username = blankToNull(env.get("MLFLOW_TRACKING_USERNAME"));
    String password = blankToNull(env.get("MLFLOW_TRACKING_PASSWORD"));
    String clean = UriCredentials.server(parsed);
    // user info written into the URI, else the one UriCredentials stripped from it earlier in this JVM
    String userInfo = parsed.getRawUserInfo() != null ? parsed.getRawUserInfo()
        : UriCredentials.rememberedUserInfo(clean).orElse(null);
    if (username == null && userInfo != null) {
      int colon = userInfo.indexOf(':');
      username = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
      password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
    }
    boolean insecure = "true".equalsIgnoreCase(env.getOrDefault("MLFLOW_TRACKING_INSECURE_TLS", ""));
    return new ServerConfig(clean, username, password, blankToNull(env.get("MLFLOW_TRACKING_TOKEN")), insecure);
  }

  /** The server's base URL without credentials or trailing slash. */
  String uri() {
    return uri;
  }

  boolean insecureTls() {
    return insecureTls;
  }

  /** Credentials for the MLflow Java client (same precedence as its own: basic, else bearer). */
  BasicMlflowHostCreds hostCreds() {
    return new BasicMlflowHostCreds(uri, username, password, token, insecureTls);
  }

  /** The Authorization header value the Java client would send, for our own HTTP calls. */
  Optional<String> authorizationHeader() {
    if (username != null && password != null) {
      String pair = username + ":" + password;
      return Optional.of("Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    }
    return token == null ? Optional.empty() : Optional.of("Bearer " + token);
  }

  @Override
  public String toString() {
    return uri;
  }

  /** The URI with any user-info removed, for messages about a URI that failed to parse. */
  static String redact(String uri) {
    return UriCredentials.redact(uri);
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
