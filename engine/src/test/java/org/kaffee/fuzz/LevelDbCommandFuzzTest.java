package org.kaffee.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.kaffee.data.ImageMean;

/**
 * A Caffe-written LevelDB with one file (the first input byte picks table, manifest, CURRENT or
 * log) damaged by an edit script ({@link FileEdits}: truncation, bytes, 16- and 64-bit fields
 * such as block handles), given to compute_image_mean's code.
 */
class LevelDbCommandFuzzTest {
  private static final Path TEMPLATE = Path.of("engine/src/test/resources/conformance/data/images_db/leveldb_color");
  private static final List<String> FILES = List.of("000005.ldb", "MANIFEST-000007", "CURRENT", "000008.log");
  private static final Path DB = FuzzRule.scratch("leveldb-command").resolve("db");

  @FuzzTest(maxDuration = FuzzRule.BUDGET)
  void computeImageMean(byte[] input) throws Exception {
    String damaged = FILES.get(input.length == 0 ? 0 : Math.floorMod(input[0], FILES.size()));
    copyTemplate();
    Path file = DB.resolve(damaged);
    Files.write(file, FileEdits.apply(Files.readAllBytes(TEMPLATE.resolve(damaged)), input, 1));
    FuzzRule.check(() -> ImageMean.compute(DB, "leveldb"));
  }

  /** A fresh copy each time: iq80 may rewrite the manifest and log when it opens the database. */
  private static void copyTemplate() throws Exception {
    if (Files.exists(DB)) {
      try (Stream<Path> old = Files.list(DB)) {
        for (Path p : old.toList()) {
          Files.delete(p);
        }
      }
    }
    Files.createDirectories(DB);
    try (Stream<Path> files = Files.list(TEMPLATE)) {
      for (Path f : files.toList()) {
        Files.copy(f, DB.resolve(f.getFileName()));
      }
    }
  }
}
