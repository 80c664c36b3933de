package io.deepad4j.cli;

import io.deepad4j.engine.EpochListener;
import java.util.Map;
import java.util.stream.Collectors;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Shows training epochs: a progress bar with the losses on a terminal, one log line per epoch otherwise. */
final class Progress implements EpochListener {
  private static final Logger log = LoggerFactory.getLogger("train");
  private final boolean terminal;
  private ProgressBar bar;

  Progress(boolean terminal) {
    this.terminal = terminal;
  }

  static Progress forConsole() {
    return new Progress(System.console() != null && !"dumb".equals(System.getenv("TERM")));
  }

  @Override
  public void onEpochEnd(int epoch, int epochs, Map<String, Double> losses, double seconds) {
    String text = losses.entrySet().stream()
        .map(e -> e.getKey() + "=" + String.format("%.5f", e.getValue()))
        .collect(Collectors.joining(" "));
    if (!terminal) {
      log.info("epoch {}/{} {} ({} ms)", epoch, epochs, text, Math.round(seconds * 1000));
      return;
    }
    if (bar == null || epoch == 1) {
      close();
      bar = new ProgressBarBuilder().setTaskName("train").setInitialMax(epochs)
          .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(100).continuousUpdate().build();
    }
    bar.stepTo(epoch);
    bar.setExtraMessage(text);
    if (epoch == epochs) {
      close();
    }
  }

  void close() {
    if (bar != null) {
      bar.close();
      bar = null;
    }
  }
}
