package org.kaffee.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.kaffee.api.Detection;
import org.kaffee.api.Detector;
import org.kaffee.inference.BatchRunner;
import org.kaffee.inference.DetectionPicture;
import org.kaffee.inference.DetectionWriter;
import org.kaffee.io.WorkDir;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kaffee detect}: the boxes an SSD-style deploy net finds in each input. */
@Command(name = "detect", mixinStandardHelpOptions = true,
    description = "Detect objects with a deploy net ending in DetectionOutput: boxes, labels and scores per input.")
final class DetectCommand implements Runnable {
  @Mixin
  InferenceOptions options;

  @Option(names = {"--confidence", "-confidence"}, description = "Keep detections scoring at least this (default 0.5).")
  float confidence = 0.5f;

  @Option(names = {"--output", "-output"}, description = "Also write the detections to a .csv or .json file.")
  String output;

  @Option(names = {"--draw", "-draw"}, description = "Write each input as a PNG with its boxes drawn into this directory.")
  String draw;

  @Override
  public void run() {
    // the cheap checks of the output flags first, so a typo costs no net loading
    DetectionWriter writer = output == null ? null : new DetectionWriter(WorkDir.resolve(output));
    Path pictures = draw == null ? null : DetectionPicture.directory(WorkDir.resolve(draw), "--draw");
    Detector detector = new Detector(options.network(), options.preprocessing(), options.labelList(), confidence);
    BatchRunner<List<Detection>> runner = new BatchRunner<>(detector::detect, options.batchSize(detector.network()),
        "Detected objects in");
    PrintStream out = System.out;
    runner.run(options.inputs(detector.preprocessor()), (record, detections) -> {
      out.println("---------- Detections for " + record.name() + " ----------");
      for (Detection d : detections) {
        out.println(String.format(Locale.ROOT, "%.4f - \"%s\" %.1f %.1f %.1f %.1f", d.score(), d.labelName(),
            d.xmin(), d.ymin(), d.xmax(), d.ymax()));
      }
      if (writer != null) {
        writer.add(record, detections);
      }
      if (pictures != null) {
        DetectionPicture.write(DetectionPicture.fileFor(pictures, record.name()), record.image(), detections);
      }
    });
    out.flush();
    if (writer != null) {
      writer.finish();
    }
  }
}
