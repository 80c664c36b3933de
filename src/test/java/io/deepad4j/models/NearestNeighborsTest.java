package io.deepad4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepad4j.engine.TrainingHistory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pieces the neighbour detectors share: the distance kernel, its top-k heap, the seeded row cap, the rows file. */
class NearestNeighborsTest {

  private static float[][] random(int rows, int features, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[][] x = new float[rows][features];
    for (float[] row : x) {
      for (int j = 0; j < features; j++) {
        row[j] = (float) r.nextDouble();
      }
    }
    return x;
  }

  /** The k smallest Euclidean distances from q to the rows (except row {@code skip}), in double precision. */
  private static double[] bruteForce(float[][] train, float[] q, int k, int skip) {
    double[] d = new double[train.length];
    for (int t = 0; t < train.length; t++) {
      double s = 0;
      for (int j = 0; j < q.length; j++) {
        double diff = (double) q[j] - train[t][j];
        s += diff * diff;
      }
      d[t] = t == skip ? Double.POSITIVE_INFINITY : Math.sqrt(s);
    }
    Arrays.sort(d);
    return Arrays.copyOf(d, k);
  }

  private static void assertMatchesBruteForce(float[][] train, float[][] queries, int k, int threads) {
    NearestNeighbors nn = new NearestNeighbors(train);
    double[][] got = new double[queries.length][];
    nn.score(queries, k, threads, (row, idx, dist) -> {
      got[row] = dist.clone();
      for (int j = 0; j < k; j++) {   // the index and the distance belong together
        double s = 0;
        for (int f = 0; f < queries[row].length; f++) {
          double diff = (double) queries[row][f] - train[idx[j]][f];
          s += diff * diff;
        }
        assertEquals(Math.sqrt(s), dist[j], 1e-5 * Math.sqrt(s) + 1e-6);
      }
      return 0;
    });
    for (int i = 0; i < queries.length; i++) {
      double[] want = bruteForce(train, queries[i], k, -1);
      for (int j = 0; j < k; j++) {
        assertEquals(want[j], got[i][j], 1e-5 * want[j] + 1e-6, "query " + i + ", neighbour " + j + ", k " + k + ", threads " + threads);
      }
    }
  }

  @Test
  void distancesMatchDoublePrecisionBruteForce() {
    // 7 features: 3,000 training rows span two training blocks; 200 queries span four query blocks
    float[][] train = random(3000, 7, 1);
    float[][] queries = random(200, 7, 2);
    for (int k : new int[] {1, 5, 20}) {
      for (int threads : new int[] {1, 3}) {
        assertMatchesBruteForce(train, queries, k, threads);
      }
    }
    // 300 features: blocks of 64 training rows, so 200 rows are four blocks, the last one partial
    float[][] wide = random(200, 300, 3);
    float[][] wideQueries = random(70, 300, 4);
    for (int k : new int[] {1, 7, 200}) {
      for (int threads : new int[] {1, 2}) {
        assertMatchesBruteForce(wide, wideQueries, k, threads);
      }
    }
  }

  @Test
  void smallDistancesSurviveLargeValues() {
    // |a|^2 + |b|^2 - 2ab would cancel to noise here in float; direct differences keep them
    float[][] train = {{1000f, 1000f}, {1000.125f, 1000f}, {1003f, 1004f}};
    double[] got = new NearestNeighbors(train).score(new float[][] {{1000f, 1000.25f}}, 3, 1, (row, idx, dist) -> {
      assertArrayEquals(new int[] {0, 1, 2}, idx);
      assertArrayEquals(new double[] {0.25, Math.hypot(0.125, 0.25), Math.hypot(3, 3.75)}, dist, 1e-9);
      return dist[0];
    });
    assertEquals(0.25, got[0], 1e-9);
  }

  @Test
  void trainingRowsAreNotTheirOwnNeighboursButCopiesAre() {
    float[][] train = {{0}, {0}, {5}, {7}};
    NearestNeighbors nn = new NearestNeighbors(train);
    int[][] first = new int[4][];
    double[] nearest = nn.scoreTraining(1, 1, (row, idx, dist) -> {
      first[row] = idx.clone();
      return dist[0];
    });
    assertArrayEquals(new double[] {0, 0, 2, 2}, nearest, 0.0);
    assertArrayEquals(new int[] {1}, first[0], "row 0's copy, not row 0");
    assertArrayEquals(new int[] {0}, first[1]);
    assertArrayEquals(new int[] {3}, first[2]);
    // as a new row, {0} has both copies at distance 0: the first is training row 0
    nn.score(new float[][] {{0}}, 2, 1, (row, idx, dist) -> {
      assertArrayEquals(new int[] {0, 1}, idx);
      return 0;
    });
    // k must leave rows to choose from: 3 others at most for a training row
    var e = assertThrows(IllegalArgumentException.class, () -> nn.scoreTraining(4, 1, (row, idx, dist) -> 0));
    assertTrue(e.getMessage().contains("k = 4"), e.getMessage());
  }

