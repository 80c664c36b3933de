package io.deepad4j.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepad4j.models.AutoencoderModel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainingLoopTest {
  @Test
  void anAddedCallbackSeesEveryHookInOrderAndCanStopTraining() {
    List<String> calls = new ArrayList<>();
    Callback spy = new Callback() {
      @Override
      public void onTrainBegin(int epochs) {
        calls.add("train begin " + epochs);
      }

      @Override
      public void onEpochBegin(int epoch) {
        calls.add("epoch begin " + epoch);
      }

      @Override
      public void onEpochEnd(EpochLogs logs) {
        assertTrue(logs.seconds() > 0, "the timer runs before added callbacks");
        calls.add("epoch end " + logs.epoch() + "/" + logs.epochs() + " " + logs.values().keySet());
        logs.values().put("extra", 1.0 * logs.epoch());
        if (logs.epoch() == 2) {
          logs.stopTraining();
        }
      }

      @Override
      public void onTrainEnd(int epochsRun) {
        calls.add("train end " + epochsRun);
      }
    };
    AutoencoderModel ae = CompiledModelTest.ae();
    TrainingOptions o = new TrainingOptions(5, 32, 1, true, 1, 1, Device.CPU, EpochListener.NONE,
        new TrainingOptions.Validation(0.2, false, 0), null);
    try (CompiledModel m = CompiledModel.compile(ae, CompiledModelTest.zeros(6), CompiledModelTest.ones(6), o)) {
      TrainingHistory h = new TrainingLoop(m).add(spy).fit(CompiledModelTest.planeRows(100, 1));
      assertEquals(List.of("train begin 5", "epoch begin 1", "epoch end 1/5 [loss, val_score, lr]", "epoch begin 2",
          "epoch end 2/5 [loss, val_score, lr]", "train end 2"), calls);
      assertEquals(2, h.size(), "a callback's stop ends training after its epoch");
      assertEquals(List.of("loss", CompiledModel.VAL_SCORE, TrainingLoop.LEARNING_RATE), h.lossNames(),
          "the history is recorded before callbacks added after the standard ones");
    }
  }

  /**
   * 100 rows less 20 held out = 80 training rows, batch 8, 3 steps per Session.run: 3 calls of 3 steps (72 rows),
   * then one single step of 8 rows: 10 steps an epoch, each reported with how many ran and how many are done.
   */
  @Test
  void stepsAreReportedAfterEverySessionRunAndTimed() {
    List<String> calls = new ArrayList<>();
    Callback spy = new Callback() {
      @Override
      public void onStepsEnd(int epoch, long steps, long done, long total) {
        calls.add(epoch + ":" + steps + ":" + done + "/" + total);
      }
    };
    AutoencoderModel ae = CompiledModelTest.ae();
    TrainingOptions o = new TrainingOptions(2, 8, 3, true, 1, 1, Device.CPU, EpochListener.NONE,
        new TrainingOptions.Validation(0.2, false, 0), null);
    try (CompiledModel m = CompiledModel.compile(ae, CompiledModelTest.zeros(6), CompiledModelTest.ones(6), o)) {
      TrainingHistory h = new TrainingLoop(m).add(spy).fit(CompiledModelTest.planeRows(100, 1));
      assertEquals(List.of("1:3:3/10", "1:3:6/10", "1:3:9/10", "1:1:10/10",
          "2:3:3/10", "2:3:6/10", "2:3:9/10", "2:1:10/10"), calls);
      for (double stepSeconds : h.stepSeconds()) {
        assertTrue(stepSeconds > 0 && stepSeconds < 10, "a step's mean wall time: " + stepSeconds);
      }
      assertTrue(h.toCsv().startsWith("epoch,loss,val_score,lr,epoch_time_s,step_time_s\n"), h.toCsv());
    }
  }
}
