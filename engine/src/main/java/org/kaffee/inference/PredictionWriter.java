package org.kaffee.inference;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.kaffee.api.Prediction;
import org.kaffee.core.KaffeeException;

/**
 * Writes classify's answers to a file chosen by its extension: {@code .csv} (one row per
 * input and rank: input, label, rank, class, name, probability) or {@code .json} (an array of
 * {input, label, predictions: [{class, name, probability}]}). A label of -1 means unknown.
 */
public final class PredictionWriter implements AutoCloseable {
  private final Path file;
  private final boolean json;
  private final Writer out;
  private final JsonArray records = new JsonArray();

  public PredictionWriter(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    KaffeeException.check(name.endsWith(".csv") || name.endsWith(".json"),
        "--output=%s: give a .csv or a .json file", file);
    this.file = file;
    this.json = name.endsWith(".json");
    try {
      this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
      if (!json) {
        out.write("input,label,rank,class,name,probability\n");
      }
    } catch (IOException e) {
      throw new KaffeeException("cannot write " + file + ": " + e.getMessage(), e);
    }
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
    try {
      for (int rank = 0; rank < predictions.size(); rank++) {
        Prediction p = predictions.get(rank);
        out.write(Csv.quote(record.name()) + "," + record.label() + "," + (rank + 1) + "," + p.index() + ","
            + Csv.quote(p.label()) + "," + p.probability() + "\n");
      }
    } catch (IOException e) {
      throw new KaffeeException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      if (json) {
        new GsonBuilder().setPrettyPrinting().create().toJson(records, out);
      }
      out.close();
    } catch (IOException e) {
      throw new KaffeeException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
