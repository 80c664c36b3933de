package io.deepad4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class StratifiedSplitTest {

  /** 1,000 rows, 97 anomalies scattered at random. */
  private static int[] labels() {
    SplittableRandom r = new SplittableRandom(42);
    int[] y = new int[1000];
    for (int placed = 0; placed < 97; ) {
      int i = r.nextInt(y.length);
      if (y[i] == 0) {
        y[i] = 1;
        placed++;
      }
    }
    return y;
  }

  @Test
  void eachClassIsSplit70To30WithinOneRow() {
    int[] y = labels();
    for (long seed : new long[] {0, 1, 2018}) {
      StratifiedSplit.Parts p = StratifiedSplit.of(y, seed);
      for (int c : new int[] {0, 1}) {
        long all = Arrays.stream(y).filter(v -> v == c).count();
        long test = Arrays.stream(p.test()).filter(i -> y[i] == c).count();
        assertTrue(Math.abs(test - 0.3 * all) <= 1, "class " + c + ": " + test + " of " + all + " in test");
        assertEquals(all - test, Arrays.stream(p.train()).filter(i -> y[i] == c).count());
      }
    }
    assertEquals(3, StratifiedSplit.testCount(10));
    assertEquals(2, StratifiedSplit.testCount(5), "1.5 rounds up");
    assertEquals(0, StratifiedSplit.testCount(1));
  }

  @Test
  void thePartsAreDisjointSortedAndCoverEveryRow() {
    int[] y = labels();
    StratifiedSplit.Parts p = StratifiedSplit.of(y, 5);
    int[] both = IntStream.concat(Arrays.stream(p.train()), Arrays.stream(p.test())).sorted().toArray();
    assertArrayEquals(IntStream.range(0, y.length).toArray(), both, "every row exactly once");
    assertArrayEquals(Arrays.stream(p.train()).sorted().toArray(), p.train());
    assertArrayEquals(Arrays.stream(p.test()).sorted().toArray(), p.test());
  }

  @Test
  void theSameSeedGivesTheSameSplitAndAnotherSeedAnother() {
    int[] y = labels();
    assertArrayEquals(StratifiedSplit.of(y, 3).test(), StratifiedSplit.of(y.clone(), 3).test());
    assertFalse(Arrays.equals(StratifiedSplit.of(y, 3).test(), StratifiedSplit.of(y, 4).test()));
  }

  @Test
  void theSplitIsPinnedForOtherToolsThatReadIt() {
    // ./runner split writes this for a Python peer: a change here changes every ADBench result
    int[] y = {0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0};
    assertArrayEquals(new int[] {2, 3, 4, 6}, StratifiedSplit.of(y, 2018).test());
  }
}
