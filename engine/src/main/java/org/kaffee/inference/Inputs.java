package org.kaffee.inference;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.kaffee.core.KaffeeException;
import org.kaffee.data.DataTransformer;
import org.kaffee.data.Database;
import org.kaffee.data.Image;
import org.kaffee.data.ImageList;
import org.kaffee.io.WorkDir;
import org.kaffee.proto.Caffe.Datum;
import org.kaffee.proto.Caffe.Phase;
import org.kaffee.proto.Caffe.TransformationParameter;

/**
 * The INPUT arguments of classify and evaluate: image files, directories of images (walked
 * in name order), {@code path label} lists (paths relative to the root folder, as Caffe's
 * ImageData layer reads them), and Datum databases (a directory holding LMDB's data.mdb or
 * LevelDB's CURRENT). Images are decoded gray or BGR to match the net; an image that cannot
 * be read becomes a failed record instead of stopping the run.
 */
public final class Inputs {
  private static final Set<String> IMAGE_EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif", "wbmp");

  private final List<String> arguments;
  private final String backend;
  private final String rootFolder;
  private final boolean color;

  public Inputs(List<String> arguments, String backend, String rootFolder, boolean color) {
    KaffeeException.check(!arguments.isEmpty(), "no INPUT given: image files, directories, a 'path label' list or a database");
    this.arguments = arguments;
    this.backend = backend;
    this.rootFolder = rootFolder;
    this.color = color;
  }

  /** How many records the inputs hold (databases are counted by walking their keys). */
  public int count() {
    int total = 0;
    for (String argument : arguments) {
      Path path = WorkDir.resolve(argument);
      if (isDatabase(path)) {
        try (Database db = Database.openForReading(backendOf(path), path); Database.Cursor cursor = db.cursor()) {
          for (; cursor.valid(); cursor.next()) {
            total++;
          }
        }
      } else if (Files.isDirectory(path)) {
        total += imagesUnder(path).size();
      } else if (isImage(path)) {
        total++;
      } else {
        total += ImageList.read(checkExists(argument, path)).size();
      }
    }
    return total;
  }

  /** Hands every record to {@code sink}, in the order of the arguments. */
  public void forEach(Consumer<Record> sink) {
    for (String argument : arguments) {
      Path path = WorkDir.resolve(argument);
      if (isDatabase(path)) {
        readDatabase(argument, path, sink);
      } else if (Files.isDirectory(path)) {
        for (Path image : imagesUnder(path)) {
          sink.accept(readImage(Path.of(argument).resolve(path.relativize(image)).toString(), image, -1));
        }
      } else if (isImage(path)) {
        sink.accept(readImage(argument, checkExists(argument, path), -1));
      } else {
        for (ImageList.Entry entry : ImageList.read(checkExists(argument, path))) {
          sink.accept(readImage(entry.path(), WorkDir.resolve(rootFolder + entry.path()), entry.label()));
        }
      }
    }
  }

  private static Path checkExists(String argument, Path path) {
    KaffeeException.check(Files.exists(path), "INPUT %s: no such file or directory", argument);
    return path;
  }

  private static boolean isImage(Path path) {
    String name = path.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot >= 0 && IMAGE_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  private static boolean isDatabase(Path path) {
    return Files.isRegularFile(path.resolve("data.mdb")) || Files.isRegularFile(path.resolve("CURRENT"));
  }

  /** The backend flag, unless the directory's files say otherwise. */
  private String backendOf(Path db) {
    if (Files.isRegularFile(db.resolve("data.mdb"))) {
      return "lmdb";
    }
    return Files.isRegularFile(db.resolve("CURRENT")) ? "leveldb" : backend;
  }

  private static List<Path> imagesUnder(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(p -> Files.isRegularFile(p) && isImage(p)).sorted().toList();
    } catch (IOException e) {
      throw new KaffeeException("cannot list directory " + dir + ": " + e.getMessage(), e);
    }
  }

  private Record readImage(String name, Path file, int label) {
    try {
      return Record.decoded(name, label, Image.read(file, color, "image"));
    } catch (KaffeeException e) {
      return Record.failed(name, label, e.getMessage());
    }
  }

  private void readDatabase(String argument, Path path, Consumer<Record> sink) {
    TransformationParameter decodeAs = TransformationParameter.newBuilder()
        .setForceColor(color).setForceGray(!color).build();
    DataTransformer decoder = new DataTransformer(decodeAs, Phase.TEST, new java.util.Random(0), path.toString());
    try (Database db = Database.openForReading(backendOf(path), path); Database.Cursor cursor = db.cursor()) {
      for (; cursor.valid(); cursor.next()) {
        String name = argument + ":" + new String(cursor.key(), StandardCharsets.UTF_8);
        Datum datum;
        try {
          datum = Datum.parseFrom(cursor.value());
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
          sink.accept(Record.failed(name, -1, name + ": not a serialized Datum"));
          continue;
        }
        try {
          DataTransformer.Decoded d = decoder.decode(datum, name);
          KaffeeException.check(d.bytes != null, "%s: float_data Datums hold features, not images", name);
          // A raw Datum keeps its channels; a database of the wrong kind is one error, not one per record.
          KaffeeException.check(d.channels == (color ? 3 : 1), "%s: the Datum has %d channel(s) but the net takes %d",
              name, d.channels, color ? 3 : 1);
          sink.accept(Record.decoded(name, datum.getLabel(), new Image(d.channels, d.height, d.width, d.bytes)));
        } catch (KaffeeException e) {
          if (!datum.getEncoded()) {
            throw e;
          }
          sink.accept(Record.failed(name, datum.getLabel(), e.getMessage()));
        }
      }
    }
  }
}
