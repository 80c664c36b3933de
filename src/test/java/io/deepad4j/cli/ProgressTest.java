package io.deepad4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepad4j.TestData;
import io.deepad4j.models.ModelRegistry;
import io.deepad4j.run.ExperimentRunner;
import io.deepad4j.spec.SpecLoader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 21: progress from the first step, with labelled times, as Keras prints it. */
class ProgressTest {
  private static final Map<String, Double> LOSSES = new LinkedHashMap<>(Map.of("loss", 0.0123456));

  static {
    LOSSES.put("val_score", 0.5);
  }

  @Test
  void aStepLineShowsStepsBarEtaTimePerStepAndElapsedWithinTheWidth() {
    // 640 of 1520 steps in 2.56 s: 4 ms a step, 880 left = 3.52 s
    assertEquals("epoch 2/20  640/1520 [============>.................] ETA 4s  4ms/step  elapsed 9s",
        Progress.stepLine(2, 20, 640, 1520, 2.56, 9.3, 100));
    assertEquals("epoch 2/20  640/1520 [===>....] ETA 4s  4ms/step  elapsed 9s",
        Progress.stepLine(2, 20, 640, 1520, 2.56, 9.3, 60), "a narrower terminal: a shorter bar");
    assertEquals("epoch 2/20  640/1520 ETA 4s  4ms/step  elapsed 9s",
        Progress.stepLine(2, 20, 640, 1520, 2.56, 9.3, 50), "no room for a bar");
    String cut = Progress.stepLine(2, 20, 640, 1520, 2.56, 9.3, 40);
    assertEquals(40, cut.length(), cut);
    assertTrue(cut.endsWith("...") && cut.startsWith("epoch 2/20  640/1520 ETA 4s"), cut);
  }

  @Test
  void anEpochLineEndsWithTheEpochsTimeAndLossesAndFitsTheWidth() {
    String line = Progress.epochLine(2, 20, 1520, LOSSES, 6.08, 12.4, 100, true);
    assertEquals("epoch 2/20 1520/1520 [===================] 6s  4ms/step  elapsed 12s  loss=0.01235 val_score=0.50000",
        line);
    assertEquals(100, line.length());
    assertEquals("epoch 2/20 1520/1520 6s  4ms/step  elapsed 12s  loss=0.01235 val_score=0.50000",
        Progress.epochLine(2, 20, 1520, LOSSES, 6.08, 12.4, Integer.MAX_VALUE, false), "the log line: no bar");
    String narrow = Progress.epochLine(2, 20, 1520, LOSSES, 6.08, 12.4, 60, true);
    assertEquals("epoch 2/20 1520/1520 6s  4ms/step  elapsed 12s  loss=0.01...", narrow,
        "the losses before the bar, cut at the width");
    // a learning rate near the end of a cosine schedule is below what 5 decimals show
    Map<String, Double> withRates = new java.util.LinkedHashMap<>(Map.of("loss", 0.012345));
    withRates.put("lr", 0.001);
    withRates.put("d_lr", 2.4674e-6);
    assertTrue(Progress.epochLine(1, 8, 10, withRates, 1, 1, Integer.MAX_VALUE, false)
        .endsWith("loss=0.01235 lr=0.00100 d_lr=2.47e-06"));
  }

  @Test
  void timesCarryTheirUnits() {
    assertEquals("450ms", Progress.duration(0.45));
    assertEquals("1s", Progress.duration(0.9996));
    assertEquals("12s", Progress.duration(12.2));
    assertEquals("1m05s", Progress.duration(65));
    assertEquals("1h02m", Progress.duration(3725));
    assertEquals("?", Progress.duration(Double.NaN));
    assertEquals("45ms/step", Progress.perStep(0.045));
    assertEquals("850us/step", Progress.perStep(0.00085));
    assertEquals("2.5s/step", Progress.perStep(2.5));
    assertEquals("[===>......]", Progress.bar(3, 10, 10));
    assertEquals("[..........]", Progress.bar(0, 10, 10));
    assertEquals("[==========]", Progress.bar(10, 10, 10));
  }

