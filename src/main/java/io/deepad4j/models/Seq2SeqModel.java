package io.deepad4j.models;

import io.deepad4j.engine.Activation;
import io.deepad4j.engine.AdamConfig;
import io.deepad4j.engine.Dense;
import io.deepad4j.engine.Layers;
import io.deepad4j.engine.Lstm;
import io.deepad4j.engine.Objective;
import io.deepad4j.engine.TfModel;
import io.deepad4j.spec.Param;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The FF12 report's sequence-to-sequence model (Sutskever et al., 2014, arXiv:1409.3215): each row
 * is read as a sequence of its n values, one value per step. A bidirectional LSTM encoder
 * summarises the sequence; its forward and backward final states, concatenated, start an LSTM
 * decoder that emits the sequence again through a dense sigmoid output per step. Training uses
 * teacher forcing: the decoder's input at step t is x[t-1] (0 at t = 0). Loss and score: mean
 * squared error between the decoded sequence and the row.
 *
 * <p>Scoring decodes a whole batch at once inside the graph (the report's code decoded one row at a
 * time). {@link Decoding#TEACHER_FORCING} (default) feeds the true previous value, as in training;
 * {@link Decoding#GREEDY} feeds the decoder's own previous output.
 */
public final class Seq2SeqModel extends TfModel {

  /** What the decoder reads at step t when scoring. */
  public enum Decoding {
    TEACHER_FORCING,
    GREEDY;
  }

  private static final String GROUP = "seq2seq";

  private final int encoderUnits;
  private final int decoderUnits;
  private final double dropout;
  private final double learningRate;
  private final Decoding decoding;
  private final int batchShards;

  private Layers vars;
  private int steps;
  private Lstm forward;
  private Lstm backward;
  private Lstm decoder;
  private Dense output;

  /** The LSTM Seq2Seq's keys (model.*). */
  @TfDetector.TrainingDefaults(epochs = 40, batchSize = 256)
  public record Config(
      @Param(value = "10", min = 1, max = 100_000, doc = "units of each direction of the bidirectional LSTM encoder") int encoderUnits,
      @Param(value = "20", min = 1, max = 100_000, doc = "units of the LSTM decoder (twice encoder_units)") int decoderUnits,
      @Param(value = "0.0", min = 0, max = 0.99, doc = "dropout of the encoder and decoder inputs (training only)") double dropout,
      @Param(value = "0.01", min = 1e-9, max = 10, doc = "Adam learning rate") double learningRate,
      @Param(value = "teacher_forcing", doc = "scoring: the decoder reads the true previous value (as in training) or its"
          + " own previous output") Decoding decoding,
      @Param(value = "2", min = 1, max = 64, doc = "each training batch is cut into this many row slices whose LSTM chains"
          + " run side by side (one per core); the loss stays the mean over the whole batch, so only float rounding"
          + " differs from 1") int batchShards) {}

  public Seq2SeqModel(Config c) {
    this(c.encoderUnits(), c.decoderUnits(), c.dropout(), c.learningRate(), c.decoding(), c.batchShards());
  }

  private Seq2SeqModel(int encoderUnits, int decoderUnits, double dropout, double learningRate, Decoding decoding,
      int batchShards) {
    if (decoderUnits != 2 * encoderUnits) {
      throw new IllegalArgumentException("model.decoder_units (" + decoderUnits + ") must be twice model.encoder_units ("
          + encoderUnits + "): the decoder starts from the concatenated forward and backward encoder states");
    }
    this.encoderUnits = encoderUnits;
    this.decoderUnits = decoderUnits;
    this.dropout = dropout;
    this.learningRate = learningRate;
    this.decoding = decoding;
    this.batchShards = batchShards;
  }

  @Override
  protected void build(Layers l, int numFeatures) {
    vars = l;
    steps = numFeatures;
    forward = Lstm.create(l, GROUP, 1, encoderUnits);
    backward = Lstm.create(l, GROUP, 1, encoderUnits);
    decoder = Lstm.create(l, GROUP, 1, decoderUnits);
    output = l.dense(GROUP, decoderUnits, 1, Activation.SIGMOID);
  }

  /** [rows, steps] -> [steps, rows, 1]: the time-major sequence the fused LSTM reads. */
  private static Operand<TFloat32> timeMajor(Ops tf, Operand<TFloat32> x) {
    return tf.expandDims(tf.linalg.transpose(x, tf.constant(new int[] {1, 0})), tf.constant(-1));
  }

  /** The decoder's initial state: forward and backward final states of the encoder, concatenated. */
  private Lstm.State encode(Ops tf, Operand<TFloat32> x) {
    Operand<TFloat32> seq = timeMajor(tf, x);
    Lstm.State f = forward.runFused(tf, seq, null, false).last();
    Lstm.State b = backward.runFused(tf, seq, null, true).last();
    Operand<TInt32> axis = tf.constant(1);
    return new Lstm.State(tf.concat(List.of(f.h(), b.h()), axis), tf.concat(List.of(f.c(), b.c()), axis));
  }

  /** x shifted one step to the right with 0 in front: the teacher-forced decoder input. */
  private Operand<TFloat32> shiftedRight(Ops tf, Operand<TFloat32> x) {
    Operand<TFloat32> first = tf.slice(x, tf.constant(new int[] {0, 0}), tf.constant(new int[] {-1, 1}));
    Operand<TFloat32> rest = tf.slice(x, tf.constant(new int[] {0, 0}), tf.constant(new int[] {-1, steps - 1}));
    return tf.concat(List.of(tf.zerosLike(first), rest), tf.constant(1));
  }

  /** Decoded sequence [rows, steps] with teacher forcing from {@code decoderInput} [rows, steps]. */
  private Operand<TFloat32> decodeTeacherForced(Ops tf, Lstm.State initial, Operand<TFloat32> decoderInput) {
    Operand<TFloat32> hs = decoder.runFused(tf, timeMajor(tf, decoderInput), initial, false).outputs();
    // one dense over all steps: [steps * rows, units] -> [steps, rows] -> [rows, steps]
    Operand<TFloat32> values = output.apply(tf, tf.reshape(hs, tf.constant(new int[] {-1, decoderUnits})));
    return tf.linalg.transpose(tf.reshape(values, tf.constant(new int[] {steps, -1})), tf.constant(new int[] {1, 0}));
  }

  /** Decoded sequence [rows, steps], each step reading the previous step's output (0 at t = 0). */
  private Operand<TFloat32> decodeGreedy(Ops tf, Lstm.State initial, Operand<TFloat32> x) {
    Operand<TFloat32> previous = tf.zerosLike(tf.slice(x, tf.constant(new int[] {0, 0}), tf.constant(new int[] {-1, 1})));
    Lstm.State s = initial;
    List<Operand<TFloat32>> values = new ArrayList<>(steps);
    for (int t = 0; t < steps; t++) {
      s = decoder.step(tf, decoder.project(tf, previous), s);
      previous = output.apply(tf, s.h());
      values.add(previous);
    }
    return tf.concat(values, tf.constant(1));
  }

  @Override
  protected List<Objective> objectives(Ops tf, Operand<TFloat32> batch) {
    Operand<TFloat32> encoderInput = vars.dropout(tf, batch, dropout);
    Operand<TFloat32> decoderInput = vars.dropout(tf, shiftedRight(tf, batch), dropout);
    if (batchShards == 1) {
      Operand<TFloat32> decoded = decodeTeacherForced(tf, encode(tf, encoderInput), decoderInput);
      return objective(mean(tf, tf.math.squaredDifference(decoded, batch)));
    }
    // The LSTM steps are sequential and each is too small to spread over cores, so the batch is cut
    // into row slices with their own encoder-decoder chains; TensorFlow's inter-op threads run them
    // side by side. Dropout is drawn for the whole batch first, so the random numbers do not depend
    // on the number of slices. The loss is the same mean over the whole batch.
    Operand<TInt32> n = tf.reshape(tf.slice(tf.shape(batch), tf.constant(new int[] {0}), tf.constant(new int[] {1})),
        tf.constant(new int[0]));
    List<Operand<TFloat32>> sums = new ArrayList<>(batchShards);
    for (int k = 0; k < batchShards; k++) {
      Slice slice = slice(tf, n, k);
      Operand<TFloat32> decoded = decodeTeacherForced(tf, encode(tf, slice.rows(tf, encoderInput)), slice.rows(tf, decoderInput));
      Operand<TFloat32> rowErrors = rowSum(tf, tf.math.squaredDifference(decoded, slice.rows(tf, batch)));
      sums.add(tf.reduceSum(tf.math.mul(rowErrors, slice.weights()), tf.constant(0)));
    }
    Operand<TFloat32> values = tf.math.mul(tf.dtypes.cast(n, TFloat32.class), tf.constant((float) steps));
    return objective(tf.math.div(tf.math.addN(sums), values));
  }

  private List<Objective> objective(Operand<TFloat32> loss) {
    return List.of(new Objective("loss", loss, vars.all(), AdamConfig.of(learningRate)));
  }

  /**
   * Slice k of a batch of {@code n} rows: rows [k n / shards, (k + 1) n / shards), each with weight 1. A
   * slice never has 0 rows (with empty slices one CI run trained to NaN scores, another did not):
   * when n < shards an empty slice holds one copy of a row with weight 0.
   */
  private record Slice(Operand<TInt32> index, Operand<TFloat32> weights) {
    Operand<TFloat32> rows(Ops tf, Operand<TFloat32> x) {
      return tf.gather(x, index, tf.constant(0));
    }
  }

  private Slice slice(Ops tf, Operand<TInt32> n, int k) {
    Operand<TInt32> from = tf.math.floorDiv(tf.math.mul(n, tf.constant(k)), tf.constant(batchShards));
    Operand<TInt32> to = tf.math.floorDiv(tf.math.mul(n, tf.constant(k + 1)), tf.constant(batchShards));
    Operand<TInt32> wanted = tf.math.add(from, tf.range(tf.constant(0), tf.math.maximum(tf.math.sub(to, from), tf.constant(1)), tf.constant(1)));
    Operand<TInt32> index = tf.math.minimum(wanted, tf.math.sub(n, tf.constant(1)));
    return new Slice(index, tf.dtypes.cast(tf.math.less(wanted, to), TFloat32.class));
  }

  @Override
  protected Operand<TFloat32> score(Ops tf, Operand<TFloat32> rows) {
    Lstm.State state = encode(tf, rows);
    Operand<TFloat32> decoded = decoding == Decoding.GREEDY
        ? decodeGreedy(tf, state, rows)
        : decodeTeacherForced(tf, state, shiftedRight(tf, rows));
    return rowMean(tf, tf.math.squaredDifference(decoded, rows));
  }
}
