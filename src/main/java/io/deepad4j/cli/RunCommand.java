package io.deepad4j.cli;

import io.deepad4j.evaluation.MetricName;
import io.deepad4j.models.ModelRegistry;
import io.deepad4j.run.ExperimentRunner;
import io.deepad4j.run.RunResult;
import io.deepad4j.spec.ResolvedSpec;
import io.deepad4j.spec.SpecLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "run", description = "Run one experiment: ./runner experiments/kdd_ae.yaml model.epochs=30 seed=7")
final class RunCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "the experiment spec (YAML)")
  Path spec;

  @Parameters(index = "1..*", arity = "0..*", description = "dotted overrides, key=value")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--outputs", defaultValue = "outputs", description = "outputs root (default: ${DEFAULT-VALUE})")
  Path outputs;

  @Override
  public Integer call() {
    ResolvedSpec resolved = new SpecLoader(ModelRegistry.get()).load(spec, overrides);
    Progress progress = Progress.forConsole();
    try {
      RunResult r = new ExperimentRunner(outputs, Map.of(), progress).run(resolved);
      System.out.println("run finished: " + r.runDir());
      System.out.printf("roc_auc=%.4f f1_score=%.4f%n", r.metrics().get(MetricName.ROC_AUC.key()), r.metrics().get(MetricName.F1.key()));
      return 0;
    } finally {
      progress.close();
    }
  }
}
