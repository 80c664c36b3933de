package io.deepad4j.models;

import io.deepad4j.engine.TfModel;
import io.deepad4j.spec.ConfigRecords;
import io.deepad4j.spec.Field;
import io.deepad4j.spec.ModelSchemas;
import io.deepad4j.spec.ResolvedSpec;
import java.util.function.Function;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every detector type the spec can name. Adding a method: its class with a configuration record
 * whose components carry {@link io.deepad4j.spec.Param} (the keys, declared once), plus one line here.
 */
public final class ModelRegistry implements ModelSchemas {
  private final java.util.Set<String> tensorflowTypes = new java.util.HashSet<>();
  private static final ModelRegistry INSTANCE = new ModelRegistry();
  private final Map<String, ModelType> types = new LinkedHashMap<>();

  private ModelRegistry() {
    tensorflow("ae", AutoencoderModel.Config.class, AutoencoderModel::new);
    tensorflow("egbad", EgbadModel.Config.class, EgbadModel::new);
    tensorflow("alad", AladModel.Config.class, AladModel::new);
    own("pca", PcaDetector.Config.class, PcaDetector::new, PcaDetector::load);
    own("ocsvm", OcsvmDetector.Config.class, OcsvmDetector::new, OcsvmDetector::load);
    own("iforest", IsolationForestDetector.Config.class, IsolationForestDetector::new, IsolationForestDetector::load);
    own("ecod", EcodDetector.Config.class, EcodDetector::new, EcodDetector::load);
    own("knn", KnnDetector.Config.class, KnnDetector::new, KnnDetector::load);
    own("lof", LofDetector.Config.class, LofDetector::new, LofDetector::load);
    tensorflow("vae", VaeModel.Config.class, VaeModel::new);
    tensorflow("bigan", BiganModel.Config.class, BiganModel::new);
    tensorflow("seq2seq", Seq2SeqModel.Config.class, Seq2SeqModel::new);
    tensorflow("neutralad", NeutralAdModel.Config.class, NeutralAdModel::new);
    tensorflow("deepsvdd", DeepSvddModel.Config.class, DeepSvddModel::new);
    tensorflow("goad", GoadModel.Config.class, GoadModel::new);
  }

  /** A TensorFlow model: its record's keys, then the training keys with its own epochs and batch size. */
  private <C extends Record> void tensorflow(String name, Class<C> config, Function<C, TfModel> model) {
    tensorflowTypes.add(name);
    List<Field> fields = new ArrayList<>(ConfigRecords.fields(config));
    fields.addAll(TfDetector.trainingFields(config));
    register(new ModelType(name, List.copyOf(fields),
        spec -> new TfDetector(model.apply(ConfigRecords.bind(config, spec, "model.")),
            ConfigRecords.bind(TfDetector.Training.class, spec, "model.")),
        (dir, scaler) -> TfDetector.load(dir)));
  }

  /** A detector that trains and saves itself (no TensorFlow graph). */
  private <C extends Record> void own(String name, Class<C> config, Function<C, Detector> detector, ModelType.Loader loader) {
    register(new ModelType(name, ConfigRecords.fields(config),
        spec -> detector.apply(ConfigRecords.bind(config, spec, "model.")), loader));
  }

  /** Whether the type trains a TensorFlow graph (so runs on the spec's device); the others run on the CPU in Java. */
  public boolean usesTensorflow(String type) {
    return tensorflowTypes.contains(type);
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
