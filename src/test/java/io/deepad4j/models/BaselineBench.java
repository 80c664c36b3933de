package io.deepad4j.models;

import io.deepad4j.engine.TrainingHistory;
import io.deepad4j.preprocessing.Scaler;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Fit and score times of the native baselines on one large synthetic case (not a test; run by
 * tools/baseline-bench.sh): a Gaussian blob of {@code rows} x {@code features} training rows, the same
 * number of rows scored, each model with its defaults (kNN and LOF: the training-row cap). Prints a
 * markdown table.
 *
 * <p>Arguments: rows (default 400000), features (default 10), model types (default iforest,ecod,knn,lof),
 * then any model.key=value overrides.
 */
public final class BaselineBench {
  private BaselineBench() {}

  public static void main(String[] args) {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 400_000;
    int features = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    List<String> types = List.of((args.length > 2 ? args[2] : "iforest,ecod,knn,lof").split(","));
    String[] overrides = args.length > 3 ? java.util.Arrays.copyOfRange(args, 3, args.length) : new String[0];
    float[][] train = blob(rows, features, 1);
    float[][] test = blob(rows, features, 2);
    List<String> names = IntStream.range(0, features).mapToObj(j -> "f" + j).toList();
    Scaler scaler = Scaler.fit(Scaler.Kind.MINMAX, names, train);
    System.out.printf(Locale.ROOT, "%d training rows and %d scored rows, %d features, %d cores%n%n", rows, rows, features,
        Runtime.getRuntime().availableProcessors());
    System.out.println("| model | rows kept | fit (s) | score (s) | fit + score (s) |");
    System.out.println("|---|---:|---:|---:|---:|");
    for (String type : types) {
      try (Detector d = ModelRegistry.get().create(DetectorContract.spec(type, overrides))) {
        long t0 = System.nanoTime();
        TrainingHistory h = d.fit(train, scaler, RunContext.cpu(7));
        long t1 = System.nanoTime();
        d.score(test);
        long t2 = System.nanoTime();
        Double kept = h.fitMetrics().get(TrainingRows.ROWS_METRIC);
        System.out.printf(Locale.ROOT, "| %s | %s | %.2f | %.2f | %.2f |%n", type, kept == null ? "all" : String.valueOf(kept.longValue()),
            (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t2 - t0) / 1e9);
      }
    }
  }

  private static float[][] blob(int rows, int features, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[][] x = new float[rows][features];
    for (float[] row : x) {
      for (int j = 0; j < features; j++) {
        row[j] = (float) r.nextGaussian();
      }
    }
    return x;
  }
}
