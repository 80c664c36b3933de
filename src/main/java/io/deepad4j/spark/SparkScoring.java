package io.deepad4j.spark;

import io.deepad4j.data.CsvDataset;
import io.deepad4j.data.CsvLines;
import io.deepad4j.data.DataException;
import io.deepad4j.models.ModelFolder;
import io.deepad4j.models.Scorer;
import io.deepad4j.run.RunFolder;
import io.deepad4j.spec.SpecException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.spark.SparkFiles;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code runner score MODEL INPUT... --spark URL --output DIR}: every CSV / CSV.gz file is one
 * partition; each executor loads the model once (shipped with {@code SparkContext.addFile}) and
 * writes the partition's scores as {@code DIR/part-NNNNN-<file>.csv}: the id columns the user names,
 * the row's index in its file (as {@code runner score} numbers rows), the score, and the decision
 * at the threshold ({@code anomaly} = 1 when score &gt; threshold, the runs' convention).
 */
final class SparkScoring {
  private static final Logger log = LoggerFactory.getLogger("spark");
  static final String MANIFEST = "scoring.json";

  private SparkScoring() {}

  static int run(String master, Path modelDir, List<Path> inputs, Path output, List<String> idColumns,
      Double threshold) {
    if (output == null) {
      throw new SpecException("--spark scoring writes a folder of partitioned CSV files: give it with --output DIR");
    }
    List<Path> files = expand(inputs);
    ModelFolder.SavedThreshold saved = threshold != null ? null : savedThreshold(modelDir);
    double cut = threshold != null ? threshold : saved.threshold().value();
    // a missing or broken model folder fails here, before Spark starts (a DataException naming the file: exit 3)
    List<String> features = ModelFolder.features(modelDir);
    ModelFolder.load(modelDir).close();
    Path out = output.toAbsolutePath().normalize();
    try {
      if (Files.exists(out) && (!Files.isDirectory(out) || Files.list(out).findAny().isPresent())) {
        throw new SpecException("--output " + output + " exists and is not an empty folder; give a new one");
      }
      Files.createDirectories(out);
    } catch (IOException e) {
      throw new SpecException("--output " + output + ": cannot create the folder (" + e.getMessage() + ")");
    }

    Path model = modelDir.toAbsolutePath().normalize();
    try (JavaSparkContext sc = SparkTrialLauncher.start("deepad4j score " + model.getParent().getFileName(), master, 1)) {
      // executors get the model as an archive Spark unpacks once per executor (addFile takes no local folder)
      String archive = "deepad4j-model-" + Integer.toHexString(model.toString().hashCode()) + ".zip";
      Path zip;
      try {
        zip = zip(model, Files.createTempDirectory("deepad4j-score").resolve(archive));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot pack " + model + " for the executors: " + e.getMessage(), e);
      }
      sc.sc().addArchive(zip.toString());
      List<Part> parts = new ArrayList<>();
      for (int i = 0; i < files.size(); i++) {
        parts.add(new Part(i, files.get(i).toString(), archive, features,
            List.copyOf(idColumns), cut, out.toString()));
      }
      long t0 = System.nanoTime();
      sc.setJobDescription("deepad4j: score " + files.size() + " file(s) with " + model);
      List<String> done;
      try {
        done = sc.parallelize(parts, Math.max(1, parts.size())).map(SparkScoring::scorePart).collect();
      } catch (Exception e) { // SparkException is checked, but Scala does not declare it
        String m = String.valueOf(e.getMessage());
        int at = m.indexOf(DataException.class.getName() + ": ");
        if (at >= 0) { // bad data in a file: exit code 3, with the task's message (file, line, host)
          throw new DataException(SparkTrialLauncher.firstLine(m.substring(at + DataException.class.getName().length() + 2)), e);
        }
        throw e instanceof RuntimeException r ? r : new IllegalStateException("scoring failed on Spark: "
            + SparkTrialLauncher.firstLine(m), e);
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      long rows = done.stream().mapToLong(Long::parseLong).sum();
      Map<String, Object> manifest = new LinkedHashMap<>();
      manifest.put("model", model.toString());
      manifest.put("threshold", cut);
      manifest.put("threshold_from", threshold != null ? "--threshold" : saved.file().toString());
      manifest.put("id_columns", idColumns);
      manifest.put("columns", columns(idColumns));
      manifest.put("rows", rows);
      Map<String, Long> perFile = new LinkedHashMap<>();
      for (int i = 0; i < parts.size(); i++) {
        perFile.put(parts.get(i).outputName(), Long.parseLong(done.get(i)));
      }
      manifest.put("files", perFile);
      RunFolder.writeAtomically(out.resolve(MANIFEST), RunFolder.toJson(manifest));
      System.out.printf(Locale.ROOT, "scored %d rows of %d file(s) on Spark in %.1f s (threshold %s) -> %s%n", rows,
          files.size(), seconds, cut, out);
      return 0;
    }
  }

  /** The model folder as a zip archive (its files at the archive's root). */
  static Path zip(Path dir, Path zip) throws IOException {
    try (java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip));
        Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        out.putNextEntry(new java.util.zip.ZipEntry(dir.relativize(f).toString().replace('\\', '/')));
        Files.copy(f, out);
        out.closeEntry();
      }
    }
    zip.toFile().deleteOnExit();
    return zip;
  }

  /** The files named: CSV / CSV.gz files, and those of each folder given (not its subfolders). */
  static List<Path> expand(List<Path> inputs) {
    List<Path> files = new ArrayList<>();
    for (Path p : inputs) {
      if (Files.isDirectory(p)) {
        try (Stream<Path> s = Files.list(p)) {
          List<Path> found = s.filter(f -> Files.isRegularFile(f) && isCsv(f)).sorted().toList();
          if (found.isEmpty()) {
            throw new DataException(p + " holds no .csv or .csv.gz file to score");
          }
          found.forEach(f -> files.add(f.toAbsolutePath().normalize()));
        } catch (IOException e) {
          throw new DataException("cannot list " + p + ": " + e.getMessage(), e);
        }
      } else if (Files.isRegularFile(p)) {
        files.add(p.toAbsolutePath().normalize());
      } else {
        throw new DataException(p + ": no such file or folder to score");
      }
    }
    return files;
  }

  private static boolean isCsv(Path f) {
    String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
    return n.endsWith(".csv") || n.endsWith(".csv.gz");
  }

  /** The threshold saved with the model (see {@link ModelFolder#threshold}), or a SpecException saying to give one. */
  static ModelFolder.SavedThreshold savedThreshold(Path modelDir) {
    return ModelFolder.threshold(modelDir).orElseThrow(() -> new SpecException("the decision needs the model's"
        + " threshold: " + modelDir + " has none in its " + ModelFolder.DESCRIPTOR + " (a folder saved before"
        + " thresholds were) and no run folder's metrics.json beside it; give it with --threshold VALUE"));
  }

  static List<String> columns(List<String> idColumns) {
    List<String> c = new ArrayList<>(idColumns);
    c.addAll(List.of("row", "score", "anomaly"));
    return c;
  }

  /** One input file: what its task needs. */
  record Part(int index, String file, String modelName, List<String> features, List<String> idColumns,
      double threshold, String outputDir) implements Serializable {
    String outputName() {
      String n = Path.of(file).getFileName().toString().replaceFirst("(?i)\\.csv(\\.gz)?$", "");
      return String.format(Locale.ROOT, "part-%05d-%s.csv", index, n.replaceAll("[^A-Za-z0-9._-]", "_"));
    }
  }

  /** Models loaded by this executor JVM, by the local path SparkFiles gave them. */
  private static final Map<String, Scorer> MODELS = new ConcurrentHashMap<>();

  static Scorer model(String name) {
    String local = SparkFiles.get(name);
    return MODELS.computeIfAbsent(local, p -> {
      try {
        return ModelFolder.load(Path.of(p));
      } catch (DataException e) {
        throw new DataException("on Spark worker " + TrialTask.hostName() + ": " + e.getMessage(), e);
      }
    });
  }

  /** On an executor: scores one file into its part file (written whole, then renamed); returns its rows. */
  static String scorePart(Part part) throws IOException {
    Path file = Path.of(part.file());
    if (!Files.isRegularFile(file)) {
      throw new DataException("on Spark worker " + TrialTask.hostName() + ": " + file + " does not exist there;"
          + " inputs must be on a path every worker sees");
    }
    CsvDataset.FeatureRows rows = read(file, part.features(), part.idColumns());
    Scorer scorer = model(part.modelName());
    double[] scores;
    synchronized (scorer) {
      scores = scorer.score(rows.features());
    }
    Path out = Path.of(part.outputDir(), part.outputName());
    Path tmp = out.resolveSibling("." + out.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
    try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      w.write(String.join(",", columns(part.idColumns())));
      w.write('\n');
      for (int i = 0; i < scores.length; i++) {
        for (String id : part.idColumns().isEmpty() ? new String[0] : rows.kept().get(i)) {
          w.write(CsvLines.quote(id));
          w.write(',');
        }
        w.write(i + "," + scores[i] + "," + (scores[i] > part.threshold() ? 1 : 0) + "\n");
      }
    }
    Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return Long.toString(scores.length);
  }

  /**
   * The model's features and the id columns of a CSV or CSV.gz file with a header, read as {@code runner score}
   * reads (the one CSV reader: quotes, .gz, finite numbers only), so both score the same rows the same way.
   */
  static CsvDataset.FeatureRows read(Path file, List<String> features, List<String> idColumns) {
    try {
      return CsvDataset.readFeatures(file, features, idColumns);
    } catch (DataException e) {
      throw new DataException("on Spark worker " + TrialTask.hostName() + ": " + e.getMessage(), e);
    }
  }
}
