package io.deepad4j.models;

import io.deepad4j.engine.Activation;
import io.deepad4j.engine.AdamConfig;
import io.deepad4j.engine.Dense;
import io.deepad4j.engine.Layers;
import io.deepad4j.engine.Objective;
import io.deepad4j.engine.TfModel;
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
  private final List<Integer> hidden;
  private final int latentDim;
  private final Activation activation;
  private final Activation outputActivation;
  private final double learningRate;
  private final double inputDropout;
  private final List<Dense> layers = new ArrayList<>();

  public AutoencoderModel(
      List<Integer> hidden, int latentDim, Activation activation, Activation outputActivation, double learningRate,
      double inputDropout) {
    this.hidden = List.copyOf(hidden);
    this.latentDim = latentDim;
    this.activation = activation;
    this.outputActivation = outputActivation;
    this.learningRate = learningRate;
    this.inputDropout = inputDropout;
  }

  private Layers vars;

  @Override
  protected void build(Layers l, int numFeatures) {
    vars = l;
    int in = numFeatures;
    for (int units : hidden) {                      // encoder
      layers.add(l.dense("autoencoder", in, units, activation));
      in = units;
    }
    layers.add(l.dense("autoencoder", in, latentDim, activation));  // bottleneck
    in = latentDim;
    for (int i = hidden.size() - 1; i >= 0; i--) {  // decoder, mirrored
      layers.add(l.dense("autoencoder", in, hidden.get(i), activation));
      in = hidden.get(i);
    }
    layers.add(l.dense("autoencoder", in, numFeatures, outputActivation));
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
    Operand<TFloat32> errors = rowErrors(tf, vars.dropout(tf, batch, inputDropout), batch);
    return List.of(new Objective("loss", mean(tf, errors), vars.all(), AdamConfig.of(learningRate)));
  }

  @Override
  protected Operand<TFloat32> score(Ops tf, Operand<TFloat32> rows) {
    return rowErrors(tf, rows, rows);
  }
}
