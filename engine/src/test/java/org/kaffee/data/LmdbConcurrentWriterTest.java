package org.kaffee.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pure-Java LMDB reader while another writer rewrites the database: between reads the
 * writer commits enough transactions for LMDB to recycle the pages the reader had mapped. Every
 * value names its key and is filled with one byte derived from the key and its version, so a
 * value read from a recycled page shows.
 */
class LmdbConcurrentWriterTest {
  private static final int ENTRIES = 3000;

  @TempDir
  Path tmp;

  private static byte[] key(int i) {
    return String.format("%08d", i).getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] value(int i, int version) {
    ByteBuffer b = ByteBuffer.allocate(300 + (i % 7) * 100);
    b.put(key(i)).putInt(version);
    while (b.hasRemaining()) {
      b.put((byte) (i * 31 + version));
    }
    return b.array();
  }

  private static void checkConsistent(byte[] key, byte[] value) {
    String k = new String(key, StandardCharsets.US_ASCII);
    assertEquals(k, new String(value, 0, 8, StandardCharsets.US_ASCII), "a value under another key");
    int i = Integer.parseInt(k);
    int version = ByteBuffer.wrap(value, 8, 4).getInt();
    assertEquals(value(i, version).length, value.length, "key " + k + ": wrong length");
    for (int j = 12; j < value.length; j++) {
      assertEquals((byte) (i * 31 + version), value[j], "key " + k + ": recycled bytes at " + j);
    }
  }

  @Test
  void readsStayConsistentWhileAWriterRecyclesPages() {
    Path path = tmp.resolve("db");
    try (Database writer = Database.open("lmdb", path, Database.Mode.NEW)) {
      for (int i = 0; i < ENTRIES; i++) {
        writer.put(key(i), value(i, 0));
      }
      writer.commit();
      LmdbFileReader reader = LmdbFileReader.open(path);
      Random random = new Random(3);
      int[] versions = new int[ENTRIES];
      int read = 0;
      try (Database.Cursor cursor = reader.cursor()) {
        for (int pass = 0; pass < 2; pass++) {
          // the writer only replaces values: every pass sees each key once, in key order
          List<String> keys = new ArrayList<>();
          for (; cursor.valid(); cursor.next(), read++) {
            checkConsistent(cursor.key(), cursor.value());
            keys.add(new String(cursor.key(), StandardCharsets.US_ASCII));
            if (read % 50 == 0) {
              // several commits, each rewriting entries all over the tree: freed pages get reused
              for (int txn = 0; txn < 4; txn++) {
                for (int n = 0; n < 40; n++) {
                  int i = random.nextInt(ENTRIES);
                  writer.put(key(i), value(i, ++versions[i]));
                }
                writer.commit();
              }
            }
          }
          assertKeysInOrder(pass, keys);
          cursor.seekToFirst();
        }
      }
      assertEquals(2 * ENTRIES, read);
    }
  }

  private static void assertKeysInOrder(int pass, List<String> keys) {
    for (int i = 0; i < Math.min(keys.size(), ENTRIES); i++) {
      String expected = new String(key(i), StandardCharsets.US_ASCII);
      int at = i;
      assertEquals(expected, keys.get(i), () -> "pass " + pass + ": entry " + at + " (a key skipped,"
          + " repeated or out of order)");
    }
    assertEquals(ENTRIES, keys.size(), "pass " + pass + ": entries read");
  }
}
