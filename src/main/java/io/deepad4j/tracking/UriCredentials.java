package io.deepad4j.tracking;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place that keeps credentials written into URIs ({@code http://user:password@host}) out of
 * every file, log line and MLflow field. {@link #redact} removes the user info from every URI in a
 * text; the credentials of http(s) URIs are remembered in this JVM's memory only, so that
 * {@link ServerConfig} still sends them (HTTP basic) to the server they were written for. They are
 * never written anywhere: a later process (e.g. {@code runner sync}) needs them again from
 * {@code MLFLOW_TRACKING_USERNAME}/{@code MLFLOW_TRACKING_PASSWORD} or from its {@code --uri}.
 *
 * <p>The spec ({@code ResolvedSpec}: its values, its text and its overrides) and the tracking URI of
 * the environment ({@link Tracking#resolveUri}) go through here, so config.yaml, model/config.yaml,
 * run.json, the journal, MLflow params, tags, the run description and the logged model only ever see
 * the URI without user info.
 */
public final class UriCredentials {
  /** A scheme, "//", then user info up to the last '@' before the host (no space, '/', '?' or '#'). */
  private static final Pattern USER_INFO = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)([^\\s/?#]*)@");
  /** The URI that starts where a user info match starts, for remembering its credentials. */
  private static final Pattern URI_TOKEN = Pattern.compile("[^\\s'\"<>`]+");
  private static final Map<String, String> USER_INFO_BY_SERVER = new ConcurrentHashMap<>();

  private UriCredentials() {}

  /**
   * The text with the user info of every URI in it removed ({@code http://u:p@host:5000/x} becomes
   * {@code http://host:5000/x}); null stays null. The credentials of http(s) URIs are remembered (in
   * memory) for connecting to that server.
   */
  public static String redact(String text) {
    if (text == null || text.indexOf('@') < 0 || !text.contains("://")) {
      return text;
    }
    Matcher m = USER_INFO.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      Matcher token = URI_TOKEN.matcher(text);
      if (token.find(m.start())) {
        remember(token.group());
      }
      m.appendReplacement(out, Matcher.quoteReplacement(m.group(1)));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** The user info last seen (by {@link #redact}) in a URI of this server, if any. */
  static Optional<String> rememberedUserInfo(String server) {
    return Optional.ofNullable(USER_INFO_BY_SERVER.get(server));
  }

  private static void remember(String uri) {
    try {
      URI parsed = new URI(uri);
      if (parsed.getRawUserInfo() != null && parsed.getHost() != null) {
        USER_INFO_BY_SERVER.put(server(parsed), parsed.getRawUserInfo());
      }
    } catch (URISyntaxException e) {
      // not a URI this JVM could connect to: nothing to remember
    }
  }

  /** scheme://host[:port][/path], lower-case scheme, no trailing slash: how a server is named. */
  static String server(URI parsed) {
    String path = parsed.getRawPath() == null ? "" : parsed.getRawPath().replaceAll("/+$", "");
    return parsed.getScheme().toLowerCase() + "://" + parsed.getHost()
        + (parsed.getPort() < 0 ? "" : ":" + parsed.getPort()) + path;
  }
}
