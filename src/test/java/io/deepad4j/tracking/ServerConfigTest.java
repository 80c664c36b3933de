package io.deepad4j.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepad4j.models.ModelRegistry;
import io.deepad4j.spec.ResolvedSpec;
import io.deepad4j.spec.SpecLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigTest {
  @Test
  void credentialsComeFromMlflowsVariablesAndStayOutOfTheUri() {
    ServerConfig basic = ServerConfig.of("http://127.0.0.1:5000/", Map.of(
        "MLFLOW_TRACKING_USERNAME", "alice", "MLFLOW_TRACKING_PASSWORD", "s3cret", "MLFLOW_TRACKING_TOKEN", "tok"));
    assertEquals("http://127.0.0.1:5000", basic.uri());
    assertEquals(Optional.of("Basic " + base64("alice:s3cret")), basic.authorizationHeader());
    assertEquals("alice", basic.hostCreds().getUsername());
    assertFalse(basic.toString().contains("s3cret"));

    ServerConfig bearer = ServerConfig.of("https://mlflow.example.com/prefix", Map.of("MLFLOW_TRACKING_TOKEN", "tok"));
    assertEquals(Optional.of("Bearer tok"), bearer.authorizationHeader());
    assertEquals("https://mlflow.example.com/prefix", bearer.uri());
    assertFalse(bearer.insecureTls());

    assertEquals(Optional.empty(), ServerConfig.of("http://localhost:5000", Map.of()).authorizationHeader());
    assertTrue(ServerConfig.of("https://h", Map.of("MLFLOW_TRACKING_INSECURE_TLS", "true")).insecureTls());
  }

  /** Issue 18.1: the one redaction for every sink; what it strips still authenticates this JVM's calls. */
  @Test
  void redactedCredentialsAreGoneFromTheTextButStillSentToTheirServer() {
    String text = "tracking:\n  uri: \"http://carol:pa%40ss@10.1.2.3:5000/\"  # or https://dave:x@ml.example.com/p?q=a@b\n"
        + "data: s3://bucket/key@v1 mail me@example.com";
    assertEquals("tracking:\n  uri: \"http://10.1.2.3:5000/\"  # or https://ml.example.com/p?q=a@b\n"
        + "data: s3://bucket/key@v1 mail me@example.com", UriCredentials.redact(text));
    assertEquals("tracking.uri=http://10.1.2.4:5000", UriCredentials.redact("tracking.uri=http://erin:s3cret@10.1.2.4:5000"));
    assertEquals(null, UriCredentials.redact(null));

    assertEquals(Optional.of("Basic " + base64("carol:pa@ss")),
        ServerConfig.of("http://10.1.2.3:5000", Map.of()).authorizationHeader());
    assertEquals(Optional.of("Basic " + base64("erin:s3cret")),
        ServerConfig.of("http://10.1.2.4:5000/", Map.of()).authorizationHeader());
    assertEquals("erin", Tracking.hostCreds("http://10.1.2.4:5000").getUsername());
    // MLflow's variables still come first, and another server gets nothing
    assertEquals(Optional.of("Basic " + base64("frank:pw")), ServerConfig.of("http://10.1.2.4:5000",
        Map.of("MLFLOW_TRACKING_USERNAME", "frank", "MLFLOW_TRACKING_PASSWORD", "pw")).authorizationHeader());
    assertEquals(Optional.empty(), ServerConfig.of("http://10.1.2.4:5001", Map.of()).authorizationHeader());
  }

  /** Issue 18.1 at the spec: values, text and overrides lose the user info; the value in effect authenticates. */
  @Test
  void aSpecsTrackingUriCredentialsAreStrippedAndTheOverrideInEffectAuthenticates(@TempDir Path tmp) throws Exception {
    Path file = tmp.resolve("secret.yaml");
    Files.writeString(file, Files.readString(Path.of("experiments/kdd_ae.yaml"))
        + "tracking:\n  uri: http://alice18:s3cret18a@10.1.2.5:5000\n");
    ResolvedSpec spec = new SpecLoader(ModelRegistry.get()).load(file,
        List.of("tracking.uri=http://bob18:s3cret18b@10.1.2.5:5000/"));
    String everything = spec.values() + spec.sourceText() + spec.overrides() + spec.toYaml() + spec.flatParams();
    assertFalse(everything.contains("s3cret18") || everything.contains("alice18") || everything.contains("bob18"), everything);
    assertEquals("http://10.1.2.5:5000/", spec.getString("tracking.uri"));
    assertTrue(spec.sourceText().contains("uri: http://10.1.2.5:5000\n"), spec.sourceText());
    assertEquals(Optional.of("Basic " + base64("bob18:s3cret18b")),
        ServerConfig.of(Tracking.resolveUri(spec.getString("tracking.uri")), Map.of()).authorizationHeader());
  }

  @Test
  void userInfoInTheUriIsUsedAsCredentialsButNeverKept() {
    ServerConfig config = ServerConfig.of("http://bob:p%40ss@127.0.0.1:5000", Map.of());
    assertEquals("http://127.0.0.1:5000", config.uri());
    assertEquals(Optional.of("Basic " + base64("bob:p@ss")), config.authorizationHeader());
  }

  @Test
  void nonHttpUrisAreRefusedWithTheExpectedForm() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ServerConfig.of("file:///tmp/mlruns", Map.of()));
    assertTrue(e.getMessage().contains("http://127.0.0.1:5000"), e.getMessage());
    IllegalArgumentException secret = assertThrows(IllegalArgumentException.class,
        () -> ServerConfig.of("databricks://u:secret@x", Map.of()));
    assertFalse(secret.getMessage().contains("secret"), secret.getMessage());
  }

  private static String base64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
