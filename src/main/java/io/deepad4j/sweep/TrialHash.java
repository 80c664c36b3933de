package io.deepad4j.sweep;

import io.deepad4j.spec.ResolvedSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * A trial's identity for {@code --resume}: SHA-256 of its resolved spec as sorted {@code key=value}
 * lines. Keys that do not change what is computed are left out (tracking.*, run_name, threads), so a
 * sweep resumed with another --parallel or tracking server still recognises its finished trials.
 */
public final class TrialHash {
  private TrialHash() {}

  public static String of(ResolvedSpec spec) {
    Map<String, String> sorted = new TreeMap<>();
    spec.values().forEach((k, v) -> {
      if (!k.startsWith("tracking.") && !k.equals("run_name") && !k.equals("threads")) {
        sorted.put(k, String.valueOf(v));
      }
    });
    StringBuilder text = new StringBuilder();
    sorted.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8); // 64 bits: no collision among a sweep's trials
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
