package io.deepad4j.engine;

import java.nio.file.Files;
import java.nio.file.Path;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Signature;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;

/** Scores rows with a SavedModel exported by {@link CompiledModel#export}, in any process. */
public final class SavedModelScorer implements AutoCloseable {
  private final SavedModelBundle bundle;
  private final String inputName;
  private final String outputName;
  private final int numFeatures;

  public SavedModelScorer(Path dir) {
    if (!Files.isRegularFile(dir.resolve("saved_model.pb"))) {
      throw new IllegalArgumentException(dir + " is not a SavedModel folder (no saved_model.pb)");
    }
    try {
      bundle = SavedModelBundle.load(dir.toString(), SavedModelBundle.DEFAULT_TAG);
    } catch (RuntimeException e) { // TensorFlow's message ("Read less bytes than requested") names no file
      throw new IllegalArgumentException(dir + ": TensorFlow cannot load this SavedModel (" + e.getMessage()
          + "); saved_model.pb or variables/ is truncated or damaged", e);
    }
    SignatureDef sig = bundle.metaGraphDef().getSignatureDefMap().get(Signature.DEFAULT_KEY);
    if (sig == null || !sig.getInputsMap().containsKey(CompiledModel.INPUT) || !sig.getOutputsMap().containsKey(CompiledModel.OUTPUT)) {
      bundle.close();
      throw new IllegalArgumentException(dir + ": no serving_default signature with input 'x' and output 'score'");
    }
    TensorInfo in = sig.getInputsMap().get(CompiledModel.INPUT);
    inputName = in.getName();
    outputName = sig.getOutputsMap().get(CompiledModel.OUTPUT).getName();
    numFeatures = (int) in.getTensorShape().getDim(1).getSize();
  }

  public double[] score(float[][] rows) {
    return CompiledModel.scoreWith(bundle.session(), inputName, outputName, rows, numFeatures);
  }

  public int numFeatures() {
    return numFeatures;
  }

  @Override
  public void close() {
    bundle.close();
  }
}
