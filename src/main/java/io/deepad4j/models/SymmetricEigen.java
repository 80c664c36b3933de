package io.deepad4j.models;

/**
 * Eigen-decomposition of a real symmetric matrix. Up to {@value #JACOBI_MAX} rows by the cyclic Jacobi method
 * (Golub and Van Loan, "Matrix Computations", section 8.5): plane rotations zero the off-diagonal entries one pair
 * at a time until the matrix is diagonal; exact to machine precision and plenty for covariance matrices of a few
 * hundred features (KDD99: 18 or 121). Larger matrices (ADBench's 17_InternetAds: 1,555 features, where Jacobi
 * took minutes) by Householder tridiagonalisation and the implicit QL method (EISPACK's tred2 and tql2, as in
 * JAMA's EigenvalueDecomposition; Golub and Van Loan, sections 8.3.1 and 8.3.5), about 4 n^3 operations.
 *
 * @param values eigenvalues, largest first
 * @param vectors {@code vectors[i]} is the unit eigenvector of {@code values[i]}
 */
public record SymmetricEigen(double[] values, double[][] vectors) {
  private static final int MAX_SWEEPS = 100;
  /** The largest matrix decomposed by Jacobi rotations; larger ones by Householder and QL. */
  static final int JACOBI_MAX = 256;

  /** Decomposes {@code matrix} (square and symmetric; only its upper triangle is read). */
  public static SymmetricEigen of(double[][] matrix) {
    return matrix.length <= JACOBI_MAX ? jacobi(matrix) : householderQl(matrix);
  }

