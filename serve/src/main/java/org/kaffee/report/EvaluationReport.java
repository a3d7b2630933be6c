package org.kaffee.report;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.IntFunction;
import org.kaffee.core.KaffeeException;
import org.kaffee.inference.Csv;
import org.kaffee.inference.Evaluation;
import org.kaffee.io.AtomicFiles;
import org.kaffee.log.CppFloat;
import org.kaffee.log.Glog;

/**
 * Prints an evaluation: per-class precision and recall, the most confused pairs and the worst
 * records on stdout, then Caffe's {@code accuracy = X} and {@code top5 = Y} log lines; writes
 * the confusion matrix (CSV and PNG) and the per-class table to a directory.
 */
public final class EvaluationReport {
  private final Evaluation evaluation;
  private final IntFunction<String> label;

  public EvaluationReport(Evaluation evaluation, IntFunction<String> label) {
    this.evaluation = evaluation;
    this.label = label;
  }

  public void print(PrintStream out, int pairs) {
    out.printf(Locale.ROOT, "%-6s %-24s %8s %10s %8s%n", "class", "label", "records", "precision", "recall");
    for (int c = 0; c < evaluation.classes(); c++) {
      out.printf(Locale.ROOT, "%-6d %-24s %8d %10s %8s%n", c, "\"" + label.apply(c) + "\"", evaluation.support(c),
          share(evaluation.precision(c)), share(evaluation.recall(c)));
    }
    out.println("Most confused (true -> predicted: records):");
    for (Evaluation.Confusion c : evaluation.mostConfused(pairs)) {
      out.printf(Locale.ROOT, "  \"%s\" -> \"%s\": %d%n", label.apply(c.label()), label.apply(c.predicted()), c.records());
    }
    out.println("Worst records (probability of the true class; the prediction):");
    for (Evaluation.Miss m : evaluation.worst()) {
      out.printf(Locale.ROOT, "  %s: \"%s\" %.4f; \"%s\" %.4f%n", m.name(), label.apply(m.label()), m.labelProbability(),
          label.apply(m.predicted()), m.predictedProbability());
    }
    out.flush();
    Glog.info("Evaluated %d records", evaluation.records());
    Glog.info("accuracy = %s", CppFloat.format((float) evaluation.accuracy()));
    if (evaluation.classes() > 5) {
      Glog.info("top5 = %s", CppFloat.format((float) evaluation.top5()));
    }
  }

  /** confusion_matrix.csv, confusion_matrix.png and per_class.csv in {@code dir} (created if missing), each atomically. */
  public void write(Path dir) {
    try {
      Files.createDirectories(dir);
      StringBuilder matrix = new StringBuilder("true\\predicted");
      for (int p = 0; p < evaluation.classes(); p++) {
        matrix.append(',').append(Csv.quote(label.apply(p)));
      }
      matrix.append('\n');
      StringBuilder perClass = new StringBuilder("class,label,records,precision,recall\n");
      for (int t = 0; t < evaluation.classes(); t++) {
        matrix.append(Csv.quote(label.apply(t)));
        for (int p = 0; p < evaluation.classes(); p++) {
          matrix.append(',').append(evaluation.count(t, p));
        }
        matrix.append('\n');
        perClass.append(t).append(',').append(Csv.quote(label.apply(t))).append(',').append(evaluation.support(t))
            .append(',').append(csvShare(evaluation.precision(t))).append(',')
            .append(csvShare(evaluation.recall(t))).append('\n');
      }
      AtomicFiles.replace(dir.resolve("confusion_matrix.csv"),
          tmp -> Files.writeString(tmp, matrix, StandardCharsets.UTF_8));
      AtomicFiles.replace(dir.resolve("per_class.csv"), tmp -> Files.writeString(tmp, perClass, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new KaffeeException("cannot write the evaluation to " + dir + ": " + e.getMessage(), e);
    }
    ConfusionPlot.write(evaluation, label, dir.resolve("confusion_matrix.png"));
    Glog.info("Wrote %s (confusion_matrix.csv, confusion_matrix.png, per_class.csv)", dir);
  }

  private static String share(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
  }

  private static String csvShare(double v) {
    return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6f", v);
  }
}
