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
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The FF12 report's autoencoder: a symmetric dense encoder and decoder around a small latent
 * layer, trained to reconstruct normal rows with mean squared error. Anomaly score = the row's
 * mean squared reconstruction error. Defaults (hidden [15, 7], latent 2, relu, sigmoid output,
 * Adam 0.01, no dropout) follow the report's Python code. With {@code dropout} > 0 it is a
 * denoising autoencoder (Vincent et al., ICML 2008): while training the encoder reads the row with
 * values dropped (inverted dropout) and the loss compares the output with the whole row; scoring
 * reads whole rows.
 */
public final class AutoencoderModel extends TfModel {
  private final Config c;
  private final List<Dense> layers = new ArrayList<>();

  /** The autoencoder's keys (model.*): the FF12 report's Python code's defaults. */
  @TfDetector.TrainingDefaults(epochs = 50, batchSize = 256)
  public record Config(
      @Param(value = "[15, 7]", min = 1, max = 100_000, doc = "encoder layer sizes; the decoder mirrors them") List<Integer> hidden,
      @Param(value = "2", min = 1, max = 100_000, doc = "bottleneck size") int latentDim,
      @Param(value = "relu", doc = "hidden activation") Activation activation,
      @Param(value = "sigmoid", doc = "output activation (sigmoid suits minmax scaling)") Activation outputActivation,
      @Param(value = "0.01", min = 1e-9, max = 10, doc = "Adam learning rate") double learningRate,
      @Param(value = "0.9", min = 0, max = 0.999999, doc = "Adam beta1 (Anomagram's autoencoder: 0.5)") double beta1,
      @Param(value = "0.0", min = 0, max = 0.99, doc = "dropout of the encoder's input while training (denoising; the"
          + " loss compares with the whole row)") double dropout) {}

  public AutoencoderModel(Config config) {
    this.c = config;
  }

  private Layers vars;

  @Override
  protected void build(Layers l, int numFeatures) {
    vars = l;
    layers.clear(); // a refit builds a new graph
    int in = numFeatures;
    List<Integer> hidden = c.hidden();
    for (int units : hidden) {                      // encoder
      layers.add(l.dense("autoencoder", in, units, c.activation()));
      in = units;
    }
    layers.add(l.dense("autoencoder", in, c.latentDim(), c.activation()));  // bottleneck
    in = c.latentDim();
    for (int i = hidden.size() - 1; i >= 0; i--) {  // decoder, mirrored
      layers.add(l.dense("autoencoder", in, hidden.get(i), c.activation()));
      in = hidden.get(i);
    }
    layers.add(l.dense("autoencoder", in, numFeatures, c.outputActivation()));
  }

  private Operand<TFloat32> reconstruct(Ops tf, Operand<TFloat32> x) {
    Operand<TFloat32> h = x;
    for (Dense d : layers) {
      h = d.apply(tf, h);
    }
    return h;
  }

  /** Per-row mean squared error between {@code target} and the reconstruction of {@code input}. */
  private Operand<TFloat32> rowErrors(Ops tf, Operand<TFloat32> input, Operand<TFloat32> target) {
    return rowMean(tf, tf.math.squaredDifference(reconstruct(tf, input), target));
  }

  @Override
  protected List<Objective> objectives(Ops tf, Operand<TFloat32> batch) {
    Operand<TFloat32> errors = rowErrors(tf, vars.dropout(tf, batch, c.dropout()), batch);
    return List.of(new Objective("loss", mean(tf, errors), vars.all(), AdamConfig.of(c.learningRate(), c.beta1())));
  }

  @Override
  protected Operand<TFloat32> score(Ops tf, Operand<TFloat32> rows) {
    return rowErrors(tf, rows, rows);
  }
}
