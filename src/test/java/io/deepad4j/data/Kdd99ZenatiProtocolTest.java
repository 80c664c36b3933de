package io.deepad4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepad4j.TestData;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The zenati protocol against the authors' data/kdd.py (EGBAD and ALAD code): sizes, the 121
 * pandas get_dummies columns in their order, which rows train and test, and the 20% anomaly share
 * the 80th-percentile threshold relies on.
 */
class Kdd99ZenatiProtocolTest {
  private static final int ROWS = 494_021;        // kddcup.data_10_percent
  private static final int NORMAL_ROWS = 97_278;  // its normal. rows: the anomaly class here
  private static Kdd99Table table;

  @BeforeAll
  static void read() {
    table = Kdd99Parser.read(TestData.kdd99Dir().resolve(Kdd99Files.TRAIN_FILE));
  }

  @Test
  void oneHotColumnsFollowPandasGetDummies() {
    Dataset d = Kdd99.zenati(table, 1);
    List<String> names = d.featureNames();
    assertEquals(121, names.size());
    // the 34 numeric columns in file order, then each symbolic column's categories, sorted
    assertEquals("duration", names.get(0));
    assertEquals("src_bytes", names.get(1));
    assertEquals("dst_host_srv_rerror_rate", names.get(33));
    assertEquals(List.of("protocol_type=icmp", "protocol_type=tcp", "protocol_type=udp"), names.subList(34, 37));
    assertEquals("service=IRC", names.get(37)); // pandas sorts upper case first
    // the 0/1 flags by value; is_host_login is 0 in every row of the 10% file
    assertEquals(List.of("land=0", "land=1", "logged_in=0", "logged_in=1", "is_host_login=0", "is_guest_login=0",
        "is_guest_login=1"), names.subList(114, 121));
    assertEquals(66, names.stream().filter(n -> n.startsWith("service=")).count());
    assertEquals(11, names.stream().filter(n -> n.startsWith("flag=")).count());
    // every row: exactly one indicator per symbolic column
    for (float[] row : d.test()) {
      for (String column : Kdd99.ZENATI_TEXT_COLUMNS) {
        double ones = 0;
        for (int j = 34; j < 121; j++) {
          if (names.get(j).startsWith(column + "=")) {
            ones += row[j];
          }
        }
        assertEquals(1.0, ones, column);
      }
    }
  }

  @Test
  void trainOnAttacksOfTheFirstHalfTestOnTheSecondWithTwentyPercentNormalTraffic() {
    Kdd99.Split s = Kdd99.zenatiSplit(table, 1);
    assertEquals(0, s.validation().length);
    Set<Integer> train = new HashSet<>();
    for (int r : s.train()) {
      assertFalse(table.label(r).equals("normal"), "training row " + r + " is normal traffic, the anomaly class");
      train.add(r);
    }
    long anomalies = 0;
    for (int r : s.test()) {
      assertFalse(train.contains(r), "row " + r + " is in train and test");
      anomalies += table.label(r).equals("normal") ? 1 : 0;
    }
    assertEquals(s.test().length, 5 * anomalies, "test split holds exactly 20% anomalies");
    // the first half (ROWS / 2 rows, as pandas' sample(frac=0.5)) gives its attacks to training; the
    // second half holds fewer normal rows than a quarter of its attacks, so all of them are tested
    long firstHalfNormals = ROWS / 2 - s.train().length;
    assertEquals(NORMAL_ROWS - firstHalfNormals, anomalies);
    assertTrue(s.train().length > 0.45 * (ROWS - NORMAL_ROWS), "train rows " + s.train().length);

    Dataset d = Kdd99.zenati(table, 1);
    assertEquals(s.train().length, d.train().length);
    assertEquals(s.test().length, d.test().length);
    assertEquals(anomalies, Arrays.stream(d.testLabels()).filter(l -> l == 1).count());
  }

  @Test
  void theSeedDrawsTheSplit() {
    Kdd99.Split a = Kdd99.zenatiSplit(table, 1);
    assertArrayEquals(a.test(), Kdd99.zenatiSplit(table, 1).test());
    assertFalse(Arrays.equals(a.test(), Kdd99.zenatiSplit(table, 2).test()));
  }

  @Test
  void everyTestRowKeepsItsKddClass() {
    Dataset d = Kdd99.zenati(table, 1);
    assertEquals(d.test().length, d.testClasses().size());
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < d.testLabels().length; i++) {
      String c = d.testClasses().get(i);
      assertEquals(c.equals("normal") ? 1 : 0, d.testLabels()[i], "row " + i + " of class " + c);
      seen.add(c);
    }
    assertTrue(seen.containsAll(Set.of("normal", "smurf", "neptune", "back")), "" + seen);
    assertThrows(IllegalArgumentException.class, () -> new Dataset("x", List.of("a"), new float[0][], new float[0][],
        new int[0], new float[][] {{1f}}, new int[] {0}, List.of("p", "q")));
  }

  /** KDD-Rev as GOAD's data_loader.py draws it: half the normal rows train; the rest and a quarter as many attacks test. */
  @Test
  void zenatiRevTrainsOnHalfTheNormalRowsAndTestsOnTheRestWithAQuarterAsManyAttacks() {
    Kdd99.Split s = Kdd99.zenatiRevSplit(table, 1);
    assertEquals(0, s.validation().length);
    assertEquals(NORMAL_ROWS / 2, s.train().length);
    Set<Integer> train = new HashSet<>();
    for (int r : s.train()) {
      assertEquals("normal", table.label(r), "training row " + r + " is an attack, the anomaly class");
      train.add(r);
    }
    long attacks = 0;
    for (int r : s.test()) {
      assertFalse(train.contains(r), "row " + r + " is in train and test");
      attacks += table.label(r).equals("normal") ? 0 : 1;
    }
    assertEquals(NORMAL_ROWS / 4, attacks);                          // 24,319
    assertEquals(NORMAL_ROWS - NORMAL_ROWS / 2, s.test().length - attacks);
    assertArrayEquals(s.test(), Kdd99.zenatiRevSplit(table, 1).test());
    assertFalse(Arrays.equals(s.test(), Kdd99.zenatiRevSplit(table, 2).test()));

    Dataset d = Kdd99.zenatiRev(table, 1);
    assertEquals(Kdd99.zenati(table, 1).featureNames(), d.featureNames());
    assertEquals(attacks, Arrays.stream(d.testLabels()).filter(l -> l == 1).count());
    for (int i = 0; i < d.testLabels().length; i++) {
      assertEquals(d.testClasses().get(i).equals("normal") ? 0 : 1, d.testLabels()[i], "test row " + i);
    }
  }
}
