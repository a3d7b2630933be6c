package org.kaffee.cli;

import org.kaffee.api.Classifier;
import org.kaffee.core.KaffeeException;
import org.kaffee.layers.detection.AveragePrecision.Version;
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
        + "top5, per-class precision and recall, the confusion matrix, the worst records; with --detection, "
        + "VOC mAP on annotated inputs.")
final class EvaluateCommand implements Runnable {
  @Mixin
  InferenceOptions options;

  @Option(names = {"--output", "-output"},
      description = "A directory for confusion_matrix.csv, confusion_matrix.png and per_class.csv "
          + "(with --detection: average_precision.csv and .json).")
  String output;

  @Option(names = {"--worst", "-worst"}, description = "How many worst records and confused pairs to list (default 10).")
  int worst = 10;

  @Option(names = {"--detection", "-detection"},
      description = "Score a net ending in DetectionOutput on annotated inputs (AnnotatedDatum databases, "
          + "'image annotation.xml' lists): VOC average precision per class and the mean.")
  boolean detection;

  @Option(names = {"--overlap_threshold", "-overlap_threshold"},
      description = "With --detection: the overlap (IoU) a detection needs to match a box (default 0.5).")
  Double overlapThreshold;

  @Option(names = {"--ap_version", "-ap_version"},
      description = "With --detection: the AP the mAP line reports, 11point (VOC2007, default), MaxIntegral "
          + "(all points, VOC2010+) or Integral (SSD's natural integral); the table shows the first two.")
  String apVersion;

  @Override
  public void run() {
    if (detection) {
      new DetectionEvaluateRun(options, overlapThreshold == null ? 0.5 : overlapThreshold,
          Version.named(apVersion == null ? "11point" : apVersion), output).run();
      return;
    }
    KaffeeException.check(overlapThreshold == null && apVersion == null,
        "--overlap_threshold and --ap_version score detections: add --detection");
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
