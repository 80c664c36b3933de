package io.deepad4j.sweep;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The values one swept key can take: a list of choices, an inclusive range with a step, or (random
 * search only) a uniform or log-uniform interval.
 */
public sealed interface ParamSpace {

  /** The values a grid visits, in order; throws for the continuous spaces. */
  List<Object> gridValues();

  /** One value drawn with {@code random}. */
  Object sample(SplittableRandom random);

  /** True when the space has finitely many values (choices and ranges). */
  default boolean discrete() {
    return true;
  }

  /** The space as the sweep file writes it, for MLflow params and logs. */
  String describe();

  /** {@code [a, b, c]}: one of the listed values (numbers, strings, lists such as [15, 7]). */
  record Choices(List<Object> values) implements ParamSpace {
    public Choices {
      values = java.util.Collections.unmodifiableList(new ArrayList<>(values)); // allows null (a key's "unset")
    }

    @Override
    public List<Object> gridValues() {
      return values;
    }

    @Override
    public Object sample(SplittableRandom random) {
      return values.get(random.nextInt(values.size()));
    }

    @Override
    public String describe() {
      return values.toString();
    }
  }

  /**
   * {@code {range: [from, to], step: s}}: from, from+s, ... up to and including {@code to} (within a
   * rounding tolerance for floats). Integers when from, to and step are all integers.
   */
  record Range(double from, double to, double step, boolean integers) implements ParamSpace {
    @Override
    public List<Object> gridValues() {
      List<Object> out = new ArrayList<>();
      // counting steps (not adding step repeatedly) keeps 0.1 + 0.1 + 0.1 from drifting past 'to'
      long n = (long) Math.floor((to - from) / step + 1e-9);
      for (long i = 0; i <= n; i++) {
        double v = from + i * step;
        if (integers) {
          out.add((int) Math.round(v));
        } else {
          out.add(roundToStep(v));
        }
      }
      return out;
    }

    /** Removes float noise (0.30000000000000004) at the precision of the step and bounds. */
    private double roundToStep(double v) {
      int digits = Math.max(decimals(step), Math.max(decimals(from), decimals(to)));
      return new java.math.BigDecimal(v).setScale(digits, java.math.RoundingMode.HALF_EVEN).doubleValue();
    }

    private static int decimals(double d) {
      return Math.max(0, new java.math.BigDecimal(Double.toString(d)).stripTrailingZeros().scale());
    }

    @Override
    public Object sample(SplittableRandom random) {
      List<Object> values = gridValues();
      return values.get(random.nextInt(values.size()));
    }

    @Override
    public String describe() {
      return integers
          ? "range [" + (long) from + ", " + (long) to + "] step " + (long) step
          : "range [" + from + ", " + to + "] step " + step;
    }
  }

  /** {@code {uniform: [low, high]}}: a float drawn uniformly (random search only). */
  record Uniform(double low, double high) implements ParamSpace {
    @Override
    public List<Object> gridValues() {
      throw new IllegalStateException("uniform has no grid");
    }

    @Override
    public Object sample(SplittableRandom random) {
      return low + (high - low) * random.nextDouble();
    }

    @Override
    public boolean discrete() {
      return false;
    }

    @Override
    public String describe() {
      return "uniform [" + low + ", " + high + "]";
    }
  }

  /** {@code {loguniform: [low, high]}}: exp of a uniform draw in [log low, log high] (random search only). */
  record LogUniform(double low, double high) implements ParamSpace {
    @Override
    public List<Object> gridValues() {
      throw new IllegalStateException("loguniform has no grid");
    }

    @Override
    public Object sample(SplittableRandom random) {
      double v = Math.exp(Math.log(low) + (Math.log(high) - Math.log(low)) * random.nextDouble());
      return Math.min(high, Math.max(low, v)); // exp(log(x)) may miss a bound by an ulp
    }

    @Override
    public boolean discrete() {
      return false;
    }

    @Override
    public String describe() {
      return "loguniform [" + low + ", " + high + "]";
    }
  }
}
