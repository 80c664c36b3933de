package io.deepad4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SymmetricEigenTest {
  @Test
  void decomposesARandomSymmetricMatrix() {
    double[][] a = random(30, 5);
    check(a, SymmetricEigen.of(a));
    check(a, SymmetricEigen.householderQl(a));
  }

  /** Both methods give the same eigenvalues; above JACOBI_MAX rows {@code of} takes Householder and QL. */
  @Test
  void householderQlAgreesWithJacobi() {
    double[][] a = random(40, 11);
    SymmetricEigen jacobi = SymmetricEigen.jacobi(a);
    SymmetricEigen ql = SymmetricEigen.householderQl(a);
    for (int k = 0; k < a.length; k++) {
      assertEquals(jacobi.values()[k], ql.values()[k], 1e-10);
      double dot = 0;
      for (int i = 0; i < a.length; i++) {
        dot += jacobi.vectors()[k][i] * ql.vectors()[k][i];
      }
      assertEquals(1.0, Math.abs(dot), 1e-8, "the same eigenvector up to its sign");
    }
    double[][] large = random(SymmetricEigen.JACOBI_MAX + 44, 3);
    long t0 = System.nanoTime();
    check(large, SymmetricEigen.of(large));
    assertTrue((System.nanoTime() - t0) / 1e9 < 20, "300 rows in seconds, not minutes");
  }

  private static double[][] random(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[][] a = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = i; j < n; j++) {
        a[i][j] = r.nextGaussian();
        a[j][i] = a[i][j];
      }
    }
    return a;
  }

  private static void check(double[][] a, SymmetricEigen e) {
    int n = a.length;
    for (int k = 0; k < n; k++) {
      double[] v = e.vectors()[k];
      for (int i = 0; i < n; i++) {   // A v = lambda v
        double av = 0;
        for (int j = 0; j < n; j++) {
          av += a[i][j] * v[j];
        }
        assertEquals(e.values()[k] * v[i], av, 1e-9);
      }
      for (int m = 0; m < n; m++) {   // orthonormal
        double dot = 0;
        for (int i = 0; i < n; i++) {
          dot += v[i] * e.vectors()[m][i];
        }
        assertEquals(k == m ? 1 : 0, dot, 1e-12);
      }
      if (k > 0) {
        assertTrue(e.values()[k - 1] >= e.values()[k], "eigenvalues largest first");
      }
    }
  }

  @Test
  void diagonalMatrixKeepsItsAxes() {
    SymmetricEigen e = SymmetricEigen.of(new double[][] {{1, 0, 0}, {0, 3, 0}, {0, 0, 2}});
    assertEquals(3, e.values()[0]);
    assertEquals(2, e.values()[1]);
    assertEquals(1.0, Math.abs(e.vectors()[0][1]));
    assertEquals(1.0, Math.abs(e.vectors()[1][2]));
  }
}
