package org.kaffee.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.kaffee.data.Database;
import org.kaffee.data.LevelDbDatabase;

/**
 * A LevelDB database written by Caffe with one of its files (table, manifest, CURRENT, log)
 * replaced by the input: the first byte picks the file.
 */
class LevelDbFuzzTest {
  private static final Path TEMPLATE = Path.of("engine/src/test/resources/conformance/data/images_db/leveldb_color");
  private static final List<String> FILES = List.of("000005.ldb", "MANIFEST-000007", "CURRENT", "000008.log");
  private static final Path DIR = FuzzRule.scratch("leveldb");
  private static final int MAX_ENTRIES = 100_000;

  @FuzzTest(maxDuration = FuzzRule.BUDGET)
  void leveldb(byte[] input) throws Exception {
    if (input.length == 0) {
      return;
    }
    Path db = DIR.resolve("db");
    copyTemplate(db);
    String replaced = FILES.get(Math.floorMod(input[0], FILES.size()));
    FuzzRule.write(db.resolve(replaced), Arrays.copyOfRange(input, 1, input.length));
    FuzzRule.check(() -> {
      try (LevelDbDatabase reader = new LevelDbDatabase(db, Database.Mode.READ);
          Database.Cursor cursor = reader.cursor()) {
        for (int n = 0; cursor.valid() && n < MAX_ENTRIES; cursor.next(), n++) {
          cursor.key();
          cursor.value();
        }
      }
    });
  }

  private static void copyTemplate(Path db) throws IOException {
    if (Files.exists(db)) {
      try (Stream<Path> old = Files.list(db)) {
        for (Path p : old.toList()) {
          Files.delete(p);
        }
      }
    }
    Files.createDirectories(db);
    try (Stream<Path> files = Files.list(TEMPLATE)) {
      for (Path f : files.toList()) {
        Files.copy(f, db.resolve(f.getFileName()));
      }
    }
  }
}
