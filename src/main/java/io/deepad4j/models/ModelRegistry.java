package io.deepad4j.models;

import io.deepad4j.engine.Activation;
import io.deepad4j.spec.Field;
import io.deepad4j.spec.ModelSchemas;
import io.deepad4j.spec.ResolvedSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Every detector type the spec can name. Adding a method: one class plus one entry here. */
public final class ModelRegistry implements ModelSchemas {
  private static final List<String> ACTIVATIONS = List.of("relu", "sigmoid", "tanh", "leaky_relu", "linear");
  /** How a GAN's networks take turns within a training step. */
  private static final Field GAN_UPDATES = Field.choice("gan_updates", "simultaneous", List.of("simultaneous", "alternating"),
      "simultaneous: every network's gradient of a step from the same weights; alternating: the discriminator is"
          + " updated first, then the generator and encoder from it (the GAN papers' code; about 1.5x the time per step)");
  private static final Field RECONSTRUCTION_WEIGHT = Field.number("reconstruction_weight", 0, 0, 1e6,
      "weight of the mean |x - G(E(x))| added to the generator's and encoder's losses (0 = the paper's model)");
  // after the fields above: the constructor uses them
  private static final ModelRegistry INSTANCE = new ModelRegistry();
  private final Map<String, ModelType> types = new LinkedHashMap<>();

