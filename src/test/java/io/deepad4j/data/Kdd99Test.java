package io.deepad4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The protocols on the real files (parsed once per JVM through the parser's cache). */
class Kdd99Test {

  private static final long SEED = 2018;
  /** Nothing listens here; the files are present, so no test may touch the network. */
  private static final URI NO_SERVER = URI.create("http://127.0.0.1:9/");

  private static Kdd99Table train() {
    return Kdd99Parser.read(Kdd99TestFiles.train());
  }

  private static Kdd99Table corrected() {
    return Kdd99Parser.read(Kdd99TestFiles.test());
  }

  private static Dataset load(String protocol, String split, long seed) {
    return Kdd99.load(Kdd99TestFiles.dir(), Kdd99.Protocol.of(protocol), split, seed, true, NO_SERVER);
  }

  private static int sum(int[] labels) {
    return Arrays.stream(labels).sum();
  }

  private static void assertDisjoint(int[] a, int[] b) {
    Set<Integer> seen = new HashSet<>();
    Arrays.stream(a).forEach(seen::add);
    assertEquals(a.length, seen.size(), "no row twice");
    for (int r : b) {
      assertFalse(seen.contains(r), "row " + r + " is in both splits");
    }
  }

  @Test
  void ff12TrainsOnEveryNormalRowWithTheEighteenContinuousFeatures() {
    long start = System.nanoTime();
    Dataset d = load("ff12", "8020", SEED);
    System.out.printf("kdd99/ff12/8020 loaded in %d ms%n", (System.nanoTime() - start) / 1_000_000);

    assertEquals("kdd99/ff12/8020", d.name());
    assertEquals(18, d.numFeatures());
    assertEquals("srv_count", d.featureNames().get(0));
    assertEquals("dst_host_srv_rerror_rate", d.featureNames().get(17));
    assertEquals(97_278, d.train().length);
    Kdd99Table train = train();
    Kdd99.Split split = Kdd99.ff12Split(train, corrected(), false, "8020", SEED);
    for (int i = 0; i < d.train().length; i++) {
      assertEquals("normal", train.label(split.train()[i]));
      assertEquals(18, d.train()[i].length);
    }
    assertArrayEquals(train.slice(split.train()[500], 23, 41), d.train()[500]);
  }

  @Test
  void ff12Split8020HasDisjointValidationAndTestOfTheSameMix() {
    Dataset d = load("ff12", "8020", SEED);
    Kdd99Table corrected = corrected();
    Kdd99.Split split = Kdd99.ff12Split(train(), corrected, false, "8020", SEED);

    assertEquals(10_000, d.test().length);
    assertEquals(2_000, sum(d.testLabels()));
    assertEquals(10_000, d.validation().length);
    assertEquals(2_000, sum(d.validationLabels()));
    assertDisjoint(split.validation(), split.test());
    for (int i = 0; i < split.test().length; i++) {
      int row = split.test()[i];
      assertEquals(corrected.label(row).equals("normal") ? 0 : 1, d.testLabels()[i]);
      assertArrayEquals(corrected.slice(row, 23, 41), d.test()[i]);
    }
    for (int i = 0; i < split.validation().length; i++) {
      int row = split.validation()[i];
      assertEquals(corrected.label(row).equals("normal") ? 0 : 1, d.validationLabels()[i]);
    }
  }

  @Test
  void ff12Split9010() {
    Dataset d = load("ff12", "9010", SEED);

    assertEquals(10_000, d.test().length);
    assertEquals(1_000, sum(d.testLabels()));
    assertEquals(10_000, d.validation().length);
    assertEquals(1_000, sum(d.validationLabels()));
  }

  @Test
  void ff12SplitAllUsesEveryRowOfCorrectedOnce() {
    Dataset d = load("ff12", "all", SEED);
    Kdd99.Split split = Kdd99.ff12Split(train(), corrected(), false, "all", SEED);

    assertEquals(311_029, d.validation().length + d.test().length);
    assertDisjoint(split.validation(), split.test());
    // a fifth of each class for validation: the same class mix as the test split
    int normalsInCorrected = 60_593;
    int attacksInCorrected = 311_029 - normalsInCorrected;
    int validationAttacks = sum(d.validationLabels());
    assertEquals(Math.round(attacksInCorrected * 0.2), validationAttacks);
    assertEquals(Math.round(normalsInCorrected * 0.2), d.validation().length - validationAttacks);
    assertEquals(attacksInCorrected - validationAttacks, sum(d.testLabels()));
  }

  @Test
  void ff12OriginalRelabelsExactlyTheAttackTypesNewInCorrected() {
    Kdd99Table train = train();
    Kdd99Table corrected = corrected();
    Set<String> trainingLabels = new TreeSet<>();
    for (int r = 0; r < train.rows; r++) {
      trainingLabels.add(train.label(r));
    }
    Set<String> newTypes = new TreeSet<>();
    for (int r = 0; r < corrected.rows; r++) {
      if (!trainingLabels.contains(corrected.label(r))) {
        newTypes.add(corrected.label(r));
      }
    }
    assertEquals(17, newTypes.size(), newTypes.toString());
    Set<String> expectedTraining = new TreeSet<>(Kdd99.TRAINING_ATTACK_TYPES);
    expectedTraining.add("normal");
    assertEquals(expectedTraining, trainingLabels);

    // labels differ exactly where the row's type is new in corrected
    Set<String> relabelled = new TreeSet<>();
    for (int r = 0; r < corrected.rows; r++) {
      String label = corrected.label(r);
      if (Kdd99.ff12Label(label, true) != Kdd99.ff12Label(label, false)) {
        relabelled.add(label);
      }
    }
    assertEquals(newTypes, relabelled);

    Dataset d = load("ff12-original", "8020", SEED);
    Kdd99.Split split = Kdd99.ff12Split(train, corrected, true, "8020", SEED);
    assertEquals(10_000, d.test().length);
    assertEquals(2_000, sum(d.testLabels()), "sampled by the original labels");
    assertDisjoint(split.validation(), split.test());
    assertArrayEquals(Kdd99.ff12Split(train, corrected, false, "8020", SEED).train(),
        split.train());
    int differing = 0;
    for (int i = 0; i < split.test().length; i++) {
      String label = corrected.label(split.test()[i]);
      int ours = label.equals("normal") ? 0 : 1;
      if (ours != d.testLabels()[i]) {
        differing++;
        assertTrue(newTypes.contains(label), label);
        assertEquals(0, d.testLabels()[i]);
      } else {
        assertFalse(newTypes.contains(label), label);
      }
    }
    // about a quarter of corrected's non-training-type rows are new attack types
    assertTrue(differing > 1_000, "new attack types among the 8,000 'normal' rows: " + differing);
  }

  @Test
  void zenatiOneHotEncodesToHundredAndTwentyOneColumns() {
    long start = System.nanoTime();
    Dataset d = load("zenati", "ignored", SEED);
    System.out.printf("kdd99/zenati loaded in %d ms%n", (System.nanoTime() - start) / 1_000_000);

    assertEquals(121, d.numFeatures());
    List<String> names = d.featureNames();
    assertEquals("duration", names.get(0));
    assertEquals("src_bytes", names.get(1));
    assertEquals("dst_host_srv_rerror_rate", names.get(33));
    assertEquals(List.of("protocol_type=icmp", "protocol_type=tcp", "protocol_type=udp"),
        names.subList(34, 37));
    assertTrue(names.contains("service=http"));
    assertTrue(names.indexOf("service=auth") < names.indexOf("service=http"));
    assertEquals(List.of("land=0", "land=1", "logged_in=0", "logged_in=1", "is_host_login=0",
        "is_guest_login=0", "is_guest_login=1"), names.subList(114, 121));
    assertEquals(0, d.validation().length);
    assertEquals(0, d.validationLabels().length);

    // every symbolic column sets exactly one indicator
    int[][] groups = {{34, 37}, {37, 103}, {103, 114}, {114, 116}, {116, 118}, {118, 119},
        {119, 121}};
    for (float[][] rows : List.of(d.train(), d.test())) {
      for (int i = 0; i < rows.length; i += 101) {
        for (int[] g : groups) {
          float total = 0;
          for (int c = g[0]; c < g[1]; c++) {
            total += rows[i][c];
          }
          assertEquals(1f, total, names.get(g[0]));
        }
      }
    }
  }

  @Test
  void zenatiTrainsOnNonNormalRowsAndTestsWithTwentyPercentNormal() {
    Kdd99Table table = train();
    Dataset d = load("zenati", null, SEED);
    Kdd99.Split split = Kdd99.zenatiSplit(table, SEED);

    for (int r : split.train()) {
      assertFalse(table.label(r).equals("normal"), "normal rows are the anomaly class");
    }
    assertEquals(split.train().length, d.train().length);
    assertDisjoint(split.train(), split.test());
    int anomalies = sum(d.testLabels());
    assertEquals(d.test().length, anomalies * 5, "exactly 20% anomalies");
    for (int i = 0; i < split.test().length; i++) {
      assertEquals(table.label(split.test()[i]).equals("normal") ? 1 : 0, d.testLabels()[i]);
    }
    // the first half holds about half of the 396,743 non-normal rows
    assertTrue(Math.abs(d.train().length - 396_743 / 2) < 2_000, "" + d.train().length);
    // every anomaly of the second half is used, as it holds fewer than a quarter of its inliers
    int normalsInTrainHalf = (table.rows / 2) - d.train().length;
    assertEquals(97_278 - normalsInTrainHalf, anomalies);
  }

  @Test
  void sameSeedSameDataDifferentSeedDifferentSample() {
    for (String protocol : Kdd99.Protocol.specNames()) {
      Dataset a = load(protocol, "8020", 7);
      Dataset b = load(protocol, "8020", 7);
      Dataset c = load(protocol, "8020", 8);

      assertTrue(Arrays.deepEquals(a.train(), b.train()), protocol);
      assertTrue(Arrays.deepEquals(a.validation(), b.validation()), protocol);
      assertArrayEquals(a.validationLabels(), b.validationLabels(), protocol);
      assertTrue(Arrays.deepEquals(a.test(), b.test()), protocol);
      assertArrayEquals(a.testLabels(), b.testLabels(), protocol);
      assertFalse(Arrays.deepEquals(a.test(), c.test()), protocol);
    }
  }

  @Test
  void unknownProtocolOrSplitListsTheValidOnes() {
    DataException p = assertThrows(DataException.class, () -> load("ff13", "8020", 1));
    DataException s = assertThrows(DataException.class, () -> load("ff12", "7030", 1));

    assertTrue(p.getMessage().contains("'ff13'") && p.getMessage().contains("ff12-original"),
        p.getMessage());
    assertTrue(s.getMessage().contains("'7030'") && s.getMessage().contains("9010"),
        s.getMessage());
  }

  @Test
  void loadsFromAFolderThatHoldsTheFiles(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    Kdd99TestFiles.copyTo(dir);

    Dataset d = Kdd99.load(dir, Kdd99.Protocol.FF12, "9010", SEED, true, NO_SERVER);

    assertEquals(97_278, d.train().length);
    assertEquals(1_000, sum(d.testLabels()));
  }
}
