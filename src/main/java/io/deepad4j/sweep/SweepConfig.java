package io.deepad4j.sweep;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A validated sweep file: the base spec and the search. Immutable.
 *
 * @param file the sweep file (for messages; may be a generated file for {@code --sweep} on the command line)
 * @param text the sweep file as written, copied to the sweep folder as sweep.yaml
 * @param base the base experiment spec
 * @param samples points drawn by random search (0 for grid)
 * @param repeats seeds per point: the base seed, seed+1, ...
 * @param parallel trials run at once
 * @param seed the seed of random sampling; null = the base spec's seed
 * @param params the swept keys in the order written (a grid varies the last one fastest)
 * @param lines where each param is written ("file:line"), for messages about its values
 */
public record SweepConfig(Path file, String text, Path base, Method method, int samples, int repeats, int parallel,
    SweepObjective objective, Long seed, Map<String, ParamSpace> params, Map<String, String> lines) {

  /** How points are chosen. */
  public enum Method { GRID, RANDOM }

  public SweepConfig {
    params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    lines = Map.copyOf(lines);
  }

  /** The same sweep run with another number of parallel trials (--parallel). */
  public SweepConfig withParallel(int newParallel) {
    return new SweepConfig(file, text, base, method, samples, repeats, newParallel, objective, seed, params, lines);
  }

  /** The search as MLflow params of the sweep's parent run. */
  public Map<String, String> describe() {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("sweep.method", method.name().toLowerCase());
    if (method == Method.RANDOM) {
      out.put("sweep.samples", Integer.toString(samples));
      if (seed != null) {
        out.put("sweep.seed", Long.toString(seed));
      }
    }
    out.put("sweep.repeats", Integer.toString(repeats));
    out.put("sweep.parallel", Integer.toString(parallel));
    out.put("sweep.objective", objective.metric());
    out.put("sweep.mode", objective.mode());
    out.put("sweep.base", String.valueOf(base));
    params.forEach((k, v) -> out.put("sweep.params." + k, v.describe()));
    return out;
  }
}
