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
import org.kaffee.api.Prediction;
import org.kaffee.core.KaffeeException;
import org.kaffee.io.AtomicFiles;

/**
 * Writes classify's answers to a file chosen by its extension: {@code .csv} (one row per
 * input and rank: input, label, rank, class, name, probability) or {@code .json} (an array of
 * {input, label, predictions: [{class, name, probability}]}). A label of -1 means unknown.
 *
 * <p>The answers are kept until {@link #finish}, which writes the file atomically: a run that
 * fails or is killed half way leaves an earlier file of that name as it was, never a file that
 * holds the first records only.
 */
public final class PredictionWriter {
  private final Path file;
  private final boolean json;
  private final StringBuilder csv = new StringBuilder("input,label,rank,class,name,probability\n");
  private final JsonArray records = new JsonArray();

  /** Checks the name and the directory now, so a bad --output fails before any work. */
  public PredictionWriter(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    KaffeeException.check(name.endsWith(".csv") || name.endsWith(".json"),
        "--output=%s: give a .csv or a .json file", file);
    Path dir = file.toAbsolutePath().getParent();
    KaffeeException.check(Files.isDirectory(dir), "--output=%s: no such directory %s", file, dir);
    this.file = file;
    this.json = name.endsWith(".json");
  }

  public void add(Record record, List<Prediction> predictions) {
    if (json) {
      JsonObject entry = new JsonObject();
      entry.addProperty("input", record.name());
      entry.addProperty("label", record.label());
      JsonArray top = new JsonArray();
      for (Prediction p : predictions) {
        JsonObject o = new JsonObject();
        o.addProperty("class", p.index());
        o.addProperty("name", p.label());
        o.addProperty("probability", p.probability());
        top.add(o);
      }
      entry.add("predictions", top);
      records.add(entry);
      return;
    }
    for (int rank = 0; rank < predictions.size(); rank++) {
      Prediction p = predictions.get(rank);
      csv.append(Csv.quote(record.name())).append(',').append(record.label()).append(',').append(rank + 1)
          .append(',').append(p.index()).append(',').append(Csv.quote(p.label())).append(',')
          .append(p.probability()).append('\n');
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
