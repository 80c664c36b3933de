package io.deepad4j.models;

import static io.deepad4j.engine.GanOps.concat;
import static io.deepad4j.engine.GanOps.leakyRelu;
import static io.deepad4j.engine.GanOps.mean;
import static io.deepad4j.engine.GanOps.reconstructionTerm;
import static io.deepad4j.engine.GanOps.rowL1;
import static io.deepad4j.engine.GanOps.rowL2;
import static io.deepad4j.engine.GanOps.sigmoidCrossEntropy;

import io.deepad4j.engine.Activation;
import io.deepad4j.engine.AdamConfig;
import io.deepad4j.engine.BatchNorm;
import io.deepad4j.engine.Dense;
import io.deepad4j.engine.GanOps;
import io.deepad4j.engine.Layers;
import io.deepad4j.engine.Objective;
import io.deepad4j.engine.TfModel;
import io.deepad4j.spec.Param;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * ALAD: Zenati, Romain, Foo, Lecouat and Chandrasekhar, "Adversarially Learned Anomaly Detection",
 * ICDM 2018 (arXiv:1812.02288), with the KDD99 networks of the authors' code (alad/kdd_utilities.py
 * and alad/run.py, github.com/houssamzenati/Adversarially-Learned-Anomaly-Detection).
 *
 * <p>A BiGAN (encoder E 121-64-32, generator G 32-64-128-121) with three discriminators: D_xz on
 * (x, z) pairs, (x, E(x)) real vs (G(z), z) fake (x branch 128 with batch normalisation, z branch
 * 128 with dropout 0.5, joint 128 with dropout 0.5); D_xx on (x, x) real vs (x, G(E(x))) fake (128,
 * dropout 0.2) and D_zz on (z, z) real vs (z, E(G(z))) fake (32, dropout 0.2), the last two
 * enforcing cycle consistency. LeakyReLU 0.2, z ~ N(0, I). Three Adam optimizers (lr 1e-5, beta1
 * 0.5, batch 50): the discriminators on their summed losses, the generator on its adversarial
 * loss plus the cycle terms, the encoder on its own plus the same cycle terms. Two additions the paper
 * does not have, off by default: the cycle terms weighted against D_xz's ({@code cycleWeight}) and a
 * reconstruction term ({@code reconstructionWeight}).
 *
 * <p>Score (higher = more anomalous), computed with the moving averages of the weights: {@code
 * fm} = L1 distance between D_xx's hidden features of (x, x) and of (x, G(E(x))) (the paper's);
 * {@code l1} and {@code l2} = distance between x and G(E(x)); {@code logits} = cross-entropy of
 * D_xx(x, G(E(x))) against "real". Optional spectral normalisation of the encoder's and the
 * discriminators' hidden layers (the paper's; the authors' KDD code accepts the flag but does not apply it).
 */
public final class AladModel extends TfModel {
  /** The anomaly scores of the paper's ablation (Table "score variants"). */
  public enum ScoreVariant {
    FM,
    L1,
    L2,
    LOGITS;

  }

  static final float LEAKY_ALPHA = 0.2f;
  static final int ENCODER_HIDDEN = 64;
  static final int[] GENERATOR_HIDDEN = {64, 128};
  static final int DXZ_UNITS = 128;
  static final double DXZ_DROPOUT = 0.5;
  static final int DXX_UNITS = 128;
  static final int DZZ_UNITS = 32;
  static final double CYCLE_DROPOUT = 0.2;

  private final Config c;
  private final AdamConfig adam;

  private Layers layers;
  private Linear enc1;
  private Linear enc2;
  private Dense gen1;
  private Dense gen2;
  private Dense gen3;
  private Linear xzX;
  private BatchNorm xzXNorm;
  private Linear xzZ;
  private Linear xzJoint;
  private Linear xzLogit;
  private Linear xxHidden;
  private Linear xxLogit;
  private Linear zzHidden;
  private Linear zzLogit;

