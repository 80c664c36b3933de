package io.deepad4j.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepad4j.models.BiganModel;
import io.deepad4j.spec.ConfigRecords;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The learning rate each epoch trained at, as the history's {@code lr} column (history.csv, MLflow). */
class LearningRateColumnTest {
  private static TrainingOptions options(int epochs, LearningRateSchedule schedule) {
    return new TrainingOptions(epochs, 16, 1, true, 3, 1, Device.CPU, EpochListener.NONE, null, schedule);
  }

  private static TrainingHistory fit(TfModel model, TrainingOptions o) {
    try (CompiledModel m = CompiledModel.compile(model, CompiledModelTest.zeros(6), CompiledModelTest.ones(6), o)) {
      return m.fit(CompiledModelTest.planeRows(64, 5));
    }
  }

  @Test
  void cosineColumnFollowsKerasCosineDecayTakenAtEachEpochsMiddle() {
    int epochs = 6;
    TrainingHistory h = fit(CompiledModelTest.ae(), options(epochs, LearningRateSchedule.COSINE)); // rate 0.01
    assertEquals(List.of("loss", TrainingLoop.LEARNING_RATE), h.lossNames());
    double previous = Double.POSITIVE_INFINITY;
    for (int e = 1; e <= epochs; e++) {
      double expected = 0.01 * 0.5 * (1 + Math.cos(Math.PI * (e - 0.5) / epochs)); // written out, not the enum
      double lr = h.epoch(e - 1).get("lr");
      assertEquals(expected, lr, 1e-15, "epoch " + e);
      assertTrue(lr < previous, "the rate decays: epoch " + e);
      previous = lr;
    }
    assertEquals(0.01 * 0.9829629131445341, h.epoch(0).get("lr"), 1e-15); // (1 + cos(pi / 12)) / 2
    String[] lines = h.toCsv().split("\n");
    assertEquals("epoch,loss,lr,epoch_time_s,step_time_s", lines[0]);
    assertEquals(h.epoch(epochs - 1).get("lr"), Double.parseDouble(lines[epochs].split(",")[2]), 0,
        "history.csv carries the same value");
  }

  @Test
  void constantColumnIsTheConfiguredRateAsWritten() {
    TrainingHistory h = fit(CompiledModelTest.ae(), options(3, LearningRateSchedule.CONSTANT));
    for (int i = 0; i < 3; i++) {
      assertEquals(0.01, h.epoch(i).get("lr"), 0, "0.01, not the float 0.009999999776482582");
    }
    assertTrue(h.toCsv().split("\n")[3].startsWith("3,"));
    assertEquals("0.01", h.toCsv().split("\n")[3].split(",")[2]);
  }

  @Test
  void ganObjectivesWithTheirOwnRatesGetAColumnEach() {
    BiganModel bigan = new BiganModel(ConfigRecords.of(BiganModel.Config.class,
        Map.of("dense_dim", 8, "d_learning_rate", 0.004, "g_learning_rate", 0.001)));
    TrainingHistory h = fit(bigan, options(2, LearningRateSchedule.COSINE));
    assertEquals(List.of("d_loss", "g_loss", "d_lr", "g_lr"), h.lossNames());
    double factor = 0.5 * (1 + Math.cos(Math.PI * 1.5 / 2));
    assertEquals(0.004 * factor, h.epoch(1).get("d_lr"), 1e-15);
    assertEquals(0.001 * factor, h.epoch(1).get("g_lr"), 1e-15);

    BiganModel same = new BiganModel(ConfigRecords.of(BiganModel.Config.class, Map.of("dense_dim", 8)));
    assertEquals(List.of("d_loss", "g_loss", "lr"), fit(same, options(1, null)).lossNames(),
        "one column when the objectives share their rate");
  }

  @Test
  void columnNamesAndWhatCountsAsARate() {
    assertEquals("lr", LearningRateScheduler.columnName("loss"));
    assertEquals("d_lr", LearningRateScheduler.columnName("d_loss"));
    assertEquals("critic_lr", LearningRateScheduler.columnName("critic"));
    assertEquals(Map.of("lr", 0.001), LearningRateScheduler.rateColumns(Map.of("d_loss", 0.001f, "g_loss", 0.001f)));
    assertTrue(TrainingLoop.isLearningRate("lr"));
    assertTrue(TrainingLoop.isLearningRate("g_lr"));
    assertFalse(TrainingLoop.isLearningRate("g_loss"));
    assertFalse(TrainingLoop.isLearningRate(TrainingLoop.VAL_SCORE));
  }
}
