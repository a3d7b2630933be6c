package org.kaffee.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.kaffee.data.Database;

/**
 * Caffe-written data.mdb files damaged by an edit script ({@link FileEdits}: truncation, bytes,
 * 16-bit fields, 64-bit page numbers) opened through native LMDB (lmdbjava, after Kaffee's
 * checks) and read to the end twice. A file the checks let through that native LMDB follows
 * outside the file kills the JVM: a crash, not an exception, which Jazzer reports as a finding
 * and which fails the suite when the corpus is replayed.
 */
class LmdbNativeFuzzTest {
  /** The first input byte picks one: depth-2 trees of raw and of PNG-encoded Datums. */
  static final byte[][] TEMPLATES = {read("lmdb_color"), read("lmdb_encoded_png")};
  private static final Path DIR = FuzzRule.scratch("lmdb-native");
  private static final int MAX_ENTRIES = 100_000;

  static byte[] read(String name) {
    try {
      return Files.readAllBytes(Path.of("engine/src/test/resources/conformance/data/images_db", name, "data.mdb"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes the damaged data.mdb the input describes into {@code dir} (a fresh lock file each time). */
  static void damagedDatabase(Path dir, byte[] input) throws IOException {
    byte[] template = TEMPLATES[input.length == 0 ? 0 : (input[0] & 1)];
    Files.deleteIfExists(dir.resolve("lock.mdb"));
    FuzzRule.write(dir.resolve("data.mdb"), FileEdits.apply(template, input, 1));
  }

  @FuzzTest(maxDuration = FuzzRule.BUDGET)
  void lmdbNative(byte[] input) throws Exception {
    damagedDatabase(DIR, input);
    FuzzRule.check(() -> {
      try (Database db = Database.open("lmdb", DIR, Database.Mode.READ); Database.Cursor cursor = db.cursor()) {
        for (int pass = 0; pass < 2; pass++) {
          for (int n = 0; cursor.valid() && n < MAX_ENTRIES; cursor.next(), n++) {
            cursor.key();
            cursor.value();
          }
          cursor.seekToFirst();
        }
      }
    });
  }
}
