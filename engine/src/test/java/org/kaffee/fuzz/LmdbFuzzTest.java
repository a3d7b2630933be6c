package org.kaffee.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import org.kaffee.data.Database;
import org.kaffee.data.LmdbFileReader;

/** data.mdb files through the pure-Java LMDB reader, every entry read twice over. */
class LmdbFuzzTest {
  private static final Path DIR = FuzzRule.scratch("lmdb");
  /** More entries than a fuzzed file of this size can hold: more means a cycle. */
  private static final int MAX_ENTRIES = 100_000;

  @FuzzTest(maxDuration = FuzzRule.BUDGET)
  void lmdb(byte[] input) throws Exception {
    FuzzRule.write(DIR.resolve("data.mdb"), input);
    FuzzRule.check(() -> {
      try (LmdbFileReader reader = LmdbFileReader.open(DIR); Database.Cursor cursor = reader.cursor()) {
        for (int pass = 0; pass < 2; pass++) {
          int n = 0;
          for (; cursor.valid() && n < MAX_ENTRIES; cursor.next(), n++) {
            cursor.key();
            cursor.value();
          }
          if (n == MAX_ENTRIES) {
            throw new AssertionError("the cursor does not end");
          }
          cursor.seekToFirst();
        }
      }
    });
  }
}