  /**
   * @param latentDim size of z (32)
   * @param learningRate Adam learning rate of every optimizer (1e-5)
   * @param beta1 Adam beta1 (0.5)
   * @param scoreVariant which score to compute
   * @param spectralNorm spectral normalisation of the encoder and discriminators
   * @param emaDecay decay of the weights' moving average used for scoring; 0 scores with the last weights
   * @param ganUpdates alternating: update the discriminators first, then G and E from the updated
   *     discriminators, as the authors' code does (false: every gradient of a step from the same weights)
   * @param reconstructionWeight weight of the mean |x - G(E(x))| added to the generator's and the
   *     encoder's losses (0 = the paper's ALAD, whose cycle consistency is adversarial only)
   * @param cycleWeight weight of the cycle terms (D_xx's and D_zz's) in the generator's and the
   *     encoder's losses, against D_xz's adversarial term (1 = the paper's)
   */
  @TfDetector.TrainingDefaults(epochs = 10, batchSize = 50)
  public record Config(
      @Param(value = "32", min = 1, max = 100_000, doc = "size of the latent code z") int latentDim,
      @Param(value = "1e-5", min = 1e-9, max = 10, doc = "Adam learning rate of discriminators, generator and encoder")
      double learningRate,
      @Param(value = "0.5", min = 0, max = 0.999999, doc = "Adam beta1") double beta1,
      @Param(value = "fm", doc = "fm: L1 distance of D_xx features of (x, x) and (x, G(E(x))); l1/l2: |x - G(E(x))|;"
          + " logits: D_xx cross-entropy") ScoreVariant scoreVariant,
      @Param(value = "false", doc = "spectral normalisation of the encoder and discriminator layers") boolean spectralNorm,
      @Param(value = "0.999", min = 0, max = 0.999999, doc = "moving average of the weights used for scoring; 0 = last"
          + " weights") double emaDecay,
      @Param(value = "1", min = 0, max = 1e6, doc = "weight of the cycle terms (D_xx, D_zz) in the generator's and"
          + " encoder's losses, against D_xz's (1 = the paper's)") double cycleWeight,
      @Param(value = "simultaneous", doc = GanUpdates.DOC) GanUpdates ganUpdates,
      @Param(value = "0", min = 0, max = 1e6, doc = "weight of the mean |x - G(E(x))| added to the generator's and"
          + " encoder's losses (0 = the paper's model)") double reconstructionWeight) {

    boolean alternating() {
      return ganUpdates == GanUpdates.ALTERNATING;
    }
  }

  public AladModel(Config config) {
    this.c = config;
    // epsilon 1e-8: tf.train.AdamOptimizer's, which the authors' code uses
    this.adam = new AdamConfig((float) c.learningRate(), (float) c.beta1(), 0.999f, 1e-8f);
  }

  @Override
  protected boolean alternatesUpdates() {
    return c.alternating();
  }

  @Override
  protected void build(Layers l, int n) {
    layers = l;
    enc1 = linear(l, "encoder", n, ENCODER_HIDDEN, c.spectralNorm());
    // as the authors' code: spectral normalisation on hidden layers only, never on an output layer
    enc2 = linear(l, "encoder", ENCODER_HIDDEN, c.latentDim(), false);
    gen1 = l.dense("generator", c.latentDim(), GENERATOR_HIDDEN[0], Activation.RELU);
    gen2 = l.dense("generator", GENERATOR_HIDDEN[0], GENERATOR_HIDDEN[1], Activation.RELU);
    gen3 = l.dense("generator", GENERATOR_HIDDEN[1], n, Activation.LINEAR);
    xzX = linear(l, "d_xz", n, DXZ_UNITS, c.spectralNorm());
    xzXNorm = new BatchNorm(l, "d_xz", DXZ_UNITS);
    xzZ = linear(l, "d_xz", c.latentDim(), DXZ_UNITS, c.spectralNorm());
    xzJoint = linear(l, "d_xz", 2 * DXZ_UNITS, DXZ_UNITS, c.spectralNorm());
    xzLogit = linear(l, "d_xz", DXZ_UNITS, 1, false);
    xxHidden = linear(l, "d_xx", 2 * n, DXX_UNITS, c.spectralNorm());
    xxLogit = linear(l, "d_xx", DXX_UNITS, 1, false);
    zzHidden = linear(l, "d_zz", 2 * c.latentDim(), DZZ_UNITS, c.spectralNorm());
    zzLogit = linear(l, "d_zz", DZZ_UNITS, 1, false);
    scoreWithMovingAverage(l, c.emaDecay());
  }

  private Operand<TFloat32> encode(Ops tf, Operand<TFloat32> x) {
    return enc2.apply(tf, leakyRelu(tf, enc1.apply(tf, x), LEAKY_ALPHA));
  }

  private Operand<TFloat32> generate(Ops tf, Operand<TFloat32> z) {
    return gen3.apply(tf, gen2.apply(tf, gen1.apply(tf, z)));
  }

  private Operand<TFloat32> hidden(Ops tf, Linear layer, Operand<TFloat32> in, double dropout, boolean training) {
    Operand<TFloat32> h = leakyRelu(tf, layer.apply(tf, in), LEAKY_ALPHA);
    return training ? layers.dropout(tf, h, dropout) : h;
  }

  /** A discriminator's logit [rows, 1] and last hidden features. */
  private record Judgement(Operand<TFloat32> logit, Operand<TFloat32> features) {}

