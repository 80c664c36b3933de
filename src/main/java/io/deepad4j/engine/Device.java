package io.deepad4j.engine;

import java.util.Locale;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.RewriterConfig;

/** Where graphs run: {@code auto} (GPU when TensorFlow sees one), {@code cpu}, or {@code gpu} (required). */
public enum Device {
  AUTO,
  CPU,
  GPU;

  public static Device parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown device '" + s + "'; valid: auto, cpu, gpu");
    }
  }

  /**
   * Ops with no path between them run on two threads: the two directions of the Seq2Seq's
   * bidirectional encoder and its batch slices ({@code model.batch_shards}), the objectives of a GAN (same
   * results as with one thread: every update waits for all of its step's gradients; timings in docs/PERFORMANCE.md).
   */
  static final int INTER_OP_THREADS = 2;

  /** Session configuration for this device with {@code threads} intra-op threads. */
  public ConfigProto sessionConfig(int threads) {
    // Small networks run fastest single-threaded per op; per-session pools keep parallel trials
    // (sweeps) from sharing one global pool.
    ConfigProto.Builder b =
        ConfigProto.newBuilder()
            .setIntraOpParallelismThreads(threads)
            .setInterOpParallelismThreads(INTER_OP_THREADS)
            .setUsePerSessionThreads(true)
            .setAllowSoftPlacement(true)
            // Grappler's common-subgraph elimination merges look-alike ops of different chained
            // steps across the control dependencies that order them: with two objectives (GANs)
            // training was no longer reproducible. Without it, same seed = same bits again.
            .setGraphOptions(GraphOptions.newBuilder().setRewriteOptions(
                RewriterConfig.newBuilder().setCommonSubgraphElimination(RewriterConfig.Toggle.OFF)));
    if (this == CPU) {
      b.putDeviceCount("GPU", 0);
    }
    return b.build();
  }

  /** The ops scope for this device: pinned to GPU 0 for {@code gpu}, which must exist. */
  public Ops scope(Ops tf) {
    if (this != GPU) {
      return tf;
    }
    requireAvailable();
    return tf.withDevice(DeviceSpec.newBuilder().deviceType(DeviceSpec.DeviceType.GPU).deviceIndex(0).build());
  }

  /** Throws, saying what to do, when this is {@code gpu} and TensorFlow sees no GPU. */
  public void requireAvailable() {
    if (this == GPU && !gpuVisible()) {
      throw new IllegalStateException(
          "device: gpu, but TensorFlow sees no GPU. Build with the CUDA native library "
              + "(DEEPAD4J_MAVEN_ARGS=-Pgpu ./runner ...), check nvidia-smi and the CUDA "
              + "libraries, or set device: auto or device: cpu in the spec.");
    }
  }

  /**
   * The device that runs: {@code auto} becomes {@code gpu} when TensorFlow sees a GPU, else {@code cpu}.
   * (TensorFlow's C API names devices, e.g. /device:GPU:0, but not the card's model, which it only logs.)
   */
  public Device resolved() {
    return this == AUTO ? (gpuVisible() ? GPU : CPU) : this;
  }

  /** Whether TensorFlow can place an op on GPU 0 (probed with soft placement off). */
  public static boolean gpuVisible() {
    try (Graph g = new Graph()) {
      Ops tf =
          Ops.create(g)
              .withDevice(DeviceSpec.newBuilder().deviceType(DeviceSpec.DeviceType.GPU).deviceIndex(0).build());
      var c = tf.identity(tf.constant(1f));
      try (Session s = new Session(g, ConfigProto.newBuilder().setAllowSoftPlacement(false).build());
          var r = s.runner().fetch(c).run()) {
        return true;
      }
    } catch (RuntimeException e) {
      return false;
    }
  }
}
