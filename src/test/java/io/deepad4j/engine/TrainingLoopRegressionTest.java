package io.deepad4j.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.deepad4j.models.AladModel;
import io.deepad4j.models.AutoencoderModel;
import io.deepad4j.spec.ConfigRecords;
import io.deepad4j.models.GanUpdates;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Pins training to the numbers the engine gave before the training loop and its callbacks were
 * taken out of {@link CompiledModel} (recorded with commit 5a1e5fd, CPU, one thread): every loss,
 * held-out score and final score, to a relative 1e-5: bit for bit on the machine that recorded them, and
 * portable to a CPU whose TensorFlow kernels (AVX2 against AVX-512) round the last bits differently; a
 * change of logic (another restored epoch, the schedule one epoch off, no moving average) moves them far
 * more. Bit identity across a refactor is checked on one machine with tools/specs-identical.sh. It
 * covers what the callbacks do: dropout (random
 * draws), chained steps with a partial last batch, the cosine schedule, validation with
 * restore-best and patience (an early stop that restores an earlier epoch), and the moving average
 * assigned when training ends. If a deliberate change of the maths breaks it, record it again.
 */
class TrainingLoopRegressionTest {
  private static final float[][] TRAIN = CompiledModelTest.planeRows(331, 31); // 10 chunks of 3 x 32, and 4 batches
  private static final float[][] PROBE = CompiledModelTest.planeRows(6, 32);

  private static AutoencoderModel ae(double learningRate) {
    return new AutoencoderModel(
        ConfigRecords.of(AutoencoderModel.Config.class, Map.of("hidden", List.of(5, 4), "activation", Activation.TANH,
        "learning_rate", learningRate, "dropout", 0.2)));
  }

  private static final double RELATIVE = 1e-5;

  private static void assertClose(double expected, double actual, String what) {
    assertEquals(expected, actual, RELATIVE * Math.max(1e-3, Math.abs(expected)), what);
  }

  private static void assertClose(double[] expected, double[] actual) {
    assertEquals(expected.length, actual.length);
    for (int i = 0; i < expected.length; i++) {
      assertClose(expected[i], actual[i], "score of probe row " + i);
    }
  }

  private static void assertClose(Map<String, Double> expected, Map<String, Double> actual) {
    assertEquals(expected.keySet(), actual.keySet());
    expected.forEach((k, v) -> assertClose(v, actual.get(k), k));
  }

  private static CompiledModel compile(TfModel model, TrainingOptions o) {
    return CompiledModel.compile(model, CompiledModelTest.zeros(6), CompiledModelTest.ones(6), o);
  }

  private static void assertHistory(double[] loss, double[] valScore, TrainingHistory h) {
    assertEquals(loss.length, h.size());
    assertEquals(List.of("loss", CompiledModel.VAL_SCORE, TrainingLoop.LEARNING_RATE), h.lossNames());
    for (int i = 0; i < h.size(); i++) {
      assertClose(loss[i], h.epoch(i).get("loss"), "loss of epoch " + (i + 1));
      assertClose(valScore[i], h.epoch(i).get(CompiledModel.VAL_SCORE), "val_score of epoch " + (i + 1));
    }
  }