  /** D_xz(x, z); used in training only, so its batch normalisation always uses batch statistics. */
  private Operand<TFloat32> dxz(Ops tf, Operand<TFloat32> x, Operand<TFloat32> z) {
    Operand<TFloat32> hx = leakyRelu(tf, xzXNorm.apply(tf, xzX.apply(tf, x)), LEAKY_ALPHA);
    Operand<TFloat32> hz = hidden(tf, xzZ, z, DXZ_DROPOUT, true);
    return xzLogit.apply(tf, hidden(tf, xzJoint, concat(tf, hx, hz), DXZ_DROPOUT, true));
  }

  private Judgement dxx(Ops tf, Operand<TFloat32> x, Operand<TFloat32> other, boolean training) {
    Operand<TFloat32> h = hidden(tf, xxHidden, concat(tf, x, other), CYCLE_DROPOUT, training);
    return new Judgement(xxLogit.apply(tf, h), h);
  }

  private Operand<TFloat32> dzz(Ops tf, Operand<TFloat32> z, Operand<TFloat32> other) {
    return zzLogit.apply(tf, hidden(tf, zzHidden, concat(tf, z, other), CYCLE_DROPOUT, true));
  }

  /** mean over rows of CE(real logits, label) + CE(fake logits, 1 - label). */
  private static Operand<TFloat32> pairLoss(Ops tf, Operand<TFloat32> real, Operand<TFloat32> fake, boolean realLabel) {
    return mean(tf, tf.math.add(sigmoidCrossEntropy(tf, real, realLabel), sigmoidCrossEntropy(tf, fake, !realLabel)));
  }

  @Override
  protected List<Objective> objectives(Ops tf, Operand<TFloat32> x) {
    Operand<TFloat32> z = layers.normal(tf, GanOps.rowsBy(tf, x, c.latentDim()));
    Operand<TFloat32> ex = encode(tf, x);
    Operand<TFloat32> gz = generate(tf, z);
    Operand<TFloat32> xRec = generate(tf, ex);
    Operand<TFloat32> zRec = encode(tf, gz);

    Operand<TFloat32> xzReal = dxz(tf, x, ex);
    Operand<TFloat32> xzFake = dxz(tf, gz, z);
    Operand<TFloat32> xxReal = dxx(tf, x, x, true).logit();
    Operand<TFloat32> xxFake = dxx(tf, x, xRec, true).logit();
    Operand<TFloat32> zzReal = dzz(tf, z, z);
    Operand<TFloat32> zzFake = dzz(tf, z, zRec);

    Operand<TFloat32> dLoss = tf.math.add(
        tf.math.add(
            tf.math.add(mean(tf, sigmoidCrossEntropy(tf, xzReal, true)), mean(tf, sigmoidCrossEntropy(tf, xzFake, false))),
            pairLoss(tf, xxReal, xxFake, true)),
        pairLoss(tf, zzReal, zzFake, true));
    // the cycle terms, for G and E: make D_xx and D_zz take reconstructions for the real pairs
    Operand<TFloat32> cycle = tf.math.mul(tf.constant((float) c.cycleWeight()),
        tf.math.add(pairLoss(tf, xxReal, xxFake, false), pairLoss(tf, zzReal, zzFake, false)));
    // the terms G and E share: the cycle terms and, if asked, the reconstruction error
    Operand<TFloat32> shared = c.reconstructionWeight() > 0
        ? tf.math.add(cycle, reconstructionTerm(tf, c.reconstructionWeight(), x, xRec))
        : cycle;
    Operand<TFloat32> gLoss = tf.math.add(mean(tf, sigmoidCrossEntropy(tf, xzFake, true)), shared);
    Operand<TFloat32> eLoss = tf.math.add(mean(tf, sigmoidCrossEntropy(tf, xzReal, false)), shared);
    return List.of(
        new Objective("d_loss", dLoss, layers.groups("d_xz", "d_xx", "d_zz"), adam),
        new Objective("g_loss", gLoss, layers.group("generator"), adam),
        new Objective("e_loss", eLoss, layers.group("encoder"), adam));
  }

  @Override
  protected Operand<TFloat32> score(Ops tf, Operand<TFloat32> x) {
    Operand<TFloat32> xRec = generate(tf, encode(tf, x));
    return switch (c.scoreVariant()) {
      case FM -> rowL1(tf, tf.math.sub(dxx(tf, x, x, false).features(), dxx(tf, x, xRec, false).features()));
      case L1 -> rowL1(tf, tf.math.sub(x, xRec));
      case L2 -> rowL2(tf, tf.math.sub(x, xRec));
      case LOGITS -> sigmoidCrossEntropy(tf, dxx(tf, x, xRec, false).logit(), true);
    };
  }
}