  /** By Jacobi rotations, whatever the size. */
  static SymmetricEigen jacobi(double[][] matrix) {
    int n = matrix.length;
    double[][] a = symmetric(matrix);
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

  /** A full copy of the square {@code matrix} from its upper triangle. */
  private static double[][] symmetric(double[][] matrix) {
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
    return a;
  }

  /** By Householder tridiagonalisation and implicit QL, whatever the size. */
  static SymmetricEigen householderQl(double[][] matrix) {
    int n = matrix.length;
    double[][] v = symmetric(matrix);
    double[] d = new double[n];
    double[] e = new double[n];
    tred2(v, d, e);
    double[][] w = new double[n][n];   // w[i] = column i of v: QL's rotations then run along rows (cache-friendly)
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < n; k++) {
        w[i][k] = v[k][i];
      }
    }
    tql2(w, d, e);
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (x, y) -> Double.compare(d[y], d[x]));
    double[] values = new double[n];
    double[][] vectors = new double[n][];
    for (int i = 0; i < n; i++) {
      values[i] = d[order[i]];
      vectors[i] = w[order[i]];
    }
    return new SymmetricEigen(values, vectors);
  }

  /**
   * Householder reduction of the symmetric {@code v} to tridiagonal form (EISPACK tred2): on return {@code d} holds
   * the diagonal, {@code e} the subdiagonal (e[0] = 0) and {@code v} the accumulated orthogonal transformation.
   */
  private static void tred2(double[][] v, double[] d, double[] e) {
    int n = d.length;
    System.arraycopy(v[n - 1], 0, d, 0, n);
    for (int i = n - 1; i > 0; i--) {
      double scale = 0;
      double h = 0;
      for (int k = 0; k < i; k++) {
        scale += Math.abs(d[k]);
      }
      if (scale == 0) {
        e[i] = d[i - 1];
        for (int j = 0; j < i; j++) {
          d[j] = v[i - 1][j];
          v[i][j] = 0;
          v[j][i] = 0;
        }
      } else {
        for (int k = 0; k < i; k++) {
          d[k] /= scale;
          h += d[k] * d[k];
        }
        double f = d[i - 1];
        double g = Math.sqrt(h);
        if (f > 0) {
          g = -g;
        }
        e[i] = scale * g;
        h -= f * g;
        d[i - 1] = f - g;
        for (int j = 0; j < i; j++) {
          e[j] = 0;
        }
        for (int j = 0; j < i; j++) {
          f = d[j];
          v[j][i] = f;
          g = e[j] + v[j][j] * f;
          for (int k = j + 1; k <= i - 1; k++) {
            g += v[k][j] * d[k];
            e[k] += v[k][j] * f;
          }
          e[j] = g;
        }
        f = 0;
        for (int j = 0; j < i; j++) {
          e[j] /= h;
          f += e[j] * d[j];
        }
        double hh = f / (h + h);
        for (int j = 0; j < i; j++) {
          e[j] -= hh * d[j];
        }
        for (int j = 0; j < i; j++) {
          f = d[j];
          g = e[j];
          for (int k = j; k <= i - 1; k++) {
            v[k][j] -= f * e[k] + g * d[k];
          }
          d[j] = v[i - 1][j];
          v[i][j] = 0;
        }
      }
      d[i] = h;
    }
    for (int i = 0; i < n - 1; i++) {   // accumulate the transformations
      v[n - 1][i] = v[i][i];
      v[i][i] = 1;
      double h = d[i + 1];
      if (h != 0) {
        for (int k = 0; k <= i; k++) {
          d[k] = v[k][i + 1] / h;
        }
        for (int j = 0; j <= i; j++) {
          double g = 0;
          for (int k = 0; k <= i; k++) {
            g += v[k][i + 1] * v[k][j];
          }
          for (int k = 0; k <= i; k++) {
            v[k][j] -= g * d[k];
          }
        }
      }
      for (int k = 0; k <= i; k++) {
        v[k][i + 1] = 0;
      }
    }
    for (int j = 0; j < n; j++) {
      d[j] = v[n - 1][j];
      v[n - 1][j] = 0;
    }
    v[n - 1][n - 1] = 1;
    e[0] = 0;
  }

  /**
   * Implicit QL iterations on the tridiagonal matrix (d, e) from {@link #tred2} (EISPACK tql2): on return {@code d}
   * holds the eigenvalues (unsorted) and row i of {@code w} (the transposed transformation) the eigenvector of d[i].
   */
  private static void tql2(double[][] w, double[] d, double[] e) {
    int n = d.length;
    for (int i = 1; i < n; i++) {
      e[i - 1] = e[i];
    }
    e[n - 1] = 0;
    double f = 0;
    double tst1 = 0;
    double eps = Math.ulp(1.0);
    for (int l = 0; l < n; l++) {
      tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
      int m = l;
      while (m < n && Math.abs(e[m]) > eps * tst1) {
        m++;   // e[n - 1] is 0, so m stops at n - 1 at the latest
      }
      if (m > l) {
        int iterations = 0;
        do {
          if (++iterations > 60) {
            throw new ArithmeticException("the QL iteration did not converge for eigenvalue " + l + " of " + n);
          }
          double g = d[l];
          double p = (d[l + 1] - g) / (2 * e[l]);
          double r = Math.hypot(p, 1);
          if (p < 0) {
            r = -r;
          }
          d[l] = e[l] / (p + r);
          d[l + 1] = e[l] * (p + r);
          double dl1 = d[l + 1];
          double h = g - d[l];
          for (int i = l + 2; i < n; i++) {
            d[i] -= h;
          }
          f += h;
          p = d[m];
          double c = 1;
          double c2 = c;
          double c3 = c;
          double el1 = e[l + 1];
          double s = 0;
          double s2 = 0;
          for (int i = m - 1; i >= l; i--) {
            c3 = c2;
            c2 = c;
            s2 = s;
            g = c * e[i];
            h = c * p;
            r = Math.hypot(p, e[i]);
            e[i + 1] = s * r;
            s = e[i] / r;
            c = p / r;
            p = c * d[i] - s * g;
            d[i + 1] = h + s * (c * g + s * d[i]);
            double[] wi = w[i];
            double[] wi1 = w[i + 1];
            for (int k = 0; k < n; k++) {
              h = wi1[k];
              wi1[k] = s * wi[k] + c * h;
              wi[k] = c * wi[k] - s * h;
            }
          }
          p = -s * s2 * c3 * el1 * e[l] / dl1;
          e[l] = s * p;
          d[l] = c * p;
        } while (Math.abs(e[l]) > eps * tst1);
      }
      d[l] += f;
      e[l] = 0;
    }
  }
}
