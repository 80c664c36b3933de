package io.deepad4j.cli;

import io.deepad4j.engine.EpochListener;
import io.deepad4j.engine.TrainingLoop;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shows training as Keras' {@code fit} does, from the first step on. On a terminal (stdout, see
 * {@link Terminal#interactive}): one line per epoch, redrawn in place while the epoch runs (steps done,
 * a bar, the epoch's ETA, the time per step, the time elapsed since training began) at most every
 * {@link #REDRAW_NANOS}, and ended with the epoch's time and losses:
 *
 * <pre>
 * epoch 2/20  640/1520 [=========>...........] ETA 3s  4ms/step  elapsed 9s
 * epoch 2/20 1520/1520 [=====================] 6s  4ms/step  elapsed 12s  loss=0.01234
 * </pre>
 *
 * Elsewhere (a pipe, a file, CI), only the ended lines, one log line per epoch, with no carriage
 * returns. It only reads what the training loop reports, so it cannot change a result.
 */
final class Progress implements EpochListener {
  private static final Logger log = LoggerFactory.getLogger("train");
  /** At most ten redraws a second, as Keras' progress bar. */
  static final long REDRAW_NANOS = 100_000_000L;
  private static final int MAX_BAR = 30;
  private static final int MIN_BAR = 6;

  private final boolean terminal;
  private final PrintStream out;
  private final Consumer<String> lines;
  private final LongSupplier nanoClock;
  private final int width;

  private long trainStart = -1;
  private long epochStart;
  private long lastDraw;
  private long stepsPerEpoch;
  private int drawnLength; // of the line now open on the terminal (drawn without a newline); 0 = none

  /**
   * @param terminal redraw lines in place on {@code out}; otherwise give each ended epoch's line to {@code lines}
   * @param nanoClock System::nanoTime, or a test's clock
   * @param width the terminal's width in characters
   */
  Progress(boolean terminal, PrintStream out, Consumer<String> lines, LongSupplier nanoClock, int width) {
    this.terminal = terminal;
    this.out = out;
    this.lines = lines;
    this.nanoClock = nanoClock;
    this.width = width;
  }

  static Progress forConsole() {
    return new Progress(Terminal.interactive(), System.out, log::info, System::nanoTime, Terminal.width());
  }

  @Override
  public void onTrainBegin(int epochs) {
    close();
    trainStart = nanoClock.getAsLong();
    epochStart = trainStart;
    lastDraw = Long.MIN_VALUE;
    stepsPerEpoch = 0;
  }

  @Override
  public void onSteps(int epoch, int epochs, long done, long total) {
    long now = nanoClock.getAsLong();
    if (trainStart < 0) { // a caller that does not report the start: count from the first step
      onTrainBegin(epochs);
    }
    stepsPerEpoch = total;
    // the first step is always shown; the last is followed at once by the epoch's own line
    if (!terminal || done >= total || (lastDraw != Long.MIN_VALUE && now - lastDraw < REDRAW_NANOS)) {
      return;
    }
    lastDraw = now;
    draw(stepLine(epoch, epochs, done, total, seconds(now - epochStart), seconds(now - trainStart), width), false);
  }

  @Override
  public void onEpochEnd(int epoch, int epochs, Map<String, Double> losses, double seconds) {
    long now = nanoClock.getAsLong();
    if (trainStart < 0) {
      onTrainBegin(epochs);
      trainStart = now - Math.round(seconds * 1e9);
    }
    String line = epochLine(epoch, epochs, stepsPerEpoch, losses, seconds, seconds(now - trainStart),
        terminal ? width : Integer.MAX_VALUE, terminal);
    epochStart = now;
    lastDraw = Long.MIN_VALUE; // the next epoch's first step is shown at once
    if (terminal) {
      draw(line, true);
    } else {
      lines.accept(line);
    }
  }

  /** Ends a line left open (training that failed mid-epoch), so that what follows starts on its own line. */
  void close() {
    if (drawnLength > 0) {
      out.println();
      out.flush();
      drawnLength = 0;
    }
  }

  private void draw(String line, boolean end) {
    StringBuilder sb = new StringBuilder("\r").append(line);
    if (line.length() < drawnLength) {
      sb.append(" ".repeat(drawnLength - line.length())); // blank what the longer line before left
    }
    if (end) {
      sb.append(System.lineSeparator());
      drawnLength = 0;
    } else {
      drawnLength = line.length();
    }
    out.print(sb);
    out.flush();
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }

  /**
   * The line shown while an epoch runs: {@code done} of {@code total} steps after {@code epochSeconds}
   * of the epoch and {@code elapsedSeconds} of training; at most {@code width} characters.
   */
  static String stepLine(int epoch, int epochs, long done, long total, double epochSeconds, double elapsedSeconds,
      int width) {
    double perStep = done > 0 ? epochSeconds / done : Double.NaN;
    String eta = done > 0 ? "ETA " + duration(perStep * (total - done)) : "ETA ?";
    String head = head(epoch, epochs, done, total);
    String tail = eta + "  " + perStep(perStep) + "  elapsed " + duration(elapsedSeconds);
    return fit(head, done, total, tail, "", width, true);
  }

  /**
   * The line an epoch ends with: its steps, time and time per step, the elapsed time of training so far
   * and the epoch's losses; with {@code bar} the bar that the step lines drew (full).
   */
  static String epochLine(int epoch, int epochs, long steps, Map<String, Double> losses, double epochSeconds,
      double elapsedSeconds, int width, boolean bar) {
    String head = steps > 0 ? head(epoch, epochs, steps, steps) : "epoch " + epoch + "/" + epochs;
    String tail = duration(epochSeconds) + (steps > 0 ? "  " + perStep(epochSeconds / steps) : "")
        + "  elapsed " + duration(elapsedSeconds);
    String values = losses.entrySet().stream()
        .map(e -> e.getKey() + "=" + String.format(Locale.ROOT,
            TrainingLoop.isLearningRate(e.getKey()) ? "%.3g" : "%.5f", e.getValue())) // a decayed rate is < 1e-5
        .collect(Collectors.joining(" "));
    return fit(head, steps, steps, tail, values, width, bar && steps > 0);
  }

  private static String head(int epoch, int epochs, long done, long total) {
    String t = Long.toString(total);
    String d = Long.toString(done);
    return "epoch " + epoch + "/" + epochs + " " + " ".repeat(Math.max(0, t.length() - d.length())) + d + "/" + t;
  }

  /**
   * head [bar] tail  values, in {@code width}: the bar takes what is left (up to {@link #MAX_BAR}) and is
   * dropped below {@link #MIN_BAR}; the line is cut with "..." when still too long.
   */
  private static String fit(String head, long done, long total, String tail, String values, int width,
      boolean withBar) {
    String fixed = head + " " + tail + (values.isEmpty() ? "" : "  " + values);
    int room = width - fixed.length() - 3; // " [" + "]"
    StringBuilder sb = new StringBuilder(head);
    if (withBar && total > 0) {
      int barWidth = Math.min(MAX_BAR, room);
      if (barWidth >= MIN_BAR) { // else the losses matter more than the bar
        sb.append(' ').append(bar(done, total, barWidth));
      }
    }
    sb.append(' ').append(tail);
    if (!values.isEmpty()) {
      sb.append("  ").append(values);
    }
    return ellipsis(sb.toString(), width);
  }

  /** Keras' bar: {@code [=====>......]}, {@code width} characters inside the brackets. */
  static String bar(long done, long total, int width) {
    int full = (int) Math.min(width, done * width / Math.max(1, total));
    StringBuilder sb = new StringBuilder("[").append("=".repeat(full));
    if (full < width) {
      sb.append(done > 0 ? ">" : ".").append(".".repeat(width - full - 1));
    }
    return sb.append(']').toString();
  }

  /** {@code s} cut to {@code width} characters, the last three "..." when it was cut. */
  static String ellipsis(String s, int width) {
    if (s.length() <= width) {
      return s;
    }
    return width <= 3 ? s.substring(0, Math.max(0, width)) : s.substring(0, width - 3) + "...";
  }

  /** A time with its unit, as Keras prints them: 450ms, 12s, 1m05s, 1h02m. */
  static String duration(double seconds) {
    if (!Double.isFinite(seconds) || seconds < 0) {
      return "?";
    }
    if (seconds < 0.9995) {
      return Math.round(seconds * 1000) + "ms";
    }
    long s = Math.round(seconds);
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60);
  }

  /** Seconds per step as Keras prints it: 2s/step, 45ms/step, 850us/step. */
  static String perStep(double seconds) {
    if (!Double.isFinite(seconds) || seconds < 0) {
      return "?/step";
    }
    if (seconds >= 0.9995) {
      return String.format(Locale.ROOT, "%.1fs/step", seconds);
    }
    if (seconds >= 0.9995e-3) {
      return Math.round(seconds * 1e3) + "ms/step";
    }
    return Math.round(seconds * 1e6) + "us/step";
  }
}
