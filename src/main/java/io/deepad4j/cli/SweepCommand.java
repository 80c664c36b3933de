package io.deepad4j.cli;

import io.deepad4j.engine.EpochListener;
import io.deepad4j.models.ModelRegistry;
import io.deepad4j.spark.SparkSubmit;
import io.deepad4j.spark.SparkSweeps;
import io.deepad4j.spec.SpecException;
import io.deepad4j.spec.SpecLoader;
import io.deepad4j.sweep.CommandLineSweep;
import io.deepad4j.sweep.SweepObjective;
import io.deepad4j.sweep.SweepConfig;
import io.deepad4j.sweep.SweepFileParser;
import io.deepad4j.sweep.SweepRunner;
import io.deepad4j.sweep.SweepSummary;
import io.deepad4j.sweep.TrialLauncher;
import io.deepad4j.sweep.TrialRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Runs a hyperparameter sweep: from a sweep file, from the command line ({@code --sweep}, Hydra
 * style), or the unfinished trials of an earlier sweep ({@code --resume}).
 */
@Command(name = "sweep", description = {
    "Run a hyperparameter sweep (grid or random search), each trial a child run of one MLflow parent run.",
    "  ./runner sweep experiments/sweeps/kdd_ae_lr.yaml [key=value ...] [--parallel N]",
    "  ./runner experiments/kdd_ae.yaml --sweep model.learning_rate=0.001,0.01 model.latent_dim=2,4",
    "  ./runner sweep --resume outputs/sweeps/<name>-<stamp>",
    "  ./runner sweep experiments/sweeps/kdd_ae_lr.yaml --spark spark://host:7077   (trials as Spark tasks)"})
final class SweepCommand implements Callable<Integer> {
  @Parameters(arity = "0..*", paramLabel = "FILE [key=value...]",
      description = "a sweep file and overrides of its base spec; with --sweep, an experiment spec and key=a,b,c lists")
  List<String> args = new ArrayList<>();

  @Option(names = "--sweep", description = "the first argument is an experiment spec; key=a,b,c arguments are swept (grid)")
  boolean commandLine;

  @Option(names = "--parallel", description = "trials at once (default: the sweep file's, else 1)")
  Integer parallel;

  @Option(names = "--repeats", description = "with --sweep: seeds per point (default 1)")
  Integer repeats;

  @Option(names = "--objective", description = "with --sweep: metric[:max|min] to rank points by (default roc_auc:max)")
  String objective;

  @Option(names = "--resume", paramLabel = "SWEEP_DIR", description = "rerun the trials of this sweep folder that did not finish")
  Path resume;

  @Option(names = "--outputs", defaultValue = "outputs", description = "outputs root (default: ${DEFAULT-VALUE})")
  Path outputs;

  @Option(names = "--spark", paramLabel = "MASTER_URL", description = {"run each trial as a Spark task on this cluster"
      + " (spark://host:7077, yarn, k8s://..., local[N]), submitted with $SPARK_HOME/bin/spark-submit;"
      + " the workers need the data and the MLflow server (see README, Running on a Spark cluster)"})
  String spark;

  @Option(names = "--task-cpus", paramLabel = "N", description = "with --spark: TensorFlow threads and spark.task.cpus"
      + " per trial (default 1; a sweep that sets threads itself uses its own)")
  Integer taskCpus;

  @Spec
  CommandSpec commandSpec;