  /** 1000 steps 1 ms apart: the first step at once, then at most one redraw per 100 ms. */
  @Test
  void aTerminalIsRedrawnAtMostTenTimesASecondAndElapsedCountsEveryEpoch() {
    long[] now = {5_000_000_000L};
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    List<String> logged = new ArrayList<>();
    Progress p = new Progress(true, new PrintStream(bytes, true, StandardCharsets.UTF_8), logged::add, () -> now[0], 100);
    train(p, now, 2, 1000, 1_000_000L);
    String out = bytes.toString(StandardCharsets.UTF_8);
    long redraws = out.chars().filter(c -> c == '\r').count();
    assertEquals(2 * (10 + 1), redraws, "steps 1, 101, ..., 901 and the epoch's end, per epoch: " + out);
    assertTrue(out.startsWith("\repoch 1/2    1/1000 [>"), out);
    assertTrue(out.contains("\repoch 2/2    1/1000 [>.............................] ETA 999ms  1ms/step  elapsed 1s"),
        "the elapsed time includes the first epoch: " + out);
    assertEquals(2, out.lines().filter(l -> l.contains("1000/1000")).count(), "one ended line per epoch: " + out);
    assertTrue(out.endsWith("elapsed 2s  loss=0.01235 val_score=0.50000" + System.lineSeparator()), out);
    assertTrue(logged.isEmpty(), "a terminal gets no log lines: " + logged);
  }

  @Test
  void elsewhereEachEpochIsOneLogLineWithoutCarriageReturns() {
    long[] now = {0};
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    List<String> logged = new ArrayList<>();
    Progress p = new Progress(false, new PrintStream(bytes, true, StandardCharsets.UTF_8), logged::add, () -> now[0], 100);
    train(p, now, 3, 50, 20_000_000L);
    p.close();
    assertEquals("", bytes.toString(StandardCharsets.UTF_8), "nothing drawn");
    assertEquals(List.of(
        "epoch 1/3 50/50 1s  20ms/step  elapsed 1s  loss=0.01235 val_score=0.50000",
        "epoch 2/3 50/50 1s  20ms/step  elapsed 2s  loss=0.01235 val_score=0.50000",
        "epoch 3/3 50/50 1s  20ms/step  elapsed 3s  loss=0.01235 val_score=0.50000"), logged);
  }

  /** Reports {@code epochs} epochs of {@code steps} steps, {@code stepNanos} apart on the clock {@code now}, as the loop does. */
  private static void train(Progress p, long[] now, int epochs, int steps, long stepNanos) {
    p.onTrainBegin(epochs);
    for (int epoch = 1; epoch <= epochs; epoch++) {
      for (int step = 1; step <= steps; step++) {
        now[0] += stepNanos;
        p.onSteps(epoch, epochs, step, steps);
      }
      p.onEpochEnd(epoch, epochs, LOSSES, steps * stepNanos / 1e9);
    }
  }

  /** A real run on the KDD data: its progress shows steps of epoch 1 before epoch 1 ends (the BiGAN's 6 s of silence). */
  @Test
  void aRunShowsStepCountsBeforeTheFirstEpochEnds(@TempDir Path tmp) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Progress p = new Progress(true, new PrintStream(bytes, true, StandardCharsets.UTF_8), line -> {}, System::nanoTime,
        120);
    new ExperimentRunner(tmp.resolve("outputs"), Map.of(), p).run(new SpecLoader(ModelRegistry.get()).load(
        Path.of("experiments/kdd_ae.yaml"), List.of("model.epochs=2", "model.validation_split=0", "tracking.uri=none", "threads=1",
            "dataset.data_dir=" + TestData.kdd99Dir())));
    p.close();
    String out = bytes.toString(StandardCharsets.UTF_8);
    // 97,278 normal rows, batch 256, 10 steps per Session.run: 380 steps, reported 10 at a time
    Matcher firstStep = Pattern.compile("\repoch 1/2  10/380 \\[[=>.]+\\] ETA \\S+  \\d+(ms|us)/step  elapsed \\S+")
        .matcher(out);
    assertTrue(firstStep.find(), "the first Session.run of steps is shown: " + out);
    int epochEnd = out.indexOf("epoch 1/2 380/380 [");
    assertTrue(epochEnd > firstStep.start(), "steps before the epoch's end: " + out);
    assertTrue(out.substring(epochEnd).matches("(?s)epoch 1/2 380/380 \\[=+\\] \\S+  \\S+/step  elapsed \\S+  loss=\\d\\.\\d{5}"
        + " lr=0\\.00100\\R.*epoch 2/2 380/380 .*\\R"), out); // kdd_ae.yaml's constant rate, to 3 digits
    assertFalse(out.contains("null") || out.contains("NaN") || out.contains("?"), out);
  }
}
