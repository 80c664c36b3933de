package io.deepad4j.sweep;

import io.deepad4j.spec.ResolvedSpec;
import io.deepad4j.spec.SpecException;
import io.deepad4j.spec.SpecLoader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Turns a sweep file into its trials: the points of the grid (or the random draws), times the
 * repeats, each as a spec validated by {@link SpecLoader}. Every trial is checked before the first
 * one runs, so a bad value anywhere in the search space stops the sweep at once, naming the sweep
 * file's line and the key.
 */
public final class SweepPlanner {
  private final SpecLoader loader;

  public SweepPlanner(SpecLoader loader) {
    this.loader = loader;
  }

  /** The trials of a sweep, and what they were made from. */
  public record Plan(String name, SweepConfig config, ResolvedSpec base, List<Map<String, Object>> points,
      List<Trial> trials) {}

  /**
   * @param name the sweep's name: the prefix of its trials' run names
   * @param baseOverrides key=value overrides applied to the base spec for every trial
   * @param cores the CPU cores to share between the parallel trials (threads per trial = cores / parallel)
   */
  public Plan plan(String name, SweepConfig config, List<String> baseOverrides, int cores) {
    ResolvedSpec base = loader.load(config.base(), baseOverrides);
    List<Map<String, Object>> points = config.method() == SweepConfig.Method.GRID
        ? grid(config.params())
        : random(config.params(), config.samples(), config.seed() != null ? config.seed() : base.seed());
    boolean userThreads = config.params().containsKey("threads")
        || baseOverrides.stream().anyMatch(o -> o.trim().startsWith("threads="));
    int threads = Math.max(1, cores / config.parallel());
    String width = "%0" + Integer.toString(points.size()).length() + "d";

    List<Trial> trials = new ArrayList<>();
    Set<String> problems = new LinkedHashSet<>();
    for (int i = 0; i < points.size(); i++) {
      Map<String, Object> point = points.get(i);
      long firstSeed = point.containsKey("seed") ? ((Number) point.get("seed")).longValue() : base.seed();
      for (int r = 0; r < config.repeats(); r++) {
        long seed = firstSeed + r;
        List<String> overrides = new ArrayList<>(baseOverrides);
        point.forEach((k, v) -> overrides.add(k + "=" + render(v)));
        overrides.add("seed=" + seed);
        if (!userThreads) {
          overrides.add("threads=" + threads);
        }
        if (!point.containsKey("run_name")) {
          overrides.add("run_name=" + render(trialName(name, point, i + 1, width, config.repeats() > 1 ? seed : null)));
        }
        try {
          ResolvedSpec spec = loader.load(config.base(), base.sourceText(), overrides);
          trials.add(new Trial(trials.size() + 1, i + 1, point, seed, spec, TrialHash.of(spec)));
        } catch (SpecException e) {
          e.problems().forEach(p -> problems.add(locate(p, point, config)));
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new SpecException(new ArrayList<>(problems));
    }
    return new Plan(name, config, base, points, trials);
  }

  /** Trial run names longer than this are cut and end with the point's number instead. */
  static final int MAX_TRIAL_NAME = 100;

  /**
   * A trial's run name from its values, as a user reads it in MLflow's runs table:
   * {@code kdd_ae_lr learning_rate=0.01 latent_dim=4} (the last part of each swept key; the whole key where
   * two swept keys end alike; numbers to 4 significant digits; lists without spaces), then {@code seed=N}
   * when the point repeats with several seeds. A name over {@value #MAX_TRIAL_NAME} characters is cut and
   * ends with {@code p<point>}, so that it stays unique. Run folders take the name through
   * {@code OutputNames.safe}.
   */
  static String trialName(String sweep, Map<String, Object> point, int pointNumber, String width, Long seed) {
    Map<String, Long> lastParts = new java.util.HashMap<>();
    point.keySet().forEach(k -> lastParts.merge(lastPart(k), 1L, Long::sum));
    StringBuilder name = new StringBuilder(sweep);
    point.forEach((k, v) -> {
      if (!k.equals("seed")) {
        String key = lastParts.get(lastPart(k)) > 1 ? k : lastPart(k);
        name.append(' ').append(key).append('=').append(compact(v));
      }
    });
    Object pointSeed = point.get("seed");
    if (seed != null) {
      name.append(" seed=").append(seed);
    } else if (pointSeed != null) {
      name.append(" seed=").append(pointSeed);
    }
    String suffix = " p" + String.format(width, pointNumber) + (seed != null ? " seed=" + seed : "");
    if (name.length() > MAX_TRIAL_NAME) {
      return name.substring(0, MAX_TRIAL_NAME - suffix.length()).stripTrailing() + suffix;
    }
    return name.toString();
  }

  private static String lastPart(String key) {
    return key.substring(key.lastIndexOf('.') + 1);
  }

  /** A value as short text: numbers to 4 significant digits, lists as [a,b], strings as they are. */
  private static String compact(Object v) {
    if (v instanceof List<?> list) {
      return "[" + String.join(",", list.stream().map(SweepPlanner::compact).toList()) + "]";
    }
    return SweepSummary.format(v);
  }

  /** Every combination, the last key varying fastest (like nested loops in the order written). */
  static List<Map<String, Object>> grid(Map<String, ParamSpace> params) {
    List<Map<String, Object>> points = new ArrayList<>();
    points.add(new LinkedHashMap<>());
    for (var e : params.entrySet()) {
      List<Map<String, Object>> next = new ArrayList<>();
      for (Map<String, Object> p : points) {
        for (Object v : e.getValue().gridValues()) {
          Map<String, Object> q = new LinkedHashMap<>(p);
          q.put(e.getKey(), v);
          next.add(q);
        }
      }
      points = next;
    }
    return points.stream().map(java.util.Collections::unmodifiableMap).toList();
  }

  /**
   * {@code samples} distinct points, each key drawn independently; the same seed gives the same
   * points. A draw equal to an earlier point is drawn again (the parser has checked that the space
   * holds enough distinct points).
   */
  static List<Map<String, Object>> random(Map<String, ParamSpace> params, int samples, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Map<String, Object>> points = new ArrayList<>();
    Set<Map<String, Object>> seen = new HashSet<>();
    while (points.size() < samples) {
      Map<String, Object> p = new LinkedHashMap<>();
      params.forEach((k, space) -> p.put(k, space.sample(random)));
      if (seen.add(p)) {
        points.add(java.util.Collections.unmodifiableMap(p));
      }
    }
    return points;
  }

  /**
   * A value as the right-hand side of a key=value override that {@link SpecLoader} reads back as the
   * same value: strings quoted only when YAML would read them as something else, lists in flow style.
   */
  static String render(Object v) {
    if (v instanceof List<?> list) {
      return "[" + String.join(", ", list.stream().map(SweepPlanner::render).toList()) + "]";
    }
    if (v instanceof String s) {
      Object back;
      try {
        back = s.isEmpty() ? null : new Yaml(new LoaderOptions()).load(s);
      } catch (RuntimeException e) {
        back = null;
      }
      return s.equals(back) ? s : "'" + s.replace("'", "''") + "'";
    }
    return String.valueOf(v);
  }

  /** Replaces SpecLoader's "command line override 'k=v'" with the line of the sweep file that set k. */
  private static String locate(String problem, Map<String, Object> point, SweepConfig config) {
    for (var e : point.entrySet()) {
      String override = "command line override '" + e.getKey() + "=" + render(e.getValue()) + "'";
      if (problem.startsWith(override)) {
        return config.lines().get(e.getKey()) + ": sweep value " + e.getKey() + "=" + render(e.getValue())
            + problem.substring(override.length());
      }
    }
    return problem;
  }
}
