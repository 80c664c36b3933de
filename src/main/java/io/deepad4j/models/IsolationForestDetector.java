package io.deepad4j.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deepad4j.engine.TrainingHistory;
import io.deepad4j.preprocessing.Scaler;
import io.deepad4j.spec.Param;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Isolation forest (Liu, Ting and Zhou, "Isolation Forest", ICDM 2008): anomalies are few and
 * different, so random splits isolate them in fewer steps than normal rows.
 *
 * <p>Each of {@code model.n_estimators} trees grows on its own sample of psi = min({@code
 * model.max_samples}, training rows) rows drawn without replacement, down to the height limit
 * ceil(log2 psi): a node picks a random feature among those that vary in the node (a node where
 * none varies, or with one row, is an external node) and a split value uniform in [min, max) of
 * that feature in the node; rows below the value go left. The path length h(x) of a row is the
 * number of edges to the external node it reaches plus c(size) for that node's training rows
 * (the average path length of an unsuccessful search in a binary search tree of that size):
 * c(n) = 2 H(n - 1) - 2 (n - 1) / n with H(i) = ln(i) + Euler's constant, c(2) = 1, c(1) = c(0) = 0.
 * Score = 2^(-E[h(x)] / c(psi)): near 1 for anomalies, at most about 0.5 for normal rows.
 *
 * <p>Tree t draws from the t-th {@link SplittableRandom#split} of the run's seed: the same seed grows
 * the same trees. Works on the scaled rows (a split uniform between min and max is the same under
 * any per-feature affine scaling). Saved as {@value #FILE_NAME}: per tree, its nodes in preorder as
 * parallel arrays, and as a TensorFlow SavedModel of the same score (the trees as node arrays walked by gathers).
 */
public final class IsolationForestDetector implements Detector {
  public static final String FILE_NAME = "iforest.json";
  /** Euler's constant, in the harmonic number approximation of c(n). */
  static final double EULER_GAMMA = 0.5772156649015329;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The isolation forest's keys (model.*); names as the paper's and scikit-learn's. */
  public record Config(
      @Param(value = "100", min = 1, max = 100_000, doc = "trees (the paper's t)") int nEstimators,
      @Param(value = "256", min = 2, max = Integer.MAX_VALUE, doc = "rows per tree, drawn without replacement (the paper's psi;"
          + " at most the training rows); trees grow to depth ceil(log2 psi)") int maxSamples) {}

  /**
   * One tree's nodes in preorder. Node i is internal when feature[i] >= 0: rows with value <
   * split[i] go to left[i], the others to right[i]; an external node (feature -1) holds size[i]
   * training rows.
   */
  record Tree(int[] feature, double[] split, int[] left, int[] right, int[] size) {
    /** h(x): edges to x's external node plus c(that node's size). */
    double pathLength(float[] x) {
      int node = 0;
      int depth = 0;
      while (feature[node] >= 0) {
        node = x[feature[node]] < split[node] ? left[node] : right[node];
        depth++;
      }
      return depth + averagePathLength(size[node]);
    }

    int nodes() {
      return feature.length;
    }
  }

  private final Config c;
  private Fitted fitted;

  public IsolationForestDetector(Config c) {
    this.c = c;
  }

  private record Fitted(Scaler scaler, List<Tree> trees, int samples) {
    double[] score(float[][] raw) {
      float[][] x = scaler.transform(raw);
      double norm = averagePathLength(samples);
      double[] s = new double[x.length];
      IntStream.range(0, x.length).parallel().forEach(i -> {
        double sum = 0;
        for (Tree t : trees) {
          sum += t.pathLength(x[i]);
        }
        s[i] = Math.pow(2, -(sum / trees.size()) / norm);
      });
      return s;
    }
  }

  /** c(n) = 2 H(n - 1) - 2 (n - 1) / n, H(i) = ln(i) + Euler's constant; c(2) = 1, c(n <= 1) = 0. */
  static double averagePathLength(int n) {
    if (n <= 1) {
      return 0;
    }
    if (n == 2) {
      return 1;
    }
    return 2 * (Math.log(n - 1) + EULER_GAMMA) - 2.0 * (n - 1) / n;
  }

  @Override
  public TrainingHistory fit(float[][] train, Scaler scaler, RunContext context) {
    fitted = null;
    if (train.length < 2) {
      throw new IllegalArgumentException("an isolation forest needs at least 2 training rows, got " + train.length);
    }
    float[][] x = scaler.transform(train);
    int samples = Math.min(c.maxSamples(), x.length);
    fitted = new Fitted(scaler, grow(x, c.nEstimators(), samples, context.seed()), samples);
    return new TrainingHistory();   // no epochs
  }

  /** {@code trees} trees of {@code samples} rows each, tree t seeded by the t-th split of {@code seed}. */
  static List<Tree> grow(float[][] x, int trees, int samples, long seed) {
    SplittableRandom root = new SplittableRandom(seed);
    SplittableRandom[] random = new SplittableRandom[trees];
    for (int t = 0; t < trees; t++) {
      random[t] = root.split();
    }
    int heightLimit = (int) Math.ceil(Math.log(samples) / Math.log(2));
    return IntStream.range(0, trees).parallel()
        .mapToObj(t -> new TreeBuilder(x, random[t], heightLimit).build(TrainingRows.sample(x.length, samples, random[t].nextLong())))
        .toList();
  }

  /** Grows one tree on the rows of x given by index, in preorder. */
  private static final class TreeBuilder {
    private final float[][] x;
    private final SplittableRandom random;
    private final int heightLimit;
    private final List<int[]> nodes = new ArrayList<>();   // feature, left, right, size
    private final List<Double> splits = new ArrayList<>();

    TreeBuilder(float[][] x, SplittableRandom random, int heightLimit) {
      this.x = x;
      this.random = random;
      this.heightLimit = heightLimit;
    }

    Tree build(int[] rows) {
      node(rows, rows.length, 0);
      int n = nodes.size();
      int[] feature = new int[n];
      int[] left = new int[n];
      int[] right = new int[n];
      int[] size = new int[n];
      double[] split = new double[n];
      for (int i = 0; i < n; i++) {
        int[] v = nodes.get(i);
        feature[i] = v[0];
        left[i] = v[1];
        right[i] = v[2];
        size[i] = v[3];
        split[i] = splits.get(i);
      }
      return new Tree(feature, split, left, right, size);
    }

    /** Adds the node of rows[0..count) at {@code depth} and its subtree; returns its index. */
    private int node(int[] rows, int count, int depth) {
      int id = nodes.size();
      int[] v = {-1, -1, -1, count};
      nodes.add(v);
      splits.add(0.0);
      if (depth >= heightLimit || count <= 1) {
        return id;
      }
      int features = x[0].length;
      int[] varying = new int[features];
      float[] min = new float[features];
      float[] max = new float[features];
      int candidates = 0;
      for (int j = 0; j < features; j++) {
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (int r = 0; r < count; r++) {
          float value = x[rows[r]][j];
          lo = Math.min(lo, value);
          hi = Math.max(hi, value);
        }
        if (hi > lo) {
          min[candidates] = lo;
          max[candidates] = hi;
          varying[candidates++] = j;
        }
      }
      if (candidates == 0) {
        return id;   // every row the same: nothing to split
      }
      int pick = random.nextInt(candidates);
      int feature = varying[pick];
      double split = min[pick] + random.nextDouble() * ((double) max[pick] - min[pick]);
      int below = 0;   // partition rows[0..count) in place: values < split first
      for (int r = 0; r < count; r++) {
        if (x[rows[r]][feature] < split) {
          int t = rows[below];
          rows[below++] = rows[r];
          rows[r] = t;
        }
      }
      int[] rightRows = java.util.Arrays.copyOfRange(rows, below, count);
      v[0] = feature;
      splits.set(id, split);
      v[1] = node(rows, below, depth + 1);
      v[2] = node(rightRows, count - below, depth + 1);
      return id;
    }
  }

  private Fitted fitted() {
    return Detector.requireFitted(fitted);
  }

  @Override
  public double[] score(float[][] rows) {
    return fitted().score(rows);
  }

  /** The trees (for tests). */
  List<Tree> trees() {
    return fitted().trees();
  }

  /** Per node: feature and split of internal nodes, size of external ones. */
  @Override
  public long parameterCount() {
    long n = 0;
    for (Tree t : fitted().trees()) {
      for (int f : t.feature()) {
        n += f >= 0 ? 2 : 1;
      }
    }
    return n;
  }

  @Override
  public void save(Path modelDir) throws IOException {
    Fitted f = fitted();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("max_samples", f.samples());
    m.put("features", f.scaler().featureNames());
    m.put("note", "rows are scaled by " + Scaler.FILE_NAME + " first; per tree, nodes in preorder from the root (0): "
        + "internal when feature >= 0 (x[feature] < split goes to left, else right), else external with size training"
        + " rows; h(x) = edges + c(size), c(n) = 2 (ln(n - 1) + 0.5772156649015329) - 2 (n - 1) / n, c(2) = 1,"
        + " c(1) = c(0) = 0; score = 2^(-mean h(x) / c(max_samples))");
    List<Map<String, Object>> trees = new ArrayList<>();
    for (Tree t : f.trees()) {
      Map<String, Object> tm = new LinkedHashMap<>();
      tm.put("feature", t.feature());
      tm.put("split", t.split());
      tm.put("left", t.left());
      tm.put("right", t.right());
      tm.put("size", t.size());
      trees.add(tm);
    }
    m.put("trees", trees);
    JSON.writeValue(modelDir.resolve(FILE_NAME).toFile(), m);
    io.deepad4j.engine.ScoreGraph.export(modelDir.resolve(TfDetector.SAVED_MODEL_DIR), f.scaler().offset(),
        f.scaler().scale(), (tf, scaled) -> scoreGraph(tf, scaled, f.trees(), f.samples()));
  }

  /**
   * The score in a graph: every tree's nodes in one set of arrays (feature, split, left, right, and per node the
   * path length it adds, c(size) for an external node); each row holds one current node per tree, and each of
   * (deepest external node) steps moves it to its child where it is internal (x[feature] < split: left), by
   * gathers, counting the edges; then h = edges + c(size) and the score as {@link Fitted#score}, in float64.
   */
  private static org.tensorflow.Operand<org.tensorflow.types.TFloat64> scoreGraph(org.tensorflow.op.Ops tf,
      org.tensorflow.Operand<org.tensorflow.types.TFloat32> scaled, List<Tree> trees, int samples) {
    int total = trees.stream().mapToInt(Tree::nodes).sum();
    int[] feature = new int[total];
    double[] split = new double[total];
    int[] left = new int[total];
    int[] right = new int[total];
    double[] external = new double[total];
    int[] roots = new int[trees.size()];
    int depth = 0;
    int at = 0;
    for (int t = 0; t < trees.size(); t++) {
      Tree tree = trees.get(t);
      roots[t] = at;
      int[] level = new int[tree.nodes()];
      for (int i = 0; i < tree.nodes(); i++) {   // preorder: a parent comes before its children
        feature[at + i] = tree.feature()[i];
        split[at + i] = tree.split()[i];
        boolean internal = tree.feature()[i] >= 0;
        left[at + i] = at + (internal ? tree.left()[i] : i);
        right[at + i] = at + (internal ? tree.right()[i] : i);
        external[at + i] = internal ? 0 : averagePathLength(tree.size()[i]);
        if (internal) {
          level[tree.left()[i]] = level[i] + 1;
          level[tree.right()[i]] = level[i] + 1;
        }
        depth = Math.max(depth, level[i]);
      }
      at += tree.nodes();
    }
    var zero = tf.constant(0);
    var x = io.deepad4j.engine.ScoreGraph.doubles(tf, scaled);
    var firstColumn = io.deepad4j.engine.ScoreGraph.column(tf, x, 0);   // [-1, 1], to give the batch its size
    org.tensorflow.Operand<org.tensorflow.types.TInt32> node = tf.math.add(
        tf.dtypes.cast(tf.zerosLike(firstColumn), org.tensorflow.types.TInt32.class),
        tf.expandDims(tf.constant(roots), zero));   // [-1, trees]
    org.tensorflow.Operand<org.tensorflow.types.TFloat64> edges = tf.math.mul(tf.zerosLike(firstColumn),
        tf.zerosLike(tf.expandDims(tf.constant(new double[trees.size()]), zero)));
    var featureC = tf.constant(feature);
    var splitC = tf.constant(split);
    var leftC = tf.constant(left);
    var rightC = tf.constant(right);
    for (int step = 0; step < depth; step++) {
      var f = tf.gather(featureC, node, zero);
      var internal = tf.math.greaterEqual(f, zero);
      var value = tf.gather(x, tf.math.maximum(f, zero), tf.constant(1),
          org.tensorflow.op.core.Gather.batchDims(1L));
      var next = tf.select(tf.math.less(value, tf.gather(splitC, node, zero)), tf.gather(leftC, node, zero),
          tf.gather(rightC, node, zero));
      node = tf.select(internal, next, node);
      edges = tf.math.add(edges, tf.dtypes.cast(internal, org.tensorflow.types.TFloat64.class));
    }
    var path = tf.math.add(edges, tf.gather(tf.constant(external), node, zero));
    var mean = tf.math.div(tf.reduceSum(path, tf.constant(1)), tf.constant((double) trees.size()));
    return tf.math.pow(tf.constant(2.0), tf.math.div(tf.math.neg(mean), tf.constant(averagePathLength(samples))));
  }

  @Override
  public SavedFormat savedFormat() {
    return SavedFormat.javaAndTensorflow(FILE_NAME, null);
  }

  /** Loads a saved isolation forest; {@code scaler} is the model folder's preprocessing. */
  public static Scorer load(Path modelDir, Scaler scaler) throws IOException {
    Path file = modelDir.resolve(FILE_NAME);
    JsonNode n = ModelFolder.readModelFile(modelDir, FILE_NAME, "an isolation forest");
    if (!n.path("max_samples").canConvertToInt() || n.get("max_samples").asInt() < 2 || !n.path("trees").isArray()
        || n.get("trees").isEmpty()) {
      throw new IOException(file + ": needs max_samples (an integer >= 2) and a non-empty trees list; the file is damaged");
    }
    int features = scaler.featureNames().size();
    List<Tree> trees = new ArrayList<>();
    for (JsonNode t : n.get("trees")) {
      Tree tree = new Tree(array(t, "feature", int[].class, file), array(t, "split", double[].class, file),
          array(t, "left", int[].class, file), array(t, "right", int[].class, file), array(t, "size", int[].class, file));
      check(tree, features, file, trees.size());
      trees.add(tree);
    }
    return new Fitted(scaler, List.copyOf(trees), n.get("max_samples").asInt())::score;
  }

  private static <T> T array(JsonNode tree, String key, Class<T> type, Path file) throws IOException {
    if (!tree.path(key).isArray()) {
      throw new IOException(file + ": a tree has no '" + key + "' list; the file is damaged");
    }
    return JSON.treeToValue(tree.get(key), type);
  }

  /** Same-length arrays, features in range, children after their parent (so every walk ends). */
  private static void check(Tree t, int features, Path file, int which) throws IOException {
    int n = t.nodes();
    if (n == 0 || t.split().length != n || t.left().length != n || t.right().length != n || t.size().length != n) {
      throw new IOException(file + ": tree " + which + " has lists of different lengths; the file is damaged");
    }
    for (int i = 0; i < n; i++) {
      int f = t.feature()[i];
      boolean internal = f >= 0;
      if (f >= features || f < -1 || (internal && (t.left()[i] <= i || t.left()[i] >= n || t.right()[i] <= i
          || t.right()[i] >= n))) {
        throw new IOException(file + ": tree " + which + " node " + i + " points outside the tree or to feature " + f
            + " of " + features + "; the file is damaged");
      }
    }
  }
}
