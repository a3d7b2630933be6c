package org.kaffee.cli;

import java.util.List;
import org.kaffee.api.Detection;
import org.kaffee.api.Detector;
import org.kaffee.api.Network;
import org.kaffee.inference.AnnotatedInputs;
import org.kaffee.layers.detection.AveragePrecision.Version;
import org.kaffee.inference.BatchRunner;
import org.kaffee.inference.DetectionEvaluation;
import org.kaffee.inference.DetectionReport;
import org.kaffee.io.WorkDir;

/** {@code kaffee evaluate --detection}: a DetectionOutput net's VOC mAP over annotated inputs. */
final class DetectionEvaluateRun {
  private final InferenceOptions options;
  private final double overlapThreshold;
  private final Version interpolation;
  private final String output;

  DetectionEvaluateRun(InferenceOptions options, double overlapThreshold, Version interpolation,
      String output) {
    this.options = options;
    this.overlapThreshold = overlapThreshold;
    this.interpolation = interpolation;
    this.output = output;
  }

  void run() {
    Network network = options.network();
    DetectionEvaluation evaluation = DetectionEvaluation.of(network.definition(), overlapThreshold);
    List<String> labels = options.labelList();
    // every row DetectionOutput keeps is ranked: the curve needs the low scores too
    Detector detector = new Detector(network, options.preprocessing(), labels, 0);
    AnnotatedInputs inputs = new AnnotatedInputs(options.inputs, options.backend, options.rootFolder,
        detector.preprocessor().channels() == 3, labels);
    BatchRunner<List<Detection>> runner = new BatchRunner<>(detector::detect, options.batchSize(network),
        "Detected objects in");
    runner.run(inputs, (record, detections) -> evaluation.add(record.name(), inputs.truth(record),
        detections.stream().map(d -> DetectionEvaluation.Scored.of(d, record.image().width, record.image().height))
            .toList()));
    DetectionReport report = new DetectionReport(evaluation, detector::label);
    report.print(System.out, interpolation);
    if (output != null) {
      report.write(WorkDir.resolve(output));
    }
  }
}