  @Override
  public Integer call() {
    if (spark != null && !SparkSubmit.sparkOnClasspath()) {
      // the runner has no Spark: spark-submit starts this same command line as the Spark driver
      return SparkSubmit.resubmit(spark, commandSpec.commandLine().getParseResult().originalArgs());
    }
    if (taskCpus != null && (spark == null || taskCpus < 1)) {
      throw new SpecException("--task-cpus goes with --spark and is at least 1");
    }
    SpecLoader loader = new SpecLoader(ModelRegistry.get());
    Progress progress = Progress.forConsole();
    TrialLauncher launcher = spark == null ? null : SparkSweeps.launcher(spark, taskCpus == null ? 1 : taskCpus);
    SweepRunner runner = new SweepRunner(outputs, loader, launcher == null ? progress : EpochListener.NONE,
        Runtime.getRuntime().availableProcessors(), launcher);
    SweepRunner.Result result;
    try {
      if (resume != null) {
        if (!args.isEmpty() || commandLine) {
          throw new SpecException("--resume takes the sweep folder only: the sweep's file and overrides are in it");
        }
        result = runner.resume(resume, parallel);
      } else if (args.isEmpty()) {
        throw new SpecException("give a sweep file (experiments/sweeps/*.yaml), or a spec with --sweep key=a,b, or --resume <sweep dir>");
      } else if (commandLine) {
        result = commandLineSweep(runner);
      } else {
        if (repeats != null || objective != null) {
          throw new SpecException("--repeats and --objective go with --sweep; a sweep file sets sweep.repeats and sweep.objective");
        }
        Path file = Path.of(args.get(0));
        SweepConfig config = SweepFileParser.parse(file);
        if (parallel != null) {
          config = config.withParallel(parallel);
        }
        String name = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        result = runner.run(name, config, args.subList(1, args.size()), file.toString());
      }
    } finally {
      progress.close();
      if (launcher instanceof AutoCloseable c) {
        try {
          c.close(); // stops the Spark application
        } catch (Exception e) {
          System.err.println("could not stop the Spark application: " + e.getMessage());
        }
      }
    }
    print(result);
    return result.summary().best().isPresent() ? 0 : 1;
  }

  private SweepRunner.Result commandLineSweep(SweepRunner runner) {
    Path spec = Path.of(args.get(0));
    CommandLineSweep cl = CommandLineSweep.parse(args.subList(1, args.size()));
    SweepObjective obj = SweepObjective.DEFAULT;
    if (objective != null) {
      String[] parts = objective.split(":", 2);
      if (parts.length == 2 && !parts[1].equals("max") && !parts[1].equals("min")) {
        throw new SpecException("--objective " + objective + ": the mode after ':' is max or min");
      }
      obj = new SweepObjective(parts[0], parts.length == 1 || parts[1].equals("max"));
    }
    String commandLineText = "./runner " + args.get(0) + " --sweep " + String.join(" ", args.subList(1, args.size()));
    String text = SweepFileParser.gridFileText(spec, cl.choices(), repeats == null ? 1 : repeats,
        parallel == null ? 1 : parallel, obj, commandLineText);
    // the generated file goes through the same checks as a written one (objective, repeats, sizes)
    SweepConfig config = SweepFileParser.parse(Path.of("(--sweep)"), text);
    String name = spec.getFileName().toString().replaceFirst("\\.ya?ml$", "") + "-sweep";
    return runner.run(name, config, cl.fixed(), commandLineText);
  }

  private static void print(SweepRunner.Result r) {
    SweepSummary s = r.summary();
    System.out.println();
    System.out.print(s.toTable(20));
    if (s.rows().size() > 20) {
      System.out.println("... " + (s.rows().size() - 20) + " more points in summary.csv");
    }
    for (TrialRecord f : s.failedTrials()) {
      System.out.println("FAILED trial " + f.number() + " (point " + f.point() + ", seed " + f.seed() + "): " + f.error()
          + (f.runDir() == null ? "" : " [" + f.runDir() + "]"));
    }
    System.out.printf("sweep %s: %d trials run, %d failed%s, in %.1f s (%.2f trials per minute, %d at a time)%n",
        r.plan().name(), r.ran(), r.failed(), r.skipped() > 0 ? ", " + r.skipped() + " finished before" : "",
        r.seconds(), r.seconds() > 0 ? r.ran() * 60 / r.seconds() : 0.0, r.plan().config().parallel());
    System.out.println("summary: " + r.folder().dir().resolve("summary.csv"));
    if (r.parentRunId() != null) {
      System.out.println("MLflow parent run: " + r.parentRunId());
    }
    s.best().ifPresent(b -> System.out.println("best: point " + b.point() + " " + b.params() + " "
        + s.objective().metric() + "=" + String.format("%.4f", b.mean())));
  }
}
