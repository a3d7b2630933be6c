package org.kaffee.inference;

import java.io.IOException;
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
import org.kaffee.data.Image;
import org.kaffee.data.ImageList;
import org.kaffee.io.WorkDir;
import org.kaffee.proto.Caffe.Datum;

/**
 * The INPUT arguments of classify and evaluate: image files, directories of images (walked
 * in name order), {@code path label} lists (paths relative to the root folder, as Caffe's
 * ImageData layer reads them), and Datum databases (a directory holding LMDB's data.mdb or
 * LevelDB's CURRENT). Images are decoded gray or BGR to match the net; an image that cannot
 * be read becomes a failed record instead of stopping the run.
 */
public final class Inputs implements BatchRunner.Source {
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
  @Override
  public int count() {
    int total = 0;
    for (String argument : arguments) {
      Path path = WorkDir.resolve(argument);
      if (Records.isDatabase(path)) {
        total += Records.count(backend, path);
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
  @Override
  public void forEach(Consumer<Record> sink) {
    for (String argument : arguments) {
      Path path = WorkDir.resolve(argument);
      if (Records.isDatabase(path)) {
        readDatabase(argument, path, sink);
      } else if (Files.isDirectory(path)) {
        for (Path image : imagesUnder(path)) {
          sink.accept(Records.image(Path.of(argument).resolve(path.relativize(image)).toString(), image, -1, color));
        }
      } else if (isImage(path)) {
        sink.accept(Records.image(argument, checkExists(argument, path), -1, color));
      } else {
        for (ImageList.Entry entry : ImageList.read(checkExists(argument, path))) {
          sink.accept(Records.image(entry.path(), WorkDir.resolve(rootFolder + entry.path()), entry.label(), color));
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

  private static List<Path> imagesUnder(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(p -> Files.isRegularFile(p) && isImage(p)).sorted().toList();
    } catch (IOException e) {
      throw new KaffeeException("cannot list directory " + dir + ": " + e.getMessage(), e);
    }
  }

  private void readDatabase(String argument, Path path, Consumer<Record> sink) {
    DataTransformer decoder = Records.decoder(color, path);
    Records.forEach(backend, path, (key, value) -> {
      String name = argument + ":" + key;
      Datum datum;
      try {
        datum = Datum.parseFrom(value);
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        sink.accept(Record.failed(name, -1, name + ": not a serialized Datum"));
        return;
      }
      sink.accept(Records.record(name, datum, decoder, color));
    });
  }
}
