package org.kaffee.inference;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.kaffee.api.Detection;
import org.kaffee.core.KaffeeException;
import org.kaffee.io.AtomicFiles;

/**
 * Writes detect's answers to a file chosen by its extension: {@code .csv} (one row per
 * detection: input, class, name, score, xmin, ymin, xmax, ymax in pixels) or {@code .json} (an
 * array of {input, detections: [{class, name, score, xmin, ymin, xmax, ymax}]}, images without
 * detections included). Kept until {@link #finish}, which writes the file atomically, as
 * {@link PredictionWriter} does.
 */
public final class DetectionWriter {
  private final Path file;
  private final boolean json;
  private final StringBuilder csv = new StringBuilder("input,class,name,score,xmin,ymin,xmax,ymax\n");
  private final JsonArray records = new JsonArray();

  /** Checks the name and the directory now, so a bad --output fails before any work. */
  public DetectionWriter(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    KaffeeException.check(name.endsWith(".csv") || name.endsWith(".json"),
        "--output=%s: give a .csv or a .json file", file);
    Path dir = file.toAbsolutePath().getParent();
    KaffeeException.check(Files.isDirectory(dir), "--output=%s: no such directory %s", file, dir);
    this.file = file;
    this.json = name.endsWith(".json");
  }

  public void add(Record record, List<Detection> detections) {
    if (json) {
      JsonObject entry = new JsonObject();
      entry.addProperty("input", record.name());
      JsonArray found = new JsonArray();
      for (Detection d : detections) {
        JsonObject o = new JsonObject();
        o.addProperty("class", d.label());
        o.addProperty("name", d.labelName());
        o.addProperty("score", d.score());
        o.addProperty("xmin", d.xmin());
        o.addProperty("ymin", d.ymin());
        o.addProperty("xmax", d.xmax());
        o.addProperty("ymax", d.ymax());
        found.add(o);
      }
      entry.add("detections", found);
      records.add(entry);
      return;
    }
    for (Detection d : detections) {
      csv.append(Csv.quote(record.name())).append(',').append(d.label()).append(',').append(Csv.quote(d.labelName()))
          .append(',').append(d.score()).append(',').append(d.xmin()).append(',').append(d.ymin()).append(',')
          .append(d.xmax()).append(',').append(d.ymax()).append('\n');
    }
  }

  /** Writes every answer added so far to the file, atomically. */
  public void finish() {
    String text = json ? new GsonBuilder().setPrettyPrinting().create().toJson(records) : csv.toString();
    try {
      AtomicFiles.replace(file, tmp -> Files.writeString(tmp, text, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new KaffeeException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
