package org.kaffee.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/** The Caffe-written databases and means of conformance/data/images_db, copied into a scratch directory. */
final class Conformance {
  static final Path IMAGES_DB = Path.of("engine/src/test/resources/conformance/data/images_db");

  private Conformance() {
  }

  /** Copies {@code name} (file or directory) from images_db into {@code dir}; returns the copy. */
  static Path copy(String name, Path dir) {
    Path src = IMAGES_DB.resolve(name);
    Path dst = dir.resolve(name);
    try (Stream<Path> walk = Files.walk(src)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        Path t = dst.resolve(src.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.createDirectories(t.getParent());
          Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return dst;
  }
}
