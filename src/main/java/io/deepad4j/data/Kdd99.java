package io.deepad4j.data;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.IntPredicate;

/**
 * The KDD Cup 1999 network-intrusion data under the protocols of the papers deepad4j reproduces.
 * Rows are unscaled; labels are 1 = anomaly, 0 = normal. The same seed always gives the same
 * data set.
 *
 * <h2>Protocols</h2>
 *
 * <dl>
 *   <dt>{@code ff12}
 *   <dd>Cloudera Fast Forward report FF12, "Deep Learning for Anomaly Detection" (2020), code at
 *       github.com/fastforwardlabs/deepad. The 18 continuous features {@code srv_count} ...
 *       {@code dst_host_srv_rerror_rate} (columns 23..40 of the 41). Train: every {@code normal.}
 *       row of kddcup.data_10_percent (97,278 rows). Validation and test: disjoint seeded samples
 *       of corrected, drawn per class. {@code testSplit} "8020": test = 8,000 normal + 2,000
 *       attack rows, validation another 8,000 + 2,000; "9010": 9,000 + 1,000 each; "all":
 *       validation = a seeded 20% of each class of corrected (12,119 normal + 50,087 attack rows)
 *       and test = every other row (248,823 rows), as the FF12 code does. A validation split of
 *       the test split's composition keeps a threshold chosen on it (best accuracy) valid for
 *       the test split. Every label other than {@code normal.} is an attack.
 *   <dt>{@code ff12-original}
 *   <dd>{@code ff12} with the FF12 code's labelling, only to compare with the numbers the report
 *       publishes: a row is an attack only if its type is one of the 22 {@link
 *       #TRAINING_ATTACK_TYPES}; the 17 attack types that appear only in corrected
 *       (snmpgetattack, mailbomb, ...) count as normal. The per-class sampling uses these labels,
 *       as the FF12 code does, so "8020" draws 8,000 rows labelled normal (some of them new
 *       attack types) and 2,000 training-type attacks, and the rows differ from {@code ff12}'s.
 *   <dt>{@code zenati}
 *   <dd>Zenati et al., "Efficient GAN-Based Anomaly Detection" (EGBAD, 2018) and "Adversarially
 *       Learned Anomaly Detection" (ALAD, ICDM 2018), code data/kdd.py at
 *       github.com/houssamzenati/Adversarially-Learned-Anomaly-Detection. kddcup.data_10_percent
 *       only; all 41 features with the 7 symbolic ones one-hot encoded (34 numeric + 87 indicator
 *       columns = 121; categories from the whole file, sorted, named like {@code service=http},
 *       appended after the numeric columns as pandas' get_dummies does). {@code normal.} rows
 *       are the anomaly class (label 1). A seeded 50/50 split; train = the label-0 rows of the
 *       first half; test = the second half resampled to 20% anomalies: all its inliers and a
 *       random quarter as many anomalies, as the authors' code does. The second half holds
 *       fewer anomalies than that (about 48,600 against 49,600 needed), where the authors' code
 *       silently ends at 19.7%; here all anomalies are kept and the inliers are subsampled to
 *       four times their number, so the test split holds exactly 20% anomalies (the protocol
 *       thresholds at the 80th percentile of test scores). No validation split (empty arrays);
 *       {@code testSplit} is ignored.
 *   <dt>{@code zenati-rev}
 *   <dd>KDD-Rev of Bergman and Hoshen (GOAD, ICLR 2020), also used by Qiu et al. (NeuTraL AD, ICML
 *       2021): the {@code zenati} columns and encoding with the labels the other way round:
 *       {@code normal.} rows (97,278) are normal, attacks are anomalies (label 1). A seeded draw of
 *       a quarter as many attacks as there are normal rows (24,319, so one row in five of the
 *       drawn data is an attack); a seeded half of the normal rows trains (48,639), the other half
 *       and the drawn attacks test (72,958 rows, 33.3% anomalies: the papers' split, whose
 *       threshold rule is the known anomaly ratio, {@code anomaly_ratio}). No validation split;
 *       {@code testSplit} is ignored.
 * </dl>
 *
 * <p>Rows of validation and test keep the order of the source file.
 */
public final class Kdd99 {