  private ModelRegistry() {
    register(new ModelType("ae",
        withTraining(TfDetector.trainingFields(50, 256),
            Field.intList("hidden", List.of(15, 7), 1, 100_000, "encoder layer sizes; the decoder mirrors them"),
            Field.integer("latent_dim", 2, 1, 100_000, "bottleneck size"),
            Field.choice("activation", "relu", ACTIVATIONS, "hidden activation"),
            Field.choice("output_activation", "sigmoid", ACTIVATIONS, "output activation (sigmoid suits minmax scaling)"),
            Field.number("learning_rate", 0.01, 1e-9, 10, "Adam learning rate"),
            Field.number("dropout", 0.0, 0, 0.99, "dropout of the encoder's input while training (denoising; the loss compares with the whole row)")),
        spec -> new TfDetector(new AutoencoderModel(
            spec.getIntList("model.hidden"), spec.getInt("model.latent_dim"),
            Activation.parse(spec.getString("model.activation")),
            Activation.parse(spec.getString("model.output_activation")),
            spec.getDouble("model.learning_rate"), spec.getDouble("model.dropout")), spec),
        (dir, scaler) -> TfDetector.load(dir)));
    register(new ModelType("egbad",
        withTraining(TfDetector.trainingFields(10, 50),
            Field.integer("latent_dim", 32, 1, 100_000, "size of the latent code z"),
            Field.number("learning_rate", 1e-5, 1e-9, 10, "Adam learning rate of discriminator, generator and encoder"),
            Field.number("beta1", 0.5, 0, 0.999999, "Adam beta1"),
            Field.number("dropout", 0.2, 0, 0.95, "dropout rate in the discriminator while training"),
            Field.number("score_weight", 0.1, 0, 1, "w in A(x) = (1 - w) L_G(x) + w L_D(x)"),
            Field.choice("score_variant", "feature_matching", List.of("cross_entropy", "feature_matching"),
                "L_D: cross-entropy of D(x, E(x)) vs real, or L1 distance of D's features (feature matching)"),
            Field.number("ema_decay", 0.9999, 0, 0.999999, "moving average of the weights used for scoring; 0 = last weights"),
            Field.bool("spectral_norm", false, "spectral normalisation of the encoder's and discriminator's hidden layers (not in the paper)"),
            GAN_UPDATES, RECONSTRUCTION_WEIGHT),
        spec -> new TfDetector(new EgbadModel(new EgbadModel.Config(
            spec.getInt("model.latent_dim"), spec.getDouble("model.learning_rate"), spec.getDouble("model.beta1"),
            spec.getDouble("model.dropout"), spec.getDouble("model.score_weight"),
            EgbadModel.ScoreVariant.parse(spec.getString("model.score_variant")),
            spec.getDouble("model.ema_decay"), spec.getBool("model.spectral_norm"), alternating(spec),
            spec.getDouble("model.reconstruction_weight"))), spec),
        (dir, scaler) -> TfDetector.load(dir)));
    register(new ModelType("alad",
        withTraining(TfDetector.trainingFields(10, 50),
            Field.integer("latent_dim", 32, 1, 100_000, "size of the latent code z"),
            Field.number("learning_rate", 1e-5, 1e-9, 10, "Adam learning rate of discriminators, generator and encoder"),
            Field.number("beta1", 0.5, 0, 0.999999, "Adam beta1"),
            Field.choice("score_variant", "fm", List.of("fm", "l1", "l2", "logits"),
                "fm: L1 distance of D_xx features of (x, x) and (x, G(E(x))); l1/l2: |x - G(E(x))|; logits: D_xx cross-entropy"),
            Field.bool("spectral_norm", false, "spectral normalisation of the encoder and discriminator layers"),
            Field.number("ema_decay", 0.999, 0, 0.999999, "moving average of the weights used for scoring; 0 = last weights"),
            Field.number("cycle_weight", 1, 0, 1e6,
                "weight of the cycle terms (D_xx, D_zz) in the generator's and encoder's losses, against D_xz's (1 = the paper's)"),
            GAN_UPDATES, RECONSTRUCTION_WEIGHT),
        spec -> new TfDetector(new AladModel(new AladModel.Config(
            spec.getInt("model.latent_dim"), spec.getDouble("model.learning_rate"), spec.getDouble("model.beta1"),
            AladModel.ScoreVariant.parse(spec.getString("model.score_variant")),
            spec.getBool("model.spectral_norm"), spec.getDouble("model.ema_decay"), alternating(spec),
            spec.getDouble("model.reconstruction_weight"), spec.getDouble("model.cycle_weight"))), spec),
        (dir, scaler) -> TfDetector.load(dir)));
    register(new ModelType("pca", PcaDetector.fields(), PcaDetector::new, PcaDetector::load));
    register(new ModelType("ocsvm", OcsvmDetector.fields(), OcsvmDetector::new, OcsvmDetector::load));
    register(new ModelType("vae",
        withTraining(TfDetector.trainingFields(8, 128),
            Field.intList("hidden", List.of(15, 7), 1, 100_000, "encoder layer sizes; the decoder mirrors them"),
            Field.integer("latent_dim", 2, 1, 100_000, "size of the Gaussian latent"),
            Field.choice("activation", "relu", ACTIVATIONS, "hidden activation"),
            Field.choice("output_activation", "sigmoid", ACTIVATIONS, "output activation (sigmoid suits minmax scaling)"),
            Field.number("learning_rate", 0.01, 1e-9, 10, "Adam learning rate"),
            Field.number("kl_weight", 1.0, 0, 1e6, "weight of the KL term in the loss (1 = the ELBO)"),
            Field.number("dropout", 0.0, 0, 0.99, "dropout of the encoder's input while training (denoising; the loss compares with the whole row)"),
            Field.choice("score", "reconstruction", List.of("reconstruction", "mean_reconstruction", "elbo"),
                "reconstruction: error of the decoded latent mean; mean_reconstruction: mean error over `samples` draws; elbo: loss (negative ELBO) over `samples` draws"),
            Field.integer("samples", 10, 1, 10_000, "latent draws per row for score: mean_reconstruction | elbo")),
        spec -> new TfDetector(new VaeModel(
            spec.getIntList("model.hidden"), spec.getInt("model.latent_dim"),
            Activation.parse(spec.getString("model.activation")),
            Activation.parse(spec.getString("model.output_activation")),
            spec.getDouble("model.learning_rate"), spec.getDouble("model.kl_weight"), spec.getDouble("model.dropout"),
            VaeModel.ScoreMode.parse(spec.getString("model.score")), spec.getInt("model.samples")), spec),
        (dir, scaler) -> TfDetector.load(dir)));
    register(new ModelType("bigan",
        withTraining(TfDetector.trainingFields(20, 256),
            Field.integer("dense_dim", 128, 1, 100_000, "units of the hidden layer of the encoder, generator and discriminator"),
            Field.integer("latent_dim", 2, 1, 100_000, "size of z"),
            Field.number("dropout", 0.2, 0, 0.99, "dropout of the discriminator's inputs and hidden layer (training only)"),
            Field.number("d_learning_rate", 0.001, 1e-9, 10, "Adam learning rate of the discriminator"),
            Field.number("g_learning_rate", 0.001, 1e-9, 10, "Adam learning rate of the generator and encoder"),
            Field.number("beta1", 0.5, 0, 0.9999, "Adam beta1 of both optimizers (0.5 is usual for GANs)"),
            Field.number("real_label", 0.9, 0.5, 1, "target of real pairs in d_loss (below 1 = one-sided label smoothing)"),
            Field.number("score_weight", 0.1, 0, 1, "w in score = (1 - w) x L1 reconstruction + w x discriminator term"),
            Field.choice("score_variant", "cross_entropy", List.of("cross_entropy", "feature_matching"),
                "discriminator term: cross-entropy of D(G(E(x)), E(x)) against real, or L1 between D's features of (x, E(x)) and (G(E(x)), E(x))"),
            Field.number("ema_decay", 0, 0, 0.999999, "moving average of the weights used for scoring; 0 = last weights"),
            Field.number("encoder_dropout", 0, 0, 0.99, "dropout of the encoder's input while training (denoising)"),
            Field.number("reconstruction_weight", 0, 0, 1e6, "weight of the mean L1 reconstruction |x - G(E(x))| added to g_loss (0 = the plain BiGAN)"),
            GAN_UPDATES),
        spec -> new TfDetector(new BiganModel(new BiganModel.Config(
            spec.getInt("model.dense_dim"), spec.getInt("model.latent_dim"), spec.getDouble("model.dropout"),
            spec.getDouble("model.d_learning_rate"), spec.getDouble("model.g_learning_rate"),
            spec.getDouble("model.beta1"), spec.getDouble("model.real_label"), spec.getDouble("model.score_weight"),
            BiganModel.ScoreVariant.parse(spec.getString("model.score_variant")), spec.getDouble("model.ema_decay"),
            spec.getDouble("model.encoder_dropout"), spec.getDouble("model.reconstruction_weight"),
            alternating(spec))), spec),
        (dir, scaler) -> TfDetector.load(dir)));
    register(new ModelType("seq2seq",
        withTraining(TfDetector.trainingFields(40, 256),
            Field.integer("encoder_units", 10, 1, 100_000, "units of each direction of the bidirectional LSTM encoder"),
            Field.integer("decoder_units", 20, 1, 100_000, "units of the LSTM decoder (twice encoder_units)"),
            Field.number("dropout", 0.0, 0, 0.99, "dropout of the encoder and decoder inputs (training only)"),
            Field.number("learning_rate", 0.01, 1e-9, 10, "Adam learning rate"),
            Field.choice("decoding", "teacher_forcing", List.of("teacher_forcing", "greedy"),
                "scoring: the decoder reads the true previous value (as in training) or its own previous output"),
            Field.integer("batch_shards", 2, 1, 64,
                "each training batch is cut into this many row slices whose LSTM chains run side by side (one per core);"
                    + " the loss stays the mean over the whole batch, so only float rounding differs from 1")),
        spec -> new TfDetector(new Seq2SeqModel(
            spec.getInt("model.encoder_units"), spec.getInt("model.decoder_units"), spec.getDouble("model.dropout"),
            spec.getDouble("model.learning_rate"), Seq2SeqModel.Decoding.parse(spec.getString("model.decoding")),
            spec.getInt("model.batch_shards")), spec),
        (dir, scaler) -> TfDetector.load(dir)));
  }

  private static boolean alternating(ResolvedSpec spec) {
    return spec.getString("model.gan_updates").equals("alternating");
  }

  private static List<Field> withTraining(List<Field> training, Field... own) {
    List<Field> all = new ArrayList<>(List.of(own));
    all.addAll(training);
    return all;
  }

  public static ModelRegistry get() {
    return INSTANCE;
  }

  private void register(ModelType t) {
    types.put(t.name(), t);
  }

  public ModelType type(String name) {
    ModelType t = types.get(name);
    if (t == null) {
      throw new IllegalArgumentException("unknown model type '" + name + "'; valid: " + types.keySet());
    }
    return t;
  }

  public Detector create(ResolvedSpec spec) {
    return type(spec.modelType()).factory().apply(spec);
  }

  @Override
  public Set<String> types() {
    return types.keySet();
  }

  @Override
  public List<Field> fields(String type) {
    return type(type).fields();
  }
}
