package io.deepad4j.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Names of what deepad4j writes under outputs/: the one sanitiser for names that come from a
 * user (experiment, run name, sweep name) and the one way to claim a file or folder name that no
 * other run, even one started in the same second, can also claim.
 */
public final class OutputNames {
  private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9._-]");

  private OutputNames() {}

  /**
   * A name that is one plain path element inside its parent folder: letters, digits, {@code . _ -}
   * are kept, anything else becomes {@code _}, and a leading dot becomes {@code _} too, so neither
   * {@code .} nor {@code ..} (nor a hidden name) can leave outputs/ or hide in it. Whenever a
   * character had to change, the first 8 hex digits of the name's SHA-256 are appended: two
   * different names never share a folder ({@code Modèle} and {@code Modéle} would both be
   * {@code Mod_le} otherwise), and the same name always maps to the same folder.
   */
  public static String safe(String name) {
    String mapped = UNSAFE.matcher(name).replaceAll("_");
    int dots = 0;
    while (dots < mapped.length() && mapped.charAt(dots) == '.') {
      dots++;
    }
    mapped = "_".repeat(dots) + mapped.substring(dots);
    if (mapped.isEmpty()) {
      mapped = "_";
    }
    return mapped.equals(name) ? name : mapped + "-" + shortHash(name);
  }

  /**
   * Claims {@code dir/stem + suffix}, or {@code stem-2 + suffix}, {@code stem-3 + suffix}, ... when
   * it exists, by creating it empty (an atomic create-if-absent): the caller then fills it with
   * {@link RunFolder#writeAtomically}. Returns the claimed path.
   */
  public static Path claimFile(Path dir, String stem, String suffix) {
    return claim(dir, stem, suffix, false);
  }

  /** As {@link #claimFile}, for a folder (a run folder: {@code <run_name>-<stamp>[-N]}). */
  public static Path claimFolder(Path dir, String stem) {
    return claim(dir, stem, "", true);
  }

  private static Path claim(Path dir, String stem, String suffix, boolean folder) {
    try {
      Files.createDirectories(dir);
      for (int i = 1; ; i++) {
        Path candidate = dir.resolve((i == 1 ? stem : stem + "-" + i) + suffix);
        try {
          return folder ? Files.createDirectory(candidate) : Files.createFile(candidate);
        } catch (FileAlreadyExistsException e) {
          // made by another run in the same second: take the next suffix
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a " + (folder ? "folder" : "file") + " under " + dir + ": "
          + e.getMessage(), e);
    }
  }

  private static String shortHash(String name) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
