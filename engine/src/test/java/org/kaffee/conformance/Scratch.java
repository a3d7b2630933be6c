package org.kaffee.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A throw-away copy of a case directory, so runs never write next to the recorded files. */
final class Scratch {
  private Scratch() {
  }

  static Path copy(Path dir) throws IOException {
    Path target = Files.createTempDirectory("kaffee-case-");
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path source : files.toList()) {
        Path dest = target.resolve(dir.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(dest);
        } else {
          Files.copy(source, dest);
        }
      }
    }
    return target;
  }

  static void delete(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