  @Test
  void cosineScheduleWithValidationGivesTheRecordedNumbers() {
    List<String> epochs = new ArrayList<>();
    List<Map<String, Double>> seen = new ArrayList<>();
    EpochListener listener = (e, n, losses, s) -> {
      epochs.add(e + "/" + n);
      seen.add(new LinkedHashMap<>(losses));
    };
    TrainingOptions o = new TrainingOptions(10, 32, 3, true, 5, 1, Device.CPU, listener,
        new TrainingOptions.Validation(0.25, true, 2), LearningRateSchedule.COSINE);
    try (CompiledModel m = compile(ae(0.3), o)) {
      TrainingHistory h = m.fit(TRAIN);
      assertHistory(
          new double[] {0.0751891452819109, 0.06288306787610054, 0.05816876469179988, 0.05714150983840227,
              0.059291758108884096, 0.058223788160830736, 0.05727886641398072, 0.05619445675984025,
              0.05570735549554229, 0.05582717200741172},
          new double[] {0.05363437016382364, 0.053911656130060374, 0.048844180252201046, 0.05245057923553781,
              0.04849624996079154, 0.047887757416332076, 0.04891880100076816, 0.047275115995308814,
              0.047120459082870214, 0.0471151585319691},
          h);
      assertEquals(10, h.bestEpoch());
      assertClose(new double[] {0.06573013216257095, 0.027421491220593452, 0.045693691819906235, 0.004111857619136572,
              0.0062082321383059025, 0.0704711452126503}, m.score(PROBE));
      assertEquals(List.of("1/10", "2/10", "3/10", "4/10", "5/10", "6/10", "7/10", "8/10", "9/10", "10/10"), epochs);
      for (int i = 0; i < 10; i++) {
        assertEquals(h.epoch(i), seen.get(i), "the progress listener sees the history's epoch");
        assertEquals(List.of("loss", CompiledModel.VAL_SCORE, TrainingLoop.LEARNING_RATE),
            List.copyOf(seen.get(i).keySet()));
        assertEquals(0.3 * LearningRateSchedule.COSINE.factor(i + 1, 10), seen.get(i).get(TrainingLoop.LEARNING_RATE),
            1e-15, "the rate epoch " + (i + 1) + " trained at");
      }
    }
  }

  @Test
  void patienceStopsAndRestoresTheRecordedBestEpoch() {
    TrainingOptions o = new TrainingOptions(20, 32, 3, true, 5, 1, Device.CPU, EpochListener.NONE,
        new TrainingOptions.Validation(0.25, true, 2), null);
    try (CompiledModel m = compile(ae(0.3), o)) {
      TrainingHistory h = m.fit(TRAIN);
      assertHistory(
          new double[] {0.07526030018925667, 0.06570285372436047, 0.06012009410187602, 0.0577533058822155,
              0.058102205861359835},
          new double[] {0.05371621956330645, 0.05215717963762132, 0.047530459634207906, 0.05051496929169284,
              0.050504463329961724},
          h);
      assertEquals(3, h.bestEpoch());
      assertClose(new double[] {0.06811317056417465, 0.023572823032736778, 0.04024200886487961, 0.007097082212567329,
              0.007026935461908579, 0.06705746054649353}, m.score(PROBE));
    }
  }

  @Test
  void movingAverageOfAGanGivesTheRecordedScores() {
    AladModel alad = new AladModel(
        new AladModel.Config(4, 1e-3, 0.5, AladModel.ScoreVariant.FM, true, 0.99, 1, GanUpdates.SIMULTANEOUS, 0));
    TrainingOptions o = new TrainingOptions(2, 32, 2, true, 7, 1, Device.CPU, EpochListener.NONE, null, null);
    try (CompiledModel m = compile(alad, o)) {
      TrainingHistory h = m.fit(CompiledModelTest.planeRows(200, 33));
      assertEquals(List.of("d_loss", "g_loss", "e_loss", TrainingLoop.LEARNING_RATE), h.lossNames());
      assertClose(Map.of("d_loss", 4.084931407655988, "g_loss", 3.4900692190442766, "e_loss", 3.6510346276419505,
          "lr", 1e-3), h.epoch(0));
      assertClose(Map.of("d_loss", 3.9202852930341447, "g_loss", 3.6042259761265347, "e_loss", 3.8255716051374162,
          "lr", 1e-3), h.epoch(1));
      assertEquals(0, h.bestEpoch());
      assertClose(new double[] {5.6960248947143555, 5.620667457580566, 6.348973751068115, 4.357542037963867,
              4.968439102172852, 5.627995014190674}, m.score(PROBE));
    }
  }
}
