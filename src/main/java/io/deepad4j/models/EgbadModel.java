package io.deepad4j.models;

import static io.deepad4j.engine.GanOps.concat;
import static io.deepad4j.engine.GanOps.leakyRelu;
import static io.deepad4j.engine.GanOps.mean;
import static io.deepad4j.engine.GanOps.reconstructionTerm;
import static io.deepad4j.engine.GanOps.rowL1;
import static io.deepad4j.engine.GanOps.sigmoidCrossEntropy;

import io.deepad4j.engine.Activation;
import io.deepad4j.engine.AdamConfig;
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
 * EGBAD: Zenati, Foo, Lecouat, Manek and Chandrasekhar, "Efficient GAN-Based Anomaly Detection",
 * arXiv:1802.06222 (2018), with the KDD99 network of the authors' code (bigan/kdd_utilities.py,
 * github.com/houssamzenati/Efficient-GAN-Anomaly-Detection). A BiGAN: an encoder E (121-64-32,
 * LeakyReLU 0.1), a generator G (32-64-128-121, ReLU, linear output) and a discriminator D on
 * pairs (x, z) (x-128 and z-128 branches, joined by a 128 layer, LeakyReLU 0.1, dropout 0.2). D
 * learns to call (x, E(x)) real and (G(z), z) fake, z ~ N(0, I); G and E, each with its own Adam
 * optimizer, learn the opposite. Adam 1e-5, beta1 0.5, batch 50 as in the code.
 *
 * <p>Anomaly score A(x) = (1 - w) L_G(x) + w L_D(x), w = {@code scoreWeight} (0.1), with L_G =
 * ||x - G(E(x))||_1 and L_D either the cross-entropy of D(x, E(x)) against "real" (the paper's
 * definition) or the L1 distance between D's last hidden features of (x, E(x)) and of (G(E(x)),
 * E(x)) (feature matching). Scores use the moving averages of the weights, as the authors' code.
 */
public final class EgbadModel extends TfModel {
  /** How the discriminator part L_D of the score is measured. */
  public enum ScoreVariant {
    CROSS_ENTROPY,
    FEATURE_MATCHING;

  }

  static final float LEAKY_ALPHA = 0.1f;
  static final int ENCODER_HIDDEN = 64;
  static final int[] GENERATOR_HIDDEN = {64, 128};
  static final int DISCRIMINATOR_UNITS = 128;

  private final Config c;
  private final AdamConfig adam;

  private Layers layers;
  private Linear enc1;
  private Linear enc2;
  private Dense gen1;
  private Dense gen2;
  private Dense gen3;
  private Linear disX;
  private Linear disZ;
  private Linear disJoint;
  private Linear disLogit;

  /**
   * @param latentDim size of z (32)
   * @param learningRate Adam learning rate of D, G and E (1e-5)
   * @param beta1 Adam beta1 (0.5)
   * @param dropout dropout rate in D while training (0.2)
   * @param scoreWeight w in A(x) = (1 - w) L_G + w L_D (0.1)
   * @param scoreVariant how L_D is measured
   * @param emaDecay decay of the weights' moving average used for scoring; 0 scores with the last weights
   * @param spectralNorm spectral normalisation of the encoder's and the discriminator's hidden layers
   *     (not in the paper: ALAD's stabiliser, offered here too)
   * @param ganUpdates alternating: update D first, then G and E from the updated D, as the authors' code does
   *     (false: every gradient of a step from the same weights)
   * @param reconstructionWeight weight of the mean |x - G(E(x))| added to the generator's and the
   *     encoder's losses (0 = the paper's EGBAD, whose G and E never see a reconstruction)
   */
  @TfDetector.TrainingDefaults(epochs = 10, batchSize = 50)
  public record Config(
      @Param(value = "32", min = 1, max = 100_000, doc = "size of the latent code z") int latentDim,
      @Param(value = "1e-5", min = 1e-9, max = 10, doc = "Adam learning rate of discriminator, generator and encoder")
      double learningRate,
      @Param(value = "0.5", min = 0, max = 0.999999, doc = "Adam beta1") double beta1,
      @Param(value = "0.2", min = 0, max = 0.95, doc = "dropout rate in the discriminator while training") double dropout,
      @Param(value = "0.1", min = 0, max = 1, doc = "w in A(x) = (1 - w) L_G(x) + w L_D(x)") double scoreWeight,
      @Param(value = "feature_matching", doc = "L_D: cross-entropy of D(x, E(x)) vs real, or L1 distance of D's features"
          + " (feature matching)") ScoreVariant scoreVariant,
      @Param(value = "0.9999", min = 0, max = 0.999999, doc = "moving average of the weights used for scoring; 0 = last"
          + " weights") double emaDecay,
      @Param(value = "false", doc = "spectral normalisation of the encoder's and discriminator's hidden layers (not in"
          + " the paper)") boolean spectralNorm,
      @Param(value = "simultaneous", doc = GanUpdates.DOC) GanUpdates ganUpdates,
      @Param(value = "0", min = 0, max = 1e6, doc = "weight of the mean |x - G(E(x))| added to the generator's and"
          + " encoder's losses (0 = the paper's model)") double reconstructionWeight) {

    boolean alternating() {
      return ganUpdates == GanUpdates.ALTERNATING;
    }
  }