  @Test
  void resultsDoNotDependOnThreads() {
    float[][] train = random(500, 3, 5);
    float[][] queries = random(300, 3, 6);
    NearestNeighbors nn = new NearestNeighbors(train);
    NearestNeighbors.NeighborScore sumOfIndices = (row, idx, dist) -> Arrays.stream(idx).sum() + dist[dist.length - 1];
    assertArrayEquals(nn.score(queries, 9, 1, sumOfIndices), nn.score(queries, 9, 4, sumOfIndices), 0.0);
  }

  @Test
  void topKKeepsTheSmallestAndBreaksTiesByIndex() {
    NearestNeighbors.TopK heap = new NearestNeighbors.TopK(3);
    float[] d = {9, 4, 4, 1, 16, 4, 0};
    for (int i = 0; i < d.length; i++) {
      heap.offer(d[i], i);
    }
    int[] idx = new int[3];
    double[] dist = new double[3];
    heap.sorted(idx, dist);
    assertArrayEquals(new int[] {6, 3, 1}, idx);
    assertArrayEquals(new double[] {0, 1, 2}, dist, 0.0);
  }

  @Test
  void subsampleIsSeededAndKeepsRowOrder() {
    float[][] rows = new float[100][];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = new float[] {i};
    }
    float[][] a = TrainingRows.subsample(rows, 10, 7);
    assertEquals(10, a.length);
    assertTrue(Arrays.deepEquals(a, TrainingRows.subsample(rows, 10, 7)));
    assertTrue(!Arrays.deepEquals(a, TrainingRows.subsample(rows, 10, 8)));
    for (int i = 1; i < a.length; i++) {
      assertTrue(a[i - 1][0] < a[i][0], "sample keeps the original order");
    }
    assertSame(rows, TrainingRows.subsample(rows, 0, 7));
    assertSame(rows, TrainingRows.subsample(rows, 100, 7));
    assertEquals(10, Arrays.stream(TrainingRows.sample(100, 10, 7)).distinct().count(), "drawn without replacement");
  }

  @Test
  void capRecordsWhetherItApplied() {
    float[][] rows = random(50, 2, 9);
    TrainingHistory capped = new TrainingHistory();
    assertEquals(20, TrainingRows.cap(rows, 20, 1, "test", "model.max_train_rows", capped).length);
    assertEquals(20.0, capped.fitMetrics().get(TrainingRows.ROWS_METRIC));
    assertEquals(1.0, capped.fitMetrics().get(TrainingRows.CAPPED_METRIC));
    TrainingHistory all = new TrainingHistory();
    assertSame(rows, TrainingRows.cap(rows, 0, 1, "test", "model.max_train_rows", all));
    assertEquals(50.0, all.fitMetrics().get(TrainingRows.ROWS_METRIC));
    assertEquals(0.0, all.fitMetrics().get(TrainingRows.CAPPED_METRIC));
  }

  @Test
  void rowsFileRoundTripsAndRefusesDamage(@TempDir Path dir) throws IOException {
    float[][] rows = {{1.5f, -2f, Float.MIN_VALUE}, {0f, 3.25f, 1e30f}};
    Path file = dir.resolve("rows.bin");
    RowsFile.write(file, rows);
    assertTrue(Arrays.deepEquals(rows, RowsFile.read(file, 3)));

    var wrongColumns = assertThrows(IOException.class, () -> RowsFile.read(file, 4));
    assertTrue(wrongColumns.getMessage().contains(file.toString()) && wrongColumns.getMessage().contains("3 columns"),
        wrongColumns.getMessage());

    byte[] bytes = Files.readAllBytes(file);
    bytes[25] ^= 1;   // a bit of the first float
    Path flipped = dir.resolve("flipped.bin");
    Files.write(flipped, bytes);
    var corrupt = assertThrows(IOException.class, () -> RowsFile.read(flipped, 3));
    assertTrue(corrupt.getMessage().contains("checksum"), corrupt.getMessage());

    Path truncated = dir.resolve("truncated.bin");
    Files.write(truncated, Arrays.copyOf(Files.readAllBytes(file), 30));
    var shortFile = assertThrows(IOException.class, () -> RowsFile.read(truncated, 3));
    assertTrue(shortFile.getMessage().contains("truncated"), shortFile.getMessage());

    Path foreign = dir.resolve("foreign.bin");
    Files.writeString(foreign, "{\"not\": \"rows\"} and some more text to be long enough");
    assertTrue(assertThrows(IOException.class, () -> RowsFile.read(foreign, 3)).getMessage().contains("DA4JROWS"));
    assertTrue(assertThrows(IOException.class, () -> RowsFile.read(dir.resolve("none.bin"), 3)).getMessage().contains("missing"));
  }
}
