package io.deepad4j.models;

import io.deepad4j.engine.Activation;
import io.deepad4j.engine.AdamConfig;
import io.deepad4j.engine.Dense;
import io.deepad4j.engine.Layers;
import io.deepad4j.engine.Objective;
import io.deepad4j.engine.TfModel;
import io.deepad4j.spec.Param;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The FF12 report's variational autoencoder (Kingma and Welling, 2014, arXiv:1312.6114): a dense
 * encoder to the mean and log-variance of a Gaussian latent, a reparameterised sample
 * z = mean + exp(logvar / 2) * eps, and a dense decoder with sigmoid output. Loss per row, as in the
 * report's Keras code: n_features x MSE + kl_weight x KL(q(z|x) || N(0, I)). With
 * {@code dropout} > 0 the encoder reads the row with values dropped while training and the loss
 * compares with the whole row (a denoising VAE, Im et al., 2017, arXiv:1511.06406); the report's
 * code has no dropout (0).
 *
 * <p>Scores: {@link ScoreMode#RECONSTRUCTION} decodes the latent mean (deterministic);
 * {@link ScoreMode#MEAN_RECONSTRUCTION} averages the reconstruction error over {@code samples}
 * latent draws; {@link ScoreMode#ELBO} is the loss itself (negative ELBO when kl_weight is 1)
 * averaged over the same draws. Scoring draws are constants fixed by the seed at build time, the
 * same for every row, so a row's score does not depend on its batch and the saved model scores
 * exactly as the trained one.
 */
public final class VaeModel extends TfModel {

  /** How a row's anomaly score is computed. */
  public enum ScoreMode {
    RECONSTRUCTION,
    MEAN_RECONSTRUCTION,
    ELBO;
  }

  private static final String GROUP = "vae";

  private final List<Integer> hidden;
  private final int latentDim;
  private final Activation activation;
  private final Activation outputActivation;
  private final double learningRate;
  private final double klWeight;
  private final double inputDropout;
  private final ScoreMode scoreMode;
  private final int samples;

  private Layers vars;
  private int numFeatures;
  private final List<Dense> encoder = new ArrayList<>();
  private Dense zMean;
  private Dense zLogVar;
  private final List<Dense> decoder = new ArrayList<>();
  private float[][] scoringNoise;

  /** A reparameterised Gaussian latent: its mean and log-variance, [rows, latent] each. */
  private record Latent(Operand<TFloat32> mean, Operand<TFloat32> logVar) {}

  /** The VAE's keys (model.*). */
  @TfDetector.TrainingDefaults(epochs = 8, batchSize = 128)
  public record Config(
      @Param(value = "[15, 7]", min = 1, max = 100_000, doc = "encoder layer sizes; the decoder mirrors them") List<Integer> hidden,
      @Param(value = "2", min = 1, max = 100_000, doc = "size of the Gaussian latent") int latentDim,
      @Param(value = "relu", doc = "hidden activation") Activation activation,
      @Param(value = "sigmoid", doc = "output activation (sigmoid suits minmax scaling)") Activation outputActivation,
      @Param(value = "0.01", min = 1e-9, max = 10, doc = "Adam learning rate") double learningRate,
      @Param(value = "1.0", min = 0, max = 1e6, doc = "weight of the KL term in the loss (1 = the ELBO)") double klWeight,
      @Param(value = "0.0", min = 0, max = 0.99, doc = "dropout of the encoder's input while training (denoising; the"
          + " loss compares with the whole row)") double dropout,
      @Param(value = "reconstruction", doc = "reconstruction: error of the decoded latent mean; mean_reconstruction:"
          + " mean error over `samples` draws; elbo: loss (negative ELBO) over `samples` draws") ScoreMode score,
      @Param(value = "10", min = 1, max = 10_000, doc = "latent draws per row for score: mean_reconstruction | elbo")
      int samples) {}

  public VaeModel(Config c) {
    if (c.samples() < 1) {
      throw new IllegalArgumentException("model.samples must be >= 1, got " + c.samples());
    }
    this.hidden = List.copyOf(c.hidden());
    this.latentDim = c.latentDim();
    this.activation = c.activation();
    this.outputActivation = c.outputActivation();
    this.learningRate = c.learningRate();
    this.klWeight = c.klWeight();
    this.inputDropout = c.dropout();
    this.scoreMode = c.score();
    this.samples = c.samples();
  }

  @Override
  protected void build(Layers l, int n) {
    vars = l;
    numFeatures = n;
    encoder.clear(); // a refit builds a new graph
    decoder.clear();
    int in = n;
    for (int units : hidden) {
      encoder.add(l.dense(GROUP, in, units, activation));
      in = units;
    }
    zMean = l.dense(GROUP, in, latentDim, Activation.LINEAR);
    zLogVar = l.dense(GROUP, in, latentDim, Activation.LINEAR);
    in = latentDim;
    for (int i = hidden.size() - 1; i >= 0; i--) {
      decoder.add(l.dense(GROUP, in, hidden.get(i), activation));
      in = hidden.get(i);
    }
    decoder.add(l.dense(GROUP, in, n, outputActivation));
    SplittableRandom r = new SplittableRandom(l.seed() ^ 0x7AE5C0DEL);
    scoringNoise = new float[samples][latentDim];
    for (float[] row : scoringNoise) {
      for (int j = 0; j < latentDim; j++) {
        row[j] = (float) r.nextGaussian();
      }
    }
  }

  private Latent encode(Ops tf, Operand<TFloat32> x) {
    Operand<TFloat32> h = x;
    for (Dense d : encoder) {
      h = d.apply(tf, h);
    }
    return new Latent(zMean.apply(tf, h), zLogVar.apply(tf, h));
  }

  private Operand<TFloat32> decode(Ops tf, Operand<TFloat32> z) {
    Operand<TFloat32> h = z;
    for (Dense d : decoder) {
      h = d.apply(tf, h);
    }
    return h;
  }

  /** z = mean + exp(logvar / 2) * eps; eps broadcasts against [rows, latent]. */
  private static Operand<TFloat32> sample(Ops tf, Latent q, Operand<TFloat32> eps) {
    return tf.math.add(q.mean(), tf.math.mul(tf.math.exp(tf.math.mul(q.logVar(), tf.constant(0.5f))), eps));
  }

  /** KL(N(mean, exp(logvar)) || N(0, I)) per row, [rows]. */
  private static Operand<TFloat32> kl(Ops tf, Latent q) {
    Operand<TFloat32> terms = tf.math.sub(
        tf.math.sub(tf.math.add(tf.constant(1f), q.logVar()), tf.math.square(q.mean())),
        tf.math.exp(q.logVar()));
    return tf.math.mul(rowSum(tf, terms), tf.constant(-0.5f));
  }

  /** n_features x MSE per row, [rows]. */
  private Operand<TFloat32> reconstructionLoss(Ops tf, Operand<TFloat32> x, Operand<TFloat32> reconstruction) {
    return tf.math.mul(rowMean(tf, tf.math.squaredDifference(reconstruction, x)), tf.constant((float) numFeatures));
  }

  @Override
  protected List<Objective> objectives(Ops tf, Operand<TFloat32> batch) {
    // the encoder sees the row with values dropped, the loss compares with the whole row (denoising)
    Latent q = encode(tf, vars.dropout(tf, batch, inputDropout));
    Operand<TFloat32> z = sample(tf, q, vars.normalLike(tf, batch, latentDim));
    Operand<TFloat32> perRow = tf.math.add(
        reconstructionLoss(tf, batch, decode(tf, z)), tf.math.mul(kl(tf, q), tf.constant((float) klWeight)));
    return List.of(new Objective("loss", mean(tf, perRow), vars.all(), AdamConfig.of(learningRate)));
  }

  @Override
  protected Operand<TFloat32> score(Ops tf, Operand<TFloat32> rows) {
    Latent q = encode(tf, rows);
    if (scoreMode == ScoreMode.RECONSTRUCTION) {
      return rowMean(tf, tf.math.squaredDifference(decode(tf, q.mean()), rows));
    }
    // Every row gets the same `samples` draws: z is [samples, rows, latent], decoded as one batch.
    Operand<TFloat32> eps = tf.reshape(tf.constant(scoringNoise), tf.constant(new int[] {samples, 1, latentDim}));
    Operand<TFloat32> z = sample(tf, new Latent(tf.expandDims(q.mean(), tf.constant(0)),
        tf.expandDims(q.logVar(), tf.constant(0))), eps);
    Operand<TFloat32> decoded = decode(tf, tf.reshape(z, tf.constant(new int[] {-1, latentDim})));
    Operand<TFloat32> perSample = tf.reshape(decoded, tf.constant(new int[] {samples, -1, numFeatures}));
    // [samples, rows]: mean squared error of each draw
    Operand<TFloat32> mse = tf.math.mean(
        tf.math.squaredDifference(perSample, tf.expandDims(rows, tf.constant(0))), tf.constant(2));
    Operand<TFloat32> meanMse = tf.math.mean(mse, tf.constant(0));
    if (scoreMode == ScoreMode.MEAN_RECONSTRUCTION) {
      return meanMse;
    }
    return tf.math.add(tf.math.mul(meanMse, tf.constant((float) numFeatures)),
        tf.math.mul(kl(tf, q), tf.constant((float) klWeight)));
  }
}
