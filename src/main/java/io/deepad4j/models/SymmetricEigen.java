package io.deepad4j.models;

/**
 * Eigen-decomposition of a real symmetric matrix by the cyclic Jacobi method (Golub and Van Loan,
 * "Matrix Computations", section 8.5): plane rotations zero the off-diagonal entries one pair at a
 * time until the matrix is diagonal. Slow for large matrices but exact to machine precision and
 * plenty for covariance matrices of a few hundred features (KDD99: 18 or 121).
 *
 * @param values eigenvalues, largest first
 * @param vectors {@code vectors[i]} is the unit eigenvector of {@code values[i]}
 */
public record SymmetricEigen(double[] values, double[][] vectors) {
  private static final int MAX_SWEEPS = 100;

  /** Decomposes {@code matrix} (square and symmetric; only its upper triangle is read). */
  public static SymmetricEigen of(double[][] matrix) {
    int n = matrix.length;
    double[][] a = new double[n][n];
    for (int i = 0; i < n; i++) {
      if (matrix[i].length != n) {
        throw new IllegalArgumentException("matrix is not square: row " + i + " has " + matrix[i].length + " entries, expected " + n);
      }
      for (int j = i; j < n; j++) {
        a[i][j] = matrix[i][j];
        a[j][i] = matrix[i][j];
      }
    }
    double[][] v = new double[n][n];   // columns are the eigenvectors
    for (int i = 0; i < n; i++) {
      v[i][i] = 1;
    }
    for (int sweep = 0; sweep < MAX_SWEEPS && offDiagonal(a) > 0; sweep++) {
      for (int p = 0; p < n - 1; p++) {
        for (int q = p + 1; q < n; q++) {
          rotate(a, v, p, q);
        }
      }
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (x, y) -> Double.compare(a[y][y], a[x][x]));
    double[] values = new double[n];
    double[][] vectors = new double[n][n];
    for (int i = 0; i < n; i++) {
      values[i] = a[order[i]][order[i]];
      for (int k = 0; k < n; k++) {
        vectors[i][k] = v[k][order[i]];
      }
    }
    return new SymmetricEigen(values, vectors);
  }

  /** Sum of squared off-diagonal entries, or 0 once they are negligible next to the diagonal. */
  private static double offDiagonal(double[][] a) {
    double off = 0;
    double diag = 0;
    for (int i = 0; i < a.length; i++) {
      diag += a[i][i] * a[i][i];
      for (int j = i + 1; j < a.length; j++) {
        off += a[i][j] * a[i][j];
      }
    }
    return off <= 1e-32 * diag ? 0 : off;
  }

  /** A' = J^T A J with the rotation J in the (p, q) plane that makes a'[p][q] zero; V = V J. */
  private static void rotate(double[][] a, double[][] v, int p, int q) {
    double apq = a[p][q];
    if (apq == 0) {
      return;
    }
    double theta = (a[q][q] - a[p][p]) / (2 * apq);
    // the smaller root of t^2 + 2 theta t - 1 = 0 keeps the rotation angle below pi/4 (stable)
    double t = Math.signum(theta == 0 ? 1 : theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
    double c = 1 / Math.sqrt(t * t + 1);
    double s = t * c;
    int n = a.length;
    for (int k = 0; k < n; k++) {   // columns p and q
      double akp = a[k][p];
      double akq = a[k][q];
      a[k][p] = c * akp - s * akq;
      a[k][q] = s * akp + c * akq;
    }
    for (int k = 0; k < n; k++) {   // rows p and q
      double apk = a[p][k];
      double aqk = a[q][k];
      a[p][k] = c * apk - s * aqk;
      a[q][k] = s * apk + c * aqk;
    }
    a[p][q] = 0;
    a[q][p] = 0;
    for (int k = 0; k < n; k++) {
      double vkp = v[k][p];
      double vkq = v[k][q];
      v[k][p] = c * vkp - s * vkq;
      v[k][q] = s * vkp + c * vkq;
    }
  }
}
