package io.deepad4j.models;

/**
 * The first k principal components of a set of rows: the mean and the k orthonormal directions
 * of largest variance, from the eigen-decomposition of the sample covariance matrix (denominator
 * n - 1, as scikit-learn's PCA reports explained variance).
 *
 * <p>Signs. An eigenvector's sign is arbitrary; {@link #componentDistance} depends on it. The
 * sign is fixed as scikit-learn 0.23 (the FF12 code's version) fixes it with {@code
 * svd_flip(U, V)}: the training row with the largest absolute projection on a component projects
 * positively (on ties, the first such row).
 *
 * @param mean per-feature mean of the training rows
 * @param components {@code components[i]} is the i-th unit direction, largest variance first
 * @param explainedVariance the variance of the training rows along each component
 * @param explainedVarianceRatio each component's share of the total variance
 */
public record PrincipalComponents(
    double[] mean, double[][] components, double[] explainedVariance, double[] explainedVarianceRatio) {

  /** Fits k components on the rows (at least two rows; 1 <= k <= number of features). */
  public static PrincipalComponents fit(float[][] rows, int k) {
    if (rows.length < 2) {
      throw new IllegalArgumentException("PCA needs at least 2 training rows, got " + rows.length);
    }
    int d = rows[0].length;
    if (k < 1 || k > d) {
      throw new IllegalArgumentException("cannot fit " + k + " principal components to " + d + " features; choose 1 to " + d);
    }
    double[] mean = new double[d];
    for (float[] r : rows) {
      for (int j = 0; j < d; j++) {
        mean[j] += r[j];
      }
    }
    for (int j = 0; j < d; j++) {
      mean[j] /= rows.length;
    }
    double[][] cov = new double[d][d];
    double[] c = new double[d];
    for (float[] r : rows) {
      for (int j = 0; j < d; j++) {
        c[j] = r[j] - mean[j];
      }
      for (int i = 0; i < d; i++) {
        double ci = c[i];
        if (ci == 0) {
          continue;   // KDD rows are sparse after centring on constant-ish features
        }
        double[] row = cov[i];
        for (int j = i; j < d; j++) {
          row[j] += ci * c[j];
        }
      }
    }
    double total = 0;
    for (int i = 0; i < d; i++) {
      for (int j = i; j < d; j++) {
        cov[i][j] /= rows.length - 1;
      }
      total += cov[i][i];
    }
    SymmetricEigen eigen = SymmetricEigen.of(cov);
    double[][] components = new double[k][];
    double[] variance = new double[k];
    double[] ratio = new double[k];
    for (int i = 0; i < k; i++) {
      components[i] = eigen.vectors()[i].clone();
      variance[i] = Math.max(0, eigen.values()[i]);   // rounding can make a zero eigenvalue slightly negative
      ratio[i] = total > 0 ? variance[i] / total : 0;
    }
    fixSigns(rows, mean, components);
    return new PrincipalComponents(mean, components, variance, ratio);
  }

  /** scikit-learn's svd_flip(U, V) convention: the largest |projection| of a training row is positive. */
  private static void fixSigns(float[][] rows, double[] mean, double[][] components) {
    for (double[] v : components) {
      double extreme = 0;
      for (float[] r : rows) {
        double z = project(r, mean, v);
        if (Math.abs(z) > Math.abs(extreme)) {
          extreme = z;
        }
      }
      if (extreme < 0) {
        for (int j = 0; j < v.length; j++) {
          v[j] = -v[j];
        }
      }
    }
  }

  private static double project(float[] row, double[] mean, double[] direction) {
    double z = 0;
    for (int j = 0; j < direction.length; j++) {
      z += (row[j] - mean[j]) * direction[j];
    }
    return z;
  }

  public int numComponents() {
    return components.length;
  }

  public int numFeatures() {
    return mean.length;
  }

  /**
   * Squared distance from the row to the k-dimensional plane through the mean spanned by the
   * components: the squared error of projecting the row onto the components and back.
   */
  public double reconstructionError(float[] row) {
    checkWidth(row);
    int d = mean.length;
    double[] reconstruction = mean.clone();
    for (double[] v : components) {
      double z = project(row, mean, v);
      for (int j = 0; j < d; j++) {
        reconstruction[j] += z * v[j];
      }
    }
    double error = 0;
    for (int j = 0; j < d; j++) {
      double e = row[j] - reconstruction[j];
      error += e * e;
    }
    return error;
  }

  /**
   * The FF12 code's "distance to the components" ({@code compute_anomaly_score_unsupervised} in
   * models/pca.py: {@code np.sum(cdist(df, pca.components_), axis=1)}): the sum over components
   * of the Euclidean distance between the row and the component's unit vector taken as a point.
   * Not the distance to the principal subspace: the row is not centred and each component is
   * treated as a point at distance 1 from the origin, so the score depends on the components'
   * signs (see the class comment).
   */
  public double componentDistance(float[] row) {
    checkWidth(row);
    double sum = 0;
    for (double[] v : components) {
      double s = 0;
      for (int j = 0; j < v.length; j++) {
        double e = row[j] - v[j];
        s += e * e;
      }
      sum += Math.sqrt(s);
    }
    return sum;
  }

  private void checkWidth(float[] row) {
    if (row.length != mean.length) {
      throw new IllegalArgumentException("row has " + row.length + " values, the principal components " + mean.length);
    }
  }
}