  public EgbadModel(Config config) {
    this.c = config;
    // epsilon 1e-8: tf.train.AdamOptimizer's, which the authors' code uses
    this.adam = new AdamConfig((float) c.learningRate(), (float) c.beta1(), 0.999f, 1e-8f);
  }

  @Override
  protected boolean alternatesUpdates() {
    return c.alternating();
  }

  @Override
  protected void build(Layers l, int numFeatures) {
    layers = l;
    // as ALAD: spectral normalisation on hidden layers only, never on an output layer
    enc1 = linear(l, "encoder", numFeatures, ENCODER_HIDDEN, c.spectralNorm());
    enc2 = linear(l, "encoder", ENCODER_HIDDEN, c.latentDim(), false);
    gen1 = l.dense("generator", c.latentDim(), GENERATOR_HIDDEN[0], Activation.RELU);
    gen2 = l.dense("generator", GENERATOR_HIDDEN[0], GENERATOR_HIDDEN[1], Activation.RELU);
    gen3 = l.dense("generator", GENERATOR_HIDDEN[1], numFeatures, Activation.LINEAR);
    disX = linear(l, "discriminator", numFeatures, DISCRIMINATOR_UNITS, c.spectralNorm());
    disZ = linear(l, "discriminator", c.latentDim(), DISCRIMINATOR_UNITS, c.spectralNorm());
    disJoint = linear(l, "discriminator", 2 * DISCRIMINATOR_UNITS, DISCRIMINATOR_UNITS, c.spectralNorm());
    disLogit = linear(l, "discriminator", DISCRIMINATOR_UNITS, 1, false);
    scoreWithMovingAverage(l, c.emaDecay());
  }

  private Operand<TFloat32> encode(Ops tf, Operand<TFloat32> x) {
    return enc2.apply(tf, leakyRelu(tf, enc1.apply(tf, x), LEAKY_ALPHA));
  }

  private Operand<TFloat32> generate(Ops tf, Operand<TFloat32> z) {
    return gen3.apply(tf, gen2.apply(tf, gen1.apply(tf, z)));
  }

  /** D(x, z): its logit [rows, 1] and its last hidden features (for feature matching). */
  private record Judgement(Operand<TFloat32> logit, Operand<TFloat32> features) {}

  private Judgement discriminate(Ops tf, Operand<TFloat32> x, Operand<TFloat32> z, boolean training) {
    Operand<TFloat32> hx = hidden(tf, disX, x, training);
    Operand<TFloat32> hz = hidden(tf, disZ, z, training);
    Operand<TFloat32> features = hidden(tf, disJoint, concat(tf, hx, hz), training);
    return new Judgement(disLogit.apply(tf, features), features);
  }

  private Operand<TFloat32> hidden(Ops tf, Linear d, Operand<TFloat32> in, boolean training) {
    Operand<TFloat32> h = leakyRelu(tf, d.apply(tf, in), LEAKY_ALPHA);
    return training ? layers.dropout(tf, h, c.dropout()) : h;
  }

  @Override
  protected List<Objective> objectives(Ops tf, Operand<TFloat32> x) {
    Operand<TFloat32> z = layers.normal(tf, GanOps.rowsBy(tf, x, c.latentDim()));
    Operand<TFloat32> ex = encode(tf, x);
    Judgement real = discriminate(tf, x, ex, true);                 // (x, E(x))
    Judgement fake = discriminate(tf, generate(tf, z), z, true);    // (G(z), z)
    Operand<TFloat32> dLoss = tf.math.add(
        mean(tf, sigmoidCrossEntropy(tf, real.logit(), true)),
        mean(tf, sigmoidCrossEntropy(tf, fake.logit(), false)));
    Operand<TFloat32> gLoss = mean(tf, sigmoidCrossEntropy(tf, fake.logit(), true));
    Operand<TFloat32> eLoss = mean(tf, sigmoidCrossEntropy(tf, real.logit(), false));
    if (c.reconstructionWeight() > 0) {
      Operand<TFloat32> rec = reconstructionTerm(tf, c.reconstructionWeight(), x, generate(tf, ex));
      gLoss = tf.math.add(gLoss, rec);
      eLoss = tf.math.add(eLoss, rec);
    }
    return List.of(
        new Objective("d_loss", dLoss, layers.group("discriminator"), adam),
        new Objective("g_loss", gLoss, layers.group("generator"), adam),
        new Objective("e_loss", eLoss, layers.group("encoder"), adam));
  }

  @Override
  protected Operand<TFloat32> score(Ops tf, Operand<TFloat32> x) {
    Operand<TFloat32> ex = encode(tf, x);
    Operand<TFloat32> reconstruction = generate(tf, ex);
    Operand<TFloat32> lG = rowL1(tf, tf.math.sub(x, reconstruction));
    Judgement real = discriminate(tf, x, ex, false);
    Operand<TFloat32> lD = switch (c.scoreVariant()) {
      case CROSS_ENTROPY -> sigmoidCrossEntropy(tf, real.logit(), true);
      case FEATURE_MATCHING ->
          rowL1(tf, tf.math.sub(real.features(), discriminate(tf, reconstruction, ex, false).features()));
    };
    return tf.math.add(
        tf.math.mul(tf.constant((float) (1 - c.scoreWeight())), lG), tf.math.mul(tf.constant((float) c.scoreWeight()), lD));
  }
}
