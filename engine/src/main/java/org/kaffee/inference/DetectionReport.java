package org.kaffee.inference;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.IntFunction;
import org.kaffee.core.KaffeeException;
import org.kaffee.io.AtomicFiles;
import org.kaffee.layers.detection.AveragePrecision.Version;
import org.kaffee.log.CppFloat;
import org.kaffee.log.Glog;

/**
 * Prints a detection evaluation: per class (the background left out) its ground-truth boxes,
 * its scored detections and its AP in both interpolations on stdout, then {@code mAP = X} in
 * the chosen one as a log line; writes the same table as {@code average_precision.csv} and
 * {@code average_precision.json} to a directory.
 */
public final class DetectionReport {
  private final DetectionEvaluation evaluation;
  private final IntFunction<String> label;

  public DetectionReport(DetectionEvaluation evaluation, IntFunction<String> label) {
    this.evaluation = evaluation;
    this.label = label;
  }

  public void print(PrintStream out, Version chosen) {
    out.printf(Locale.ROOT, "%-6s %-24s %8s %11s %11s %14s%n", "class", "label", "boxes", "detections", "AP 11point",
        "AP all points");
    for (int c = 0; c < evaluation.classes(); c++) {
      if (c != evaluation.background()) {
        out.printf(Locale.ROOT, "%-6d %-24s %8d %11d %11.4f %14.4f%n", c, "\"" + label.apply(c) + "\"",
            evaluation.positives(c), evaluation.detections(c),
            evaluation.averagePrecision(c, Version.ELEVEN_POINT),
            evaluation.averagePrecision(c, Version.MAX_INTEGRAL));
      }
    }
    for (Version version : Version.values()) {
      out.printf(Locale.ROOT, "mAP %s = %.4f%n", version, evaluation.meanAveragePrecision(version));
    }
    out.flush();
    Glog.info("Evaluated %d images (overlap threshold %s, difficult boxes ignored, AP %s)", evaluation.images(),
        CppFloat.format((float) evaluation.overlapThreshold()), chosen);
    Glog.info("mAP = %s", CppFloat.format((float) evaluation.meanAveragePrecision(chosen)));
  }

  /** average_precision.csv and average_precision.json in {@code dir} (created if missing), each atomically. */
  public void write(Path dir) {
    StringBuilder csv = new StringBuilder("class,label,boxes,detections,ap_11point,ap_all_points\n");
    JsonArray classes = new JsonArray();
    for (int c = 0; c < evaluation.classes(); c++) {
      if (c == evaluation.background()) {
        continue;
      }
      double eleven = evaluation.averagePrecision(c, Version.ELEVEN_POINT);
      double all = evaluation.averagePrecision(c, Version.MAX_INTEGRAL);
      csv.append(c).append(',').append(Csv.quote(label.apply(c))).append(',').append(evaluation.positives(c))
          .append(',').append(evaluation.detections(c)).append(',').append(eleven).append(',').append(all)
          .append('\n');
      JsonObject o = new JsonObject();
      o.addProperty("class", c);
      o.addProperty("label", label.apply(c));
      o.addProperty("boxes", evaluation.positives(c));
      o.addProperty("detections", evaluation.detections(c));
      o.addProperty("ap_11point", eleven);
      o.addProperty("ap_all_points", all);
      classes.add(o);
    }
    JsonObject json = new JsonObject();
    json.addProperty("images", evaluation.images());
    json.addProperty("overlap_threshold", evaluation.overlapThreshold());
    json.add("classes", classes);
    json.addProperty("map_11point", evaluation.meanAveragePrecision(Version.ELEVEN_POINT));
    json.addProperty("map_all_points", evaluation.meanAveragePrecision(Version.MAX_INTEGRAL));
    try {
      Files.createDirectories(dir);
      AtomicFiles.replace(dir.resolve("average_precision.csv"),
          tmp -> Files.writeString(tmp, csv, StandardCharsets.UTF_8));
      String text = new GsonBuilder().setPrettyPrinting().create().toJson(json);
      AtomicFiles.replace(dir.resolve("average_precision.json"),
          tmp -> Files.writeString(tmp, text, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new KaffeeException("cannot write the evaluation to " + dir + ": " + e.getMessage(), e);
    }
  }
}
