package io.deepad4j.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads arrays from NumPy's {@code .npz} format: a zip archive (entries stored or deflated, as
 * {@code numpy.savez} and {@code numpy.savez_compressed} write them) holding one {@code .npy} file
 * per array, named {@code <array>.npy}. Each array is read by {@link Npy}.
 */
public final class Npz {
  private Npz() {}

  /**
   * The arrays {@code names} of {@code file}, in that order; other entries are not read.
   *
   * @throws DataException naming the file and entry: not a zip, an array missing, a damaged entry,
   *     or anything {@link Npy} refuses
   */
  public static Map<String, NpyArray> read(Path file, List<String> names) {
    if (!Files.isRegularFile(file)) {
      throw new DataException(file + " does not exist (or is not a file); give the path of an .npz file.");
    }
    try (ZipFile zip = open(file)) {
      Map<String, NpyArray> arrays = new LinkedHashMap<>();
      for (String name : names) {
        ZipEntry entry = zip.getEntry(name + ".npy");
        if (entry == null) {
          throw new DataException(file + " has no array '" + name + "' (its arrays: " + arrayNames(zip) + "). Save it"
              + " with numpy.savez(file, X=X, y=y): X the rows (rows x features), y the labels (1 = anomaly).");
        }
        String where = file + ", entry '" + entry.getName() + "'";
        try (InputStream in = new BufferedInputStream(zip.getInputStream(entry), 1 << 16)) {
          arrays.put(name, Npy.read(in, where));
        } catch (ZipException e) {
          throw new DataException(where + " is damaged (" + e.getMessage() + "); get or write the file again.", e);
        }
      }
      return arrays;
    } catch (IOException e) {
      throw new DataException("Cannot read " + file + " (" + e + ").", e);
    }
  }

  private static ZipFile open(Path file) throws IOException {
    try {
      return new ZipFile(file.toFile());
    } catch (ZipException e) {
      byte[] start;
      try (InputStream in = Files.newInputStream(file)) {
        start = in.readNBytes(Npy.MAGIC.length);
      }
      if (java.util.Arrays.equals(start, Npy.MAGIC)) {
        throw new DataException(file + " is a single .npy array, not an .npz archive; save X and y together with"
            + " numpy.savez(file, X=X, y=y).", e);
      }
      throw new DataException(file + " is not an .npz file (a zip archive of .npy arrays): " + e.getMessage()
          + ". The file is damaged or truncated; get or write it again (numpy.savez / numpy.savez_compressed).", e);
    }
  }

  private static List<String> arrayNames(ZipFile zip) {
    List<String> names = new ArrayList<>();
    for (ZipEntry e : Collections.list(zip.entries())) {
      names.add(e.getName().endsWith(".npy") ? e.getName().substring(0, e.getName().length() - 4) : e.getName());
    }
    return names;
  }
}
