package io.deepad4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SymmetricEigenTest {
  @Test
  void decomposesARandomSymmetricMatrix() {
    int n = 30;
    SplittableRandom r = new SplittableRandom(5);
    double[][] a = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = i; j < n; j++) {
        a[i][j] = r.nextGaussian();
        a[j][i] = a[i][j];
      }
    }
    SymmetricEigen e = SymmetricEigen.of(a);
    for (int k = 0; k < n; k++) {
      double[] v = e.vectors()[k];
      for (int i = 0; i < n; i++) {   // A v = lambda v
        double av = 0;
        for (int j = 0; j < n; j++) {
          av += a[i][j] * v[j];
        }
        assertEquals(e.values()[k] * v[i], av, 1e-10);
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