  /** The 41 feature names of the KDD Cup 1999 data, in file order. */
  public static final List<String> FEATURE_NAMES =
      List.of(
          "duration", "protocol_type", "service", "flag", "src_bytes", "dst_bytes", "land",
          "wrong_fragment", "urgent", "hot", "num_failed_logins", "logged_in", "num_compromised",
          "root_shell", "su_attempted", "num_root", "num_file_creations", "num_shells",
          "num_access_files", "num_outbound_cmds", "is_host_login", "is_guest_login", "count",
          "srv_count", "serror_rate", "srv_serror_rate", "rerror_rate", "srv_rerror_rate",
          "same_srv_rate", "diff_srv_rate", "srv_diff_host_rate", "dst_host_count",
          "dst_host_srv_count", "dst_host_same_srv_rate", "dst_host_diff_srv_rate",
          "dst_host_same_src_port_rate", "dst_host_srv_diff_host_rate", "dst_host_serror_rate",
          "dst_host_srv_serror_rate", "dst_host_rerror_rate", "dst_host_srv_rerror_rate");

  /**
   * The 22 attack types of the training file (the archive's training_attack_types list); the
   * {@code ff12-original} protocol counts only these as attacks.
   */
  public static final Set<String> TRAINING_ATTACK_TYPES =
      Set.of(
          "back", "buffer_overflow", "ftp_write", "guess_passwd", "imap", "ipsweep", "land",
          "loadmodule", "multihop", "neptune", "nmap", "perl", "phf", "pod", "portsweep",
          "rootkit", "satan", "smurf", "spy", "teardrop", "warezclient", "warezmaster");

  /** The protocols: which rows train, validate and test, and how they are labelled (docs/SPECS.md). */
  public enum Protocol {
    /** FF12's: train on normal rows of the 10% file; test on corrected, every attack an anomaly */
    FF12("ff12"),
    /** as ff12 with the FF12 code's labels (only the training file's attack types are anomalies) */
    FF12_ORIGINAL("ff12-original"),
    /** Zenati et al.'s: "normal." rows are the anomalies (20%), trained on half of the rest */
    ZENATI("zenati"),
    /** KDD-Rev (GOAD, NeuTraL AD): "normal." rows are normal, attacks drawn to a quarter of their number */
    ZENATI_REV("zenati-rev");

    private final String specName;

    Protocol(String specName) {
      this.specName = specName;
    }

    /** The name a spec uses ({@code dataset.protocol}). */
    public String specName() {
      return specName;
    }

    /** The spec names, in order. */
    public static List<String> specNames() {
      return java.util.Arrays.stream(values()).map(Protocol::specName).toList();
    }

    /** The protocol a spec names; an unknown name is a {@link DataException} listing the valid ones. */
    public static Protocol of(String specName) {
      for (Protocol p : values()) {
        if (p.specName.equals(specName)) {
          return p;
        }
      }
      throw new DataException("Unknown dataset.protocol '" + specName + "' for kdd99; use one of "
          + specNames() + ".");
    }
  }

  /** Test splits accepted by the ff12 protocols. */
  public static final List<String> TEST_SPLITS = List.of("all", "8020", "9010");

  /** First of the 18 continuous features FF12 keeps (they run to the last column). */
  static final int FF12_FIRST_COLUMN = 23;

  /** The symbolic columns Zenati et al. one-hot encode, in their order. */
  static final List<String> ZENATI_TEXT_COLUMNS =
      List.of("protocol_type", "service", "flag", "land", "logged_in", "is_host_login",
          "is_guest_login");

  /** Share of each class of corrected used for validation under test split "all". */
  static final double ALL_VALIDATION_FRACTION = 0.2;

  /** Anomaly share of the zenati test split. */
  static final double ZENATI_ANOMALY_RATIO = 0.2;

  private Kdd99() {}

