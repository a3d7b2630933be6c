package org.kaffee.cli;

import org.kaffee.api.Classifier;
import org.kaffee.inference.BatchRunner;
import org.kaffee.inference.Evaluation;
import org.kaffee.report.EvaluationReport;
import org.kaffee.io.WorkDir;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kaffee evaluate}: accuracy, per-class figures and the confusion matrix over labelled inputs. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = "Score a deploy net on labelled inputs ('path label' lists or Datum databases): accuracy, "
        + "top5, per-class precision and recall, the confusion matrix, the worst records.")
final class EvaluateCommand implements Runnable {
  @Mixin
  InferenceOptions options;

  @Option(names = {"--output", "-output"},
      description = "A directory for confusion_matrix.csv, confusion_matrix.png and per_class.csv.")
  String output;

  @Option(names = {"--worst", "-worst"}, description = "How many worst records and confused pairs to list (default 10).")
  int worst = 10;

  @Override
  public void run() {
    Classifier classifier = options.classifier();
    Evaluation evaluation = new Evaluation(classifier.classes(), worst);
    BatchRunner.of(classifier, options.batchSize(classifier)).run(options.inputs(classifier),
        (record, probabilities) -> evaluation.add(record.name(), record.label(), probabilities));
    EvaluationReport report = new EvaluationReport(evaluation, classifier::label);
    report.print(System.out, worst);
    if (output != null) {
      report.write(WorkDir.resolve(output));
    }
  }
}
