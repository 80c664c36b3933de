package io.deepad4j.sweep;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.deepad4j.run.RunFolder;
import io.deepad4j.spec.SpecException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A sweep's folder, outputs/sweeps/&lt;name&gt;-&lt;yyyyMMdd-HHmmss&gt;/: sweep.yaml (the sweep file as
 * run), state.json ({@link SweepState}), trials.jsonl (one {@link TrialRecord} per ended trial,
 * appended, so an interrupted sweep loses nothing), summary.csv, and the trials' run folders under
 * runs/&lt;experiment&gt;/ (so that outputs/&lt;experiment&gt;/ holds single runs only).
 */
public final class SweepFolder {
  private static final Logger log = LoggerFactory.getLogger(SweepFolder.class);
  /** Lenient with fields it does not know: a folder written by a newer version still resumes and compares. */
  static final ObjectMapper JSON = new ObjectMapper()
      .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  public static final String SWEEP_FILE = "sweep.yaml";
  public static final String STATE_FILE = "state.json";
  public static final String TRIALS_FILE = "trials.jsonl";
  public static final String SUMMARY_FILE = "summary.csv";
  /** Where the trials' run folders go: runs/&lt;experiment&gt;/&lt;run_name&gt;-&lt;stamp&gt;/. */
  public static final String RUNS_DIR = "runs";

  private final Path dir;

  private SweepFolder(Path dir) {
    this.dir = dir;
  }

  /** Creates a new, unique folder under {@code outputsRoot/sweeps}. */
  public static SweepFolder create(Path outputsRoot, String name) {
    return new SweepFolder(RunFolder.create(outputsRoot, "sweeps", name).dir());
  }

  /** An existing sweep folder, for --resume and compare. */
  public static SweepFolder open(Path dir) {
    if (!Files.isRegularFile(dir.resolve(STATE_FILE)) || !Files.isRegularFile(dir.resolve(SWEEP_FILE))) {
      throw new SpecException(dir + " is not a sweep folder (it has no " + STATE_FILE + " and "
          + SWEEP_FILE + "); give a folder under outputs/sweeps/");
    }
    return new SweepFolder(dir);
  }

  public static boolean isSweepFolder(Path dir) {
    return Files.isRegularFile(dir.resolve(STATE_FILE));
  }

  public Path dir() {
    return dir;
  }

  /** The outputs root of the sweep's trials (their run folders go under it as under outputs/). */
  public Path runsRoot() {
    return dir.resolve(RUNS_DIR);
  }

  public Path sweepFile() {
    return dir.resolve(SWEEP_FILE);
  }

  public void writeSweepFile(String text) {
    RunFolder.writeAtomically(sweepFile(), text);
  }

  public SweepState readState() {
    try {
      return JSON.readValue(dir.resolve(STATE_FILE).toFile(), SweepState.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + dir.resolve(STATE_FILE) + ": " + e.getMessage(), e);
    }
  }

  public void writeState(SweepState state) {
    RunFolder.writeAtomically(dir.resolve(STATE_FILE), RunFolder.toJson(state));
  }

  /** Appends one ended trial to trials.jsonl (called from the trial threads). */
  public synchronized void append(TrialRecord record) {
    try {
      Files.writeString(dir.resolve(TRIALS_FILE), JSON.writeValueAsString(record) + "\n", StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + dir.resolve(TRIALS_FILE) + ": " + e.getMessage(), e);
    }
  }

  /** Every record of trials.jsonl in order; a line torn by a killed process is skipped. */
  public List<TrialRecord> trials() {
    Path file = dir.resolve(TRIALS_FILE);
    List<TrialRecord> out = new ArrayList<>();
    if (!Files.exists(file)) {
      return out;
    }
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).isBlank()) {
          continue;
        }
        try {
          out.add(JSON.readValue(lines.get(i), TrialRecord.class));
        } catch (IOException e) {
          log.warn("{} line {}: skipping an unreadable line (a sweep killed while writing?)", file, i + 1);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return out;
  }

  /** The last record of each trial hash: what a resumed sweep and the summary go by. */
  public Map<String, TrialRecord> latestByHash() {
    Map<String, TrialRecord> latest = new LinkedHashMap<>();
    trials().forEach(r -> latest.put(r.hash(), r));
    return latest;
  }

  public void writeSummary(String csv) {
    RunFolder.writeAtomically(dir.resolve(SUMMARY_FILE), csv);
  }
}