  /**
   * Loads the KDD Cup 1999 data under a protocol, downloading and verifying the files first
   * when needed (see {@link Kdd99Files#ensure}).
   *
   * @param dataDir folder holding (or to receive) kddcup.data_10_percent.gz and corrected.gz
   * @param protocol the protocol
   * @param testSplit one of {@link #TEST_SPLITS} for the ff12 protocols; ignored for zenati
   * @param seed drives every random choice
   * @param verifyChecksums whether to check the files' SHA-256
   * @param baseUrl where missing files are downloaded from, e.g. {@link
   *     Kdd99Files#DEFAULT_BASE_URL}
   * @throws DataException for an unknown protocol or split, a failed download, a checksum
   *     mismatch or a damaged file
   */
  public static Dataset load(
      Path dataDir,
      Protocol protocol,
      String testSplit,
      long seed,
      boolean verifyChecksums,
      URI baseUrl) {
    checkProtocol(protocol, testSplit);
    Kdd99Files.ensure(dataDir, baseUrl, verifyChecksums);
    Path trainFile = dataDir.resolve(Kdd99Files.TRAIN_FILE);
    if (protocol == Protocol.ZENATI) {
      return zenati(Kdd99Parser.read(trainFile), seed);
    }
    if (protocol == Protocol.ZENATI_REV) {
      return zenatiRev(Kdd99Parser.read(trainFile), seed);
    }
    // the two files are independent: parse them side by side
    CompletableFuture<Kdd99Table> test =
        CompletableFuture.supplyAsync(
            () -> Kdd99Parser.read(dataDir.resolve(Kdd99Files.TEST_FILE)));
    Kdd99Table train = Kdd99Parser.read(trainFile);
    Kdd99Table corrected;
    try {
      corrected = test.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
    return ff12(train, corrected, protocol == Protocol.FF12_ORIGINAL, testSplit, seed);
  }

  private static void checkProtocol(Protocol protocol, String testSplit) {
    boolean knownSplit = testSplit != null && TEST_SPLITS.contains(testSplit);
    boolean ff12 = protocol == Protocol.FF12 || protocol == Protocol.FF12_ORIGINAL;
    if (ff12 && !knownSplit) {
      throw new DataException("Unknown dataset.test_split '" + testSplit + "' for protocol "
          + protocol.specName() + "; use one of " + TEST_SPLITS + " (quote it in YAML: \"8020\").");
    }
  }

  /** Rows chosen by a protocol: indices into the training file and into the evaluation file. */
  record Split(int[] train, int[] validation, int[] test) {}

  /** The ff12 labelling (1 for every label but normal) or the FF12 code's. */
  static int ff12Label(String label, boolean originalLabels) {
    if (originalLabels) {
      return TRAINING_ATTACK_TYPES.contains(label) ? 1 : 0;
    }
    return label.equals("normal") ? 0 : 1;
  }

  static Dataset ff12(
      Kdd99Table train, Kdd99Table corrected, boolean originalLabels, String testSplit,
      long seed) {
    Split split = ff12Split(train, corrected, originalLabels, testSplit, seed);
    int to = Kdd99Table.COLUMNS;
    List<String> names = FEATURE_NAMES.subList(FF12_FIRST_COLUMN, to);
    float[][] trainRows = new float[split.train.length][];
    for (int i = 0; i < trainRows.length; i++) {
      trainRows[i] = train.slice(split.train[i], FF12_FIRST_COLUMN, to);
    }
    float[][] validation = new float[split.validation.length][];
    int[] validationLabels = new int[validation.length];
    for (int i = 0; i < validation.length; i++) {
      validation[i] = corrected.slice(split.validation[i], FF12_FIRST_COLUMN, to);
      validationLabels[i] = ff12Label(corrected.label(split.validation[i]), originalLabels);
    }
    float[][] test = new float[split.test.length][];
    int[] testLabels = new int[test.length];
    List<String> testClasses = new ArrayList<>(test.length);
    for (int i = 0; i < test.length; i++) {
      test[i] = corrected.slice(split.test[i], FF12_FIRST_COLUMN, to);
      testLabels[i] = ff12Label(corrected.label(split.test[i]), originalLabels);
      testClasses.add(corrected.label(split.test[i]));
    }
    String name = "kdd99/" + (originalLabels ? "ff12-original" : "ff12") + "/" + testSplit;
    return new Dataset(name, List.copyOf(names), trainRows, validation, validationLabels, test,
        testLabels, testClasses);
  }

  /** The rows ff12 picks; see the class comment. */
  static Split ff12Split(
      Kdd99Table train, Kdd99Table corrected, boolean originalLabels, String testSplit,
      long seed) {
    int[] trainRows = select(train.rows, r -> ff12Label(train.label(r), originalLabels) == 0);
    int[] order = permutation(corrected.rows, new SplittableRandom(seed));
    int[] normals = filter(order, r -> ff12Label(corrected.label(r), originalLabels) == 0);
    int[] attacks = filter(order, r -> ff12Label(corrected.label(r), originalLabels) == 1);
    int validationNormals;
    int validationAttacks;
    int testNormals;
    int testAttacks;
    switch (testSplit) {
      case "8020", "9010" -> {
        testNormals = testSplit.equals("8020") ? 8_000 : 9_000;
        testAttacks = 10_000 - testNormals;
        validationNormals = testNormals;
        validationAttacks = testAttacks;
        if (normals.length < 2 * testNormals || attacks.length < 2 * testAttacks) {
          throw new DataException(corrected.file + " holds " + normals.length + " normal and "
              + attacks.length + " attack rows, too few for test_split " + testSplit
              + " (twice " + testNormals + " and " + testAttacks + "). Is it the KDD Cup 1999"
              + " corrected file?");
        }
      }
      case "all" -> {
        validationNormals = (int) Math.round(normals.length * ALL_VALIDATION_FRACTION);
        validationAttacks = (int) Math.round(attacks.length * ALL_VALIDATION_FRACTION);
        testNormals = normals.length - validationNormals;
        testAttacks = attacks.length - validationAttacks;
      }
      default -> throw new DataException("Unknown dataset.test_split '" + testSplit + "'; use one"
          + " of " + TEST_SPLITS + ".");
    }
    int[] validation = concatSorted(
        Arrays.copyOfRange(normals, 0, validationNormals),
        Arrays.copyOfRange(attacks, 0, validationAttacks));
    int[] test = concatSorted(
        Arrays.copyOfRange(normals, validationNormals, validationNormals + testNormals),
        Arrays.copyOfRange(attacks, validationAttacks, validationAttacks + testAttacks));
    return new Split(trainRows, validation, test);
  }

  /** Zenati et al. label: {@code normal.} is the anomaly class. */
  static int zenatiLabel(String label) {
    return label.equals("normal") ? 1 : 0;
  }

  static Dataset zenati(Kdd99Table table, long seed) {
    return oneHot("kdd99/zenati", table, zenatiSplit(table, seed), Kdd99::zenatiLabel);
  }

  /** KDD-Rev's label: every attack is the anomaly class. */
  static int zenatiRevLabel(String label) {
    return label.equals("normal") ? 0 : 1;
  }

  static Dataset zenatiRev(Kdd99Table table, long seed) {
    return oneHot("kdd99/zenati-rev", table, zenatiRevSplit(table, seed), Kdd99::zenatiRevLabel);
  }

  /** The rows zenati-rev picks (indices into the 10% file); see the class comment. */
  static Split zenatiRevSplit(Kdd99Table table, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int[] all = permutation(table.rows, random);
    int[] normals = filter(all, r -> zenatiRevLabel(table.label(r)) == 0);
    int[] attacks = filter(all, r -> zenatiRevLabel(table.label(r)) == 1);
    int drawn = Math.min(normals.length / 4, attacks.length);
    int half = normals.length / 2;
    // both lists are in random order already, so their prefixes are random samples
    int[] train = Arrays.copyOf(normals, half);
    Arrays.sort(train);
    int[] test = concatSorted(Arrays.copyOfRange(normals, half, normals.length), Arrays.copyOf(attacks, drawn));
    return new Split(train, new int[0], test);
  }

  private static Dataset oneHot(String name, Kdd99Table table, Split split, java.util.function.ToIntFunction<String> label) {
    OneHot encoding = new OneHot(table);
    float[][] train = new float[split.train.length][];
    for (int i = 0; i < train.length; i++) {
      train[i] = encoding.row(split.train[i]);
    }
    float[][] test = new float[split.test.length][];
    int[] testLabels = new int[test.length];
    List<String> testClasses = new ArrayList<>(test.length);
    for (int i = 0; i < test.length; i++) {
      test[i] = encoding.row(split.test[i]);
      testLabels[i] = label.applyAsInt(table.label(split.test[i]));
      testClasses.add(table.label(split.test[i]));
    }
    return new Dataset(name, encoding.names, train, new float[0][], new int[0], test,
        testLabels, testClasses);
  }

  /** The rows zenati picks (indices into the 10% file); see the class comment. */
  static Split zenatiSplit(Kdd99Table table, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int[] order = permutation(table.rows, random);
    int half = table.rows / 2;
    int[] first = Arrays.copyOfRange(order, 0, half);
    int[] second = Arrays.copyOfRange(order, half, order.length);
    int[] train = filter(first, r -> zenatiLabel(table.label(r)) == 0);
    Arrays.sort(train);
    int[] inliers = filter(second, r -> zenatiLabel(table.label(r)) == 0);
    int[] anomalies = filter(second, r -> zenatiLabel(table.label(r)) == 1);
    // anomalies / (inliers + anomalies) = ratio  <=>  anomalies = inliers * ratio / (1 - ratio)
    double perInlier = ZENATI_ANOMALY_RATIO / (1 - ZENATI_ANOMALY_RATIO);
    int wanted = (int) (inliers.length * perInlier);
    int keptInliers = inliers.length;
    if (wanted > anomalies.length) {
      wanted = anomalies.length;
      keptInliers = (int) Math.round(anomalies.length / perInlier);
    }
    // both lists are in random order already, so their prefixes are random samples
    int[] test = concatSorted(
        Arrays.copyOf(inliers, keptInliers), Arrays.copyOf(anomalies, wanted));
    return new Split(train, new int[0], test);
  }

  /** Zenati et al.'s encoding: numeric columns as they are, then one indicator per category. */
  private static final class OneHot {
    final List<String> names = new ArrayList<>();
    private final Kdd99Table table;
    private final int[] numericColumns;
    /** Per symbolic column: its index in the file and, per stored code, its output column. */
    private final int[] textColumns;
    private final int[][] slotOfCode;
    private final int width;

    OneHot(Kdd99Table table) {
      this.table = table;
      List<Integer> numeric = new ArrayList<>();
      for (int c = 0; c < Kdd99Table.COLUMNS; c++) {
        if (!ZENATI_TEXT_COLUMNS.contains(FEATURE_NAMES.get(c))) {
          numeric.add(c);
          names.add(FEATURE_NAMES.get(c));
        }
      }
      numericColumns = numeric.stream().mapToInt(Integer::intValue).toArray();
      textColumns = new int[ZENATI_TEXT_COLUMNS.size()];
      slotOfCode = new int[textColumns.length][];
      int slot = numericColumns.length;
      for (int t = 0; t < textColumns.length; t++) {
        int column = FEATURE_NAMES.indexOf(ZENATI_TEXT_COLUMNS.get(t));
        textColumns[t] = column;
        List<String> sorted = new ArrayList<>();
        if (isText(column)) {
          // text values are stored as codes in order of first appearance; slots go by name
          List<String> categories = table.categories(column);
          sorted.addAll(new TreeSet<>(categories));
          slotOfCode[t] = new int[categories.size()];
          for (int code = 0; code < categories.size(); code++) {
            slotOfCode[t][code] = slot + sorted.indexOf(categories.get(code));
          }
        } else {
          // 0/1 flags: the value is its own code; slots go by value
          int[] values = distinctFlags(column);
          slotOfCode[t] = new int[values[values.length - 1] + 1];
          Arrays.fill(slotOfCode[t], -1);
          for (int i = 0; i < values.length; i++) {
            slotOfCode[t][values[i]] = slot + i;
            sorted.add(String.valueOf(values[i]));
          }
        }
        for (String category : sorted) {
          names.add(FEATURE_NAMES.get(column) + "=" + category);
        }
        slot += sorted.size();
      }
      width = slot;
    }

    private static boolean isText(int column) {
      return Arrays.stream(Kdd99Table.TEXT_COLUMNS).anyMatch(c -> c == column);
    }

    /** The distinct values of a flag column, ascending. */
    private int[] distinctFlags(int column) {
      TreeSet<Integer> values = new TreeSet<>();
      for (int r = 0; r < table.rows; r++) {
        float v = table.value(r, column);
        if (v != Math.rint(v) || v < 0 || v > 1_000) {
          throw new DataException(table.file + ": column " + FEATURE_NAMES.get(column) + " holds "
              + v + "; the zenati protocol expects small whole numbers (flags) there. Is it the"
              + " KDD Cup 1999 file?");
        }
        values.add((int) v);
      }
      return values.stream().mapToInt(Integer::intValue).toArray();
    }

    float[] row(int r) {
      float[] out = new float[width];
      for (int i = 0; i < numericColumns.length; i++) {
        out[i] = table.value(r, numericColumns[i]);
      }
      for (int t = 0; t < textColumns.length; t++) {
        out[slotOfCode[t][(int) table.value(r, textColumns[t])]] = 1f;
      }
      return out;
    }
  }

  private static int[] permutation(int n, SplittableRandom random) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }

  private static int[] select(int n, IntPredicate keep) {
    int[] out = new int[n];
    int k = 0;
    for (int i = 0; i < n; i++) {
      if (keep.test(i)) {
        out[k++] = i;
      }
    }
    return Arrays.copyOf(out, k);
  }

  private static int[] filter(int[] rows, IntPredicate keep) {
    return Arrays.stream(rows).filter(keep).toArray();
  }

  private static int[] concatSorted(int[] a, int[] b) {
    int[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    Arrays.sort(out);
    return out;
  }
}
