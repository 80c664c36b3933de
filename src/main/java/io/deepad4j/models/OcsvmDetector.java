package io.deepad4j.models;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.deepad4j.engine.TrainingHistory;
import io.deepad4j.data.JsonFiles;
import io.deepad4j.preprocessing.Scaler;
import io.deepad4j.spec.Param;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import libsvm.svm;
import libsvm.svm_model;
import libsvm.svm_node;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.anomaly.AnomalyFactory;
import org.tribuo.anomaly.Event;
import org.tribuo.anomaly.libsvm.LibSVMAnomalyModel;
import org.tribuo.anomaly.libsvm.LibSVMAnomalyTrainer;
import org.tribuo.anomaly.libsvm.SVMAnomalyType;
import org.tribuo.common.libsvm.KernelType;
import org.tribuo.common.libsvm.SVMParameters;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * One-class SVM (Schölkopf et al., "Estimating the support of a high-dimensional distribution",
 * Neural Computation 2001), the FF12 report's kernel baseline (models/ocsvm.py of
 * github.com/fastforwardlabs/deepad), trained by Tribuo's LibSVM trainer (Chang and Lin, LIBSVM,
 * 2011) on the scaled normal rows. Anomaly score = minus libsvm's decision value (which is
 * positive inside the learned support), as scikit-learn's {@code -decision_function}; its scale
 * grows with the number of training rows.
 *
 * <p>Rows are scaled by the {@link Scaler} here before they reach Tribuo, and handed over as
 * Tribuo examples whose feature names are exactly the scaler's (Tribuo matches features by name
 * and reads a name it does not know as 0). {@code max_train_rows} trains on a seeded sample of
 * the rows: libsvm's training time grows faster than linearly with the rows.
 *
 * <p>Training speed, without changing the problem libsvm solves: rows go to Tribuo as sparse
 * examples (their non-zero values only); with the rbf kernel and {@code center: auto} each
 * feature is first shifted by its most common training value (the kernel depends on x - y only,
 * and the shift makes more values 0); with {@code row_order: outliers_first} the rows come most
 * anomalous first by a pilot model on a sample (libsvm then starts near its solution). Scoring
 * runs on every core. The center is saved as {@value #CENTER_FILE}: a Tribuo user of
 * {@value #FILE_NAME} must subtract it from the scaled rows. Measured times, against scikit-learn
 * too: docs/PERFORMANCE.md. Most of the time is libsvm's sparse {@code Kernel.dot}.
 *
 * <p>Saved as {@value #FILE_NAME}, Tribuo's protobuf serialization, which deepad4j scores with, and as a
 * TensorFlow SavedModel of the same decision function ({@link #decisionGraph}: the support vectors, their
 * coefficients and rho as constants), which mlflow.pyfunc and {@code mlflow models serve} load.
 */
public final class OcsvmDetector implements Detector {
  public static final String FILE_NAME = "ocsvm.tribuo";
  /** File of the per-feature center subtracted from the scaled rows (rbf only). */
  public static final String CENTER_FILE = "ocsvm_center.json";
  /** Rows of the pilot model that orders the training rows; ordering is skipped below twice this. */
  static final int PILOT_ROWS = 5000;
  private static final Logger log = LoggerFactory.getLogger(OcsvmDetector.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** libsvm's kernels. */
  public enum Kernel { RBF, LINEAR, POLY, SIGMOID }

  /** The order of the training rows handed to libsvm (speed only). */
  public enum RowOrder { OUTLIERS_FIRST, GIVEN }

  /** Whether scaled rows are shifted before libsvm sees them (speed only). */
  public enum Center { AUTO, NONE }

  /** The one-class SVM's keys (model.*); names follow scikit-learn's OneClassSVM. */
  public record Config(
      @Param(value = "0.01", min = 1e-6, max = 1, doc = "upper bound on the share of training rows outside the support"
          + " (and lower bound on support vectors)") double nu,
      @Param(value = "0.5", min = 0, max = 1e6, doc = "kernel coefficient: exp(-gamma |x - y|^2) for rbf; 0 = 1 /"
          + " the number of features (scikit-learn's and PyOD's gamma='auto')") double gamma,
      @Param(value = "rbf", doc = "libsvm kernel") Kernel kernel,
      @Param(value = "3", min = 1, max = 100, doc = "poly kernel degree") int degree,
      @Param(value = "0.0", min = -1e6, max = 1e6, doc = "constant term of the poly and sigmoid kernels") double coef0,
      @Param(value = "500", min = 1, max = 1_000_000, doc = "libsvm kernel cache (speed only; needs that much Java heap)")
      int cacheSizeMb,
      @Param(value = "0", min = 0, max = Integer.MAX_VALUE, doc = "train on this many rows drawn with the seed; 0 = every"
          + " row") int maxTrainRows,
      @Param(value = "1e-3", min = 1e-12, max = 1, doc = "libsvm stopping tolerance (eps)") double tolerance,
      @Param(value = "auto", doc = "speed only, same problem: auto = with the rbf kernel (which depends only on x - y)"
          + " each scaled feature is shifted by its most common training value, so more values are 0 and libsvm's"
          + " sparse rows are shorter; none = rows as scaled") Center center,
      @Param(value = "outliers_first", doc = "order of the training rows handed to libsvm (speed only, same problem):"
          + " outliers_first = most anomalous first by a pilot model on " + PILOT_ROWS + " rows, from "
          + (2 * PILOT_ROWS) + " rows up; given = as loaded") RowOrder rowOrder) {}

  private final Config c;
  private Scaler scaler;
  /** Subtracted from every scaled row before libsvm sees it; zeros when not centering. */
  private float[] shift;
  private LibSVMAnomalyModel model;

  public OcsvmDetector(Config c) {
    this.c = c;
  }

  @Override
  public TrainingHistory fit(float[][] train, Scaler scaler, RunContext context) {
    TrainingHistory history = new TrainingHistory();   // libsvm's solver has no epochs
    float[][] rows = scaler.transform(
        TrainingRows.cap(train, c.maxTrainRows(), context.seed(), "one-class SVM", "model.max_train_rows", history));
    shift = c.center() == Center.AUTO && c.kernel() == Kernel.RBF ? modes(rows) : new float[rows[0].length];
    rows = shifted(rows, shift);
    String[] names = scaler.featureNames().toArray(String[]::new);
    svm.svm_set_print_string_function(text -> log.debug(text.strip()));   // libsvm prints progress to stdout otherwise
    if (c.rowOrder() == RowOrder.OUTLIERS_FIRST && rows.length >= 2 * PILOT_ROWS) {
      long start = System.nanoTime();
      LibSVMAnomalyModel pilot = train(TrainingRows.subsample(rows, PILOT_ROWS, context.seed()), names, context.seed());
      rows = outliersFirst(rows, scoreScaled(pilot, names, rows));
      log.info("one-class SVM: rows ordered by a pilot model on {} rows ({} s)", PILOT_ROWS,
          String.format(Locale.ROOT, "%.2f", (System.nanoTime() - start) / 1e9));
    }
    model = train(rows, names, context.seed());
    this.scaler = scaler;
    checkFeatures(model, scaler, "the trained model");
    log.info("one-class SVM: {} support vectors from {} training rows", model.getNumberOfSupportVectors(), rows.length);
    return history;
  }

  /** Tribuo's LibSVM one-class trainer on scaled rows, in their order. */
  private LibSVMAnomalyModel train(float[][] rows, String[] names, long seed) {
    AnomalyFactory factory = new AnomalyFactory();
    MutableDataset<Event> data = new MutableDataset<>(
        new SimpleDataSourceProvenance("deepad4j scaled training rows (" + rows.length + ")", factory), factory);
    for (int i = 0; i < rows.length; i++) {   // one-class: all EXPECTED
      // the first row lists every feature, so that Tribuo's feature map knows them all
      data.add(i == 0 ? denseExample(AnomalyFactory.EXPECTED_EVENT, names, rows[i])
          : sparseExample(AnomalyFactory.EXPECTED_EVENT, names, rows[i]));
    }
    SVMParameters<Event> params = new SVMParameters<>(new SVMAnomalyType(SVMAnomalyType.SVMMode.ONE_CLASS), kernelType());
    params.setNu(c.nu());
    params.setGamma(c.gamma() > 0 ? c.gamma() : 1.0 / names.length);
    params.setDegree(c.degree());
    params.setCoeff(c.coef0());
    params.setCacheSize(c.cacheSizeMb());
    // Tribuo's setEpsilon sets the epsilon-SVR margin (svm_parameter.p), not the stopping tolerance
    params.getParameters().eps = c.tolerance();
    return (LibSVMAnomalyModel) new LibSVMAnomalyTrainer(params, seed).train(data);
  }

  /**
   * The rows, most anomalous first by {@code scores} (ties in row order). libsvm's one-class solver
   * starts with the first nu x rows at the upper bound, so starting from the likely bounded
   * support vectors cuts its iterations (1,166 -> 293 on ff12); the problem solved is the same.
   * Tribuo allocates libsvm's rows in dataset order, so they still lie in memory in the order the
   * kernel loop reads them (reordering rows already allocated made training slower).
   */
  static float[][] outliersFirst(float[][] rows, double[] scores) {
    Integer[] order = new Integer[rows.length];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));   // stable: ties keep row order
    float[][] out = new float[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      out[i] = rows[order[i]];
    }
    return out;
  }

  private KernelType kernelType() {
    return switch (c.kernel()) {
      case RBF -> KernelType.RBF;
      case LINEAR -> KernelType.LINEAR;
      case POLY -> KernelType.POLY;
      case SIGMOID -> KernelType.SIGMOID;
    };
  }

  private static ArrayExample<Event> denseExample(Event output, String[] names, float[] row) {
    double[] d = new double[row.length];
    for (int j = 0; j < row.length; j++) {
      d[j] = row[j];
    }
    return new ArrayExample<>(output, names, d);
  }

  /**
   * The row's non-zero values only (at least one feature, so that Tribuo accepts it). Exact for
   * every kernel: libsvm reads a missing feature as 0. libsvm's kernel is a merge over the
   * features two rows list, so leaving out the zeros (59% of the scaled ff12 training values)
   * shortens every kernel evaluation.
   */
  static ArrayExample<Event> sparseExample(Event output, String[] names, float[] row) {
    int nonZero = 0;
    for (float v : row) {
      if (v != 0f) {
        nonZero++;
      }
    }
    if (nonZero == 0) {
      return new ArrayExample<>(output, new String[] {names[0]}, new double[] {0});
    }
    String[] n = new String[nonZero];
    double[] d = new double[nonZero];
    int k = 0;
    for (int j = 0; j < row.length; j++) {
      if (row[j] != 0f) {
        n[k] = names[j];
        d[k++] = row[j];
      }
    }
    return new ArrayExample<>(output, n, d);
  }

  LibSVMAnomalyModel model() {
    return Detector.requireFitted(model);
  }

  /**
   * Each column's most common value (the smallest of equally common ones). Subtracting it leaves
   * an rbf kernel exp(-gamma |x - y|^2) unchanged and turns that value into 0, which sparse rows
   * leave out: on the scaled ff12 training rows 4.5 values per row remain instead of 7.3.
   */
  static float[] modes(float[][] rows) {
    int n = rows[0].length;
    float[] mode = new float[n];
    float[] column = new float[rows.length];
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < rows.length; i++) {
        column[i] = rows[i][j];
      }
      Arrays.sort(column);
      int best = 0;
      for (int i = 0, run; i < column.length; i += run) {
        run = 1;
        while (i + run < column.length && column[i + run] == column[i]) {
          run++;
        }
        if (run > best) {
          best = run;
          mode[j] = column[i];
        }
      }
    }
    return mode;
  }

  /** Subtracts {@code shift} from each row in place (rows fresh from {@link Scaler#transform}) and returns them. */
  static float[][] shifted(float[][] rows, float[] shift) {
    for (float[] r : rows) {
      for (int j = 0; j < r.length; j++) {
        r[j] -= shift[j];
      }
    }
    return rows;
  }

  @Override
  public double[] score(float[][] rows) {
    return score(model(), scaler, shift, rows);
  }

  private static double[] score(LibSVMAnomalyModel model, Scaler scaler, float[] shift, float[][] rows) {
    return scoreScaled(model, scaler.featureNames().toArray(String[]::new), shifted(scaler.transform(rows), shift));
  }

  /**
   * Minus libsvm's decision value of each row, on every core (each row's value depends on that row
   * only). The rows go to {@code svm.svm_predict_values} of the model Tribuo trained as libsvm
   * nodes in Tribuo's feature-id order, which is what Tribuo's {@code predict} hands it, without
   * building an Example and a Prediction per row: the same numbers (a test compares them), and
   * the pilot's ordering of the 97,278 ff12 rows no longer takes most of its time in that wrapping.
   */
  static double[] scoreScaled(LibSVMAnomalyModel model, String[] names, float[][] x) {
    svm_model inner = model.getInnerModels().get(0);
    int[] ids = new int[names.length];
    for (int j = 0; j < names.length; j++) {
      ids[j] = model.getFeatureIDMap().getID(names[j]);
      if (ids[j] < 0) {
        throw new IllegalStateException("the one-class SVM does not know the feature '" + names[j] + "'");
      }
    }
    Integer[] byId = new Integer[names.length];
    Arrays.setAll(byId, j -> j);
    Arrays.sort(byId, (a, b) -> Integer.compare(ids[a], ids[b]));
    int[] columns = Arrays.stream(byId).mapToInt(Integer::intValue).toArray();
    double[] s = new double[x.length];
    IntStream.range(0, x.length).parallel().forEach(i -> {
      double[] decision = new double[1];
      svm.svm_predict_values(inner, nodes(x[i], columns, ids), decision);
      s[i] = -decision[0];
    });
    return s;
  }

  /** A row's non-zero values as libsvm nodes, indexed by feature id, in id order. */
  private static svm_node[] nodes(float[] row, int[] columns, int[] ids) {
    int nonZero = 0;
    for (float v : row) {
      if (v != 0f) {
        nonZero++;
      }
    }
    svm_node[] out = new svm_node[nonZero];
    int k = 0;
    for (int j : columns) {
      if (row[j] != 0f) {
        svm_node n = new svm_node();
        n.index = ids[j];
        n.value = row[j];
        out[k++] = n;
      }
    }
    return out;
  }

  /**
   * The model's features must be the scaler's, by name: Tribuo would silently read a missing
   * name as 0 and ignore an unknown one.
   */
  private static void checkFeatures(LibSVMAnomalyModel model, Scaler scaler, String what) {
    Set<String> known = new TreeSet<>();
    model.getFeatureIDMap().forEach(f -> known.add(f.getName()));
    Set<String> expected = new TreeSet<>(scaler.featureNames());
    if (!known.equals(expected)) {
      Set<String> missing = new TreeSet<>(expected);
      missing.removeAll(known);
      Set<String> extra = new TreeSet<>(known);
      extra.removeAll(expected);
      throw new IllegalStateException(what + " does not know the features " + missing + " of " + Scaler.FILE_NAME
          + (extra.isEmpty() ? "" : " and has features " + extra + " it does not list"));
    }
  }

  /** Support vectors x features: the numbers the decision function keeps. */
  @Override
  public long parameterCount() {
    return (long) model().getNumberOfSupportVectors() * scaler.featureNames().size();
  }

  @Override
  public void save(Path modelDir) throws IOException {
    model().serializeToFile(modelDir.resolve(FILE_NAME));
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("formula", "libsvm reads x_scaled - center (x_scaled as in " + Scaler.FILE_NAME + ")");
    c.put("features", scaler.featureNames());
    c.put("center", shift);
    JSON.writerWithDefaultPrettyPrinter().writeValue(modelDir.resolve(CENTER_FILE).toFile(), c);
    float[] center = shift;
    LibSVMAnomalyModel m = model();
    String[] names = scaler.featureNames().toArray(String[]::new);
    io.deepad4j.engine.ScoreGraph.export(modelDir.resolve(TfDetector.SAVED_MODEL_DIR), scaler.offset(), scaler.scale(),
        (tf, scaled) -> decisionGraph(tf, tf.math.sub(scaled, tf.constant(center)), m, names));
  }

  /**
   * Minus libsvm's one-class decision value in a graph, as {@code svm.svm_predict_values} computes it: sum_i
   * sv_coef_i K(x, sv_i) - rho, K the model's kernel (rbf: exp(-gamma |x - sv|^2), the squared distance summed
   * feature by feature as libsvm does; linear: x . sv; poly: (gamma x . sv + coef0)^degree; sigmoid: tanh(gamma
   * x . sv + coef0)), in float64; the support vectors are dense (a feature a vector leaves out is 0, as for libsvm).
   *
   * @param x the rows libsvm sees (scaled, minus the center), float32 [-1, features]
   */
  static org.tensorflow.Operand<org.tensorflow.types.TFloat64> decisionGraph(org.tensorflow.op.Ops tf,
      org.tensorflow.Operand<org.tensorflow.types.TFloat32> x, LibSVMAnomalyModel model, String[] names) {
    svm_model inner = model.getInnerModels().get(0);
    int[] column = new int[names.length + 1];   // feature id -> column
    Arrays.fill(column, -1);
    for (int j = 0; j < names.length; j++) {
      int id = model.getFeatureIDMap().getID(names[j]);
      if (id < 0 || id >= column.length) {
        throw new IllegalStateException("the one-class SVM does not know the feature '" + names[j] + "'");
      }
      column[id] = j;
    }
    double[][] sv = new double[inner.l][names.length];
    for (int i = 0; i < inner.l; i++) {
      for (svm_node node : inner.SV[i]) {
        if (node.value != 0) {
          sv[i][column[node.index]] = node.value;
        }
      }
    }
    double[][] coef = new double[inner.l][1];
    for (int i = 0; i < inner.l; i++) {
      coef[i][0] = inner.sv_coef[0][i];
    }
    var xd = io.deepad4j.engine.ScoreGraph.doubles(tf, x);
    var gamma = tf.constant(inner.param.gamma);
    var coef0 = tf.constant(inner.param.coef0);
    org.tensorflow.Operand<org.tensorflow.types.TFloat64> k;
    if (inner.param.kernel_type == libsvm.svm_parameter.RBF) {
      k = tf.math.exp(tf.math.mul(tf.math.neg(gamma), io.deepad4j.engine.ScoreGraph.squaredDistances(tf, xd, sv)));
    } else {
      var dot = tf.linalg.matMul(xd, io.deepad4j.engine.ScoreGraph.matrix(tf, sv),
          org.tensorflow.op.linalg.MatMul.transposeB(true));
      k = switch (inner.param.kernel_type) {
        case libsvm.svm_parameter.LINEAR -> dot;
        case libsvm.svm_parameter.POLY -> tf.math.pow(tf.math.add(tf.math.mul(gamma, dot), coef0),
            tf.constant((double) inner.param.degree));
        case libsvm.svm_parameter.SIGMOID -> tf.math.tanh(tf.math.add(tf.math.mul(gamma, dot), coef0));
        default -> throw new IllegalStateException("libsvm kernel type " + inner.param.kernel_type + " has no graph");
      };
    }
    var decision = tf.math.sub(tf.reshape(tf.linalg.matMul(k, io.deepad4j.engine.ScoreGraph.matrix(tf, coef)),
        tf.constant(new int[] {-1})), tf.constant(inner.rho[0]));
    return tf.math.neg(decision);
  }

  /** The saved center; zeros for a folder saved before centering existed. */
  private static float[] loadCenter(Path modelDir, Scaler scaler) throws IOException {
    Path file = modelDir.resolve(CENTER_FILE);
    int n = scaler.featureNames().size();
    if (!Files.isRegularFile(file)) {
      return new float[n];
    }
    var node = JsonFiles.readObject(file, ModelFolder.REMEDY);
    if (!node.has("center") || !node.has("features")) {
      throw new IOException(file + ": not a one-class SVM center file (needs features and center)");
    }
    List<String> names = new ArrayList<>();
    node.get("features").forEach(f -> names.add(f.asText()));
    if (!names.equals(scaler.featureNames())) {
      throw new IOException(file + ": its features " + names + " are not those of " + Scaler.FILE_NAME + " " + scaler.featureNames());
    }
    float[] center = JSON.treeToValue(node.get("center"), float[].class);
    if (center.length != n) {
      throw new IOException(file + ": center has " + center.length + " values for " + n + " features");
    }
    return center;
  }

  @Override
  public SavedFormat savedFormat() {
    return SavedFormat.javaAndTensorflow(FILE_NAME, "tribuo-protobuf (org.tribuo.anomaly.libsvm.LibSVMAnomalyModel)");
  }

  /** Loads a saved one-class SVM; {@code scaler} is the model folder's preprocessing. */
  public static Scorer load(Path modelDir, Scaler scaler) throws IOException {
    Path file = modelDir.resolve(FILE_NAME);
    if (!Files.isRegularFile(file)) {
      throw new IOException(modelDir + " has no " + FILE_NAME + "; is it a one-class SVM model folder?");
    }
    Model<?> loaded;
    try {
      loaded = Model.deserializeFromFile(file);
    } catch (IOException | RuntimeException e) { // a truncated or foreign file
      throw new IOException(file + " cannot be read as a Tribuo model (" + e.getMessage() + ")", e);
    }
    if (!(loaded instanceof LibSVMAnomalyModel m)) {
      throw new IOException(file + " holds a " + loaded.getClass().getName() + ", not a Tribuo LibSVMAnomalyModel");
    }
    try {
      checkFeatures(m, scaler, file.toString());
    } catch (IllegalStateException e) {
      throw new IOException(e.getMessage(), e);
    }
    float[] center = loadCenter(modelDir, scaler);
    return rows -> score(m, scaler, center, rows);
  }
}
