package org.kaffee.inference;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.function.BiConsumer;
import org.kaffee.core.KaffeeException;
import org.kaffee.data.DataTransformer;
import org.kaffee.data.Database;
import org.kaffee.data.Image;
import org.kaffee.proto.Caffe.Datum;
import org.kaffee.proto.Caffe.Phase;
import org.kaffee.proto.Caffe.TransformationParameter;

/**
 * Records from image files, Datums and databases (a directory holding LMDB's data.mdb or
 * LevelDB's CURRENT), for every reader of inputs: images are decoded gray or BGR to match the
 * net, and an image that cannot be decoded becomes a failed record.
 */
final class Records {
  private Records() {
  }

  static Record image(String name, Path file, int label, boolean color) {
    try {
      return Record.decoded(name, label, Image.read(file, color, "image"));
    } catch (KaffeeException e) {
      return Record.failed(name, label, e.getMessage());
    }
  }

  static boolean isDatabase(Path path) {
    return Files.isRegularFile(path.resolve("data.mdb")) || Files.isRegularFile(path.resolve("CURRENT"));
  }

  /** The backend flag, unless the directory's files say otherwise. */
  private static String backendOf(String backend, Path db) {
    if (Files.isRegularFile(db.resolve("data.mdb"))) {
      return "lmdb";
    }
    return Files.isRegularFile(db.resolve("CURRENT")) ? "leveldb" : backend;
  }

  static int count(String backend, Path path) {
    int total = 0;
    try (Database db = Database.openForReading(backendOf(backend, path), path); Database.Cursor cursor = db.cursor()) {
      for (; cursor.valid(); cursor.next()) {
        total++;
      }
    }
    return total;
  }

  /** Every entry in key order: its key as text and its value. */
  static void forEach(String backend, Path path, BiConsumer<String, byte[]> entry) {
    try (Database db = Database.openForReading(backendOf(backend, path), path); Database.Cursor cursor = db.cursor()) {
      for (; cursor.valid(); cursor.next()) {
        entry.accept(new String(cursor.key(), StandardCharsets.UTF_8), cursor.value());
      }
    }
  }

  static DataTransformer decoder(boolean color, Path db) {
    TransformationParameter decodeAs = TransformationParameter.newBuilder()
        .setForceColor(color).setForceGray(!color).build();
    return new DataTransformer(decodeAs, Phase.TEST, new Random(0), db.toString());
  }

  /** The Datum's image; an encoded one that does not decode is a failed record, a raw one of the wrong kind stops the run. */
  static Record record(String name, Datum datum, DataTransformer decoder, boolean color) {
    try {
      DataTransformer.Decoded d = decoder.decode(datum, name);
      KaffeeException.check(d.bytes != null, "%s: float_data Datums hold features, not images", name);
      // A raw Datum keeps its channels; a database of the wrong kind is one error, not one per record.
      KaffeeException.check(d.channels == (color ? 3 : 1), "%s: the Datum has %d channel(s) but the net takes %d",
          name, d.channels, color ? 3 : 1);
      return Record.decoded(name, datum.getLabel(), new Image(d.channels, d.height, d.width, d.bytes));
    } catch (KaffeeException e) {
      if (!datum.getEncoded()) {
        throw e;
      }
      return Record.failed(name, datum.getLabel(), e.getMessage());
    }
  }
}
