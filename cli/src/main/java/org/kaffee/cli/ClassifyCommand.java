package org.kaffee.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import org.kaffee.api.Classifier;
import org.kaffee.api.Prediction;
import org.kaffee.inference.BatchRunner;
import org.kaffee.inference.PredictionWriter;
import org.kaffee.io.WorkDir;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kaffee classify}: the top classes of each input, as Caffe's classification example prints them. */
@Command(name = "classify", mixinStandardHelpOptions = true,
    description = "Classify images with a trained deploy net: the top-k classes of each input.")
final class ClassifyCommand implements Runnable {
  @Mixin
  InferenceOptions options;

  @Option(names = {"--top_k", "-top_k"}, description = "How many classes to print per input (default 5).")
  int topK = 5;

  @Option(names = {"--output", "-output"}, description = "Also write the predictions to a .csv or .json file.")
  String output;

  @Override
  public void run() {
    Classifier classifier = options.classifier();
    BatchRunner<float[]> runner = BatchRunner.of(classifier, options.batchSize(classifier));
    PrintStream out = System.out;
    PredictionWriter writer = output == null ? null : new PredictionWriter(WorkDir.resolve(output));
    runner.run(options.inputs(classifier), (record, probabilities) -> {
      List<Prediction> top = classifier.top(probabilities, topK);
      out.println("---------- Prediction for " + record.name() + " ----------");
      for (Prediction p : top) {
        out.println(String.format(Locale.ROOT, "%.4f - \"%s\"", p.probability(), p.label()));
      }
      if (writer != null) {
        writer.add(record, top);
      }
    });
    out.flush();
    if (writer != null) {
      writer.finish();
    }
  }
}
