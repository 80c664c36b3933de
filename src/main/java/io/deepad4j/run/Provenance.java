package io.deepad4j.run;

import io.deepad4j.data.DataFiles;
import io.deepad4j.models.ModelFolder;
import io.deepad4j.spec.ResolvedSpec;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a run's model was made from, as Tribuo's provenance records it: the data files by name and
 * SHA-256, the data set, protocol and split seed, and the code (git commit, deepad4j version). It is
 * saved in the model folder's detector.json and tagged on the MLflow run, so a model can be traced to
 * the exact bytes it was trained and evaluated on. The resolved spec itself travels beside it
 * (config.yaml, the MLflow params).
 *
 * @param dataFiles file name -> lower-case hex SHA-256
 */
public record Provenance(String dataset, String protocol, long splitSeed, Map<String, String> dataFiles,
    String gitCommit, String version) {

  /** Hashes the data files of {@code spec} (a few ms for the KDD files). */
  public static Provenance of(ResolvedSpec spec) {
    Map<String, String> files = new LinkedHashMap<>();
    for (Path f : Datasets.files(spec)) {
      files.put(f.getFileName().toString(), DataFiles.sha256(f));
    }
    String protocol = switch (spec.getString("dataset.name")) {
      case "kdd99" -> spec.getString("dataset.protocol");
      case "npz", "adbench" -> spec.getString("dataset.setting"); // ADBench's split in that setting
      default -> null;
    };
    return new Provenance(spec.getString("dataset.name"), protocol, spec.seed(), java.util.Collections.unmodifiableMap(files),
        GitInfo.commit().orElse(null), ModelFolder.version());
  }

  /** For detector.json. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("dataset", dataset);
    m.put("protocol", protocol);
    m.put("split_seed", splitSeed);
    m.put("data_sha256", new LinkedHashMap<>(dataFiles));
    m.put("git_commit", gitCommit);
    m.put("deepad4j_version", version);
    return m;
  }

  /** MLflow tags: {@code deepad4j.data.sha256.<file>} per data file and the split seed. */
  public Map<String, String> tags() {
    Map<String, String> t = new LinkedHashMap<>();
    dataFiles.forEach((file, hash) -> t.put("deepad4j.data.sha256." + file, hash));
    t.put("deepad4j.data.split_seed", Long.toString(splitSeed));
    return t;
  }
}
