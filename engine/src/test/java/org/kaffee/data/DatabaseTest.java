package org.kaffee.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kaffee.core.KaffeeException;
import org.kaffee.proto.Caffe.Datum;

class DatabaseTest {
  @TempDir
  Path tmp;

  private static Datum datum(int i) {
    byte[] px = new byte[2 * 3 * 4];
    for (int k = 0; k < px.length; k++) {
      px[k] = (byte) (i * 7 + k * 13);
    }
    return Datum.newBuilder().setChannels(2).setHeight(3).setWidth(4).setData(ByteString.copyFrom(px))
        .setLabel(i % 5).build();
  }

  private static byte[] key(int i) {
    return String.format("%08d", i).getBytes(StandardCharsets.US_ASCII);
  }

  @ParameterizedTest
  @ValueSource(strings = {"lmdb", "leveldb"})
  void datumsRoundTripInKeyOrderAndRewind(String backend) throws Exception {
    Path path = tmp.resolve("db_" + backend);
    try (Database db = Database.open(backend, path, Database.Mode.NEW)) {
      // written out of order: the cursor must return key order
      for (int i : new int[] {3, 0, 2, 1, 4}) {
        db.put(key(i), datum(i).toByteArray());
        if (i == 2) {
          db.commit();
        }
      }
      db.commit();
    }
    try (Database db = Database.open(backend, path, Database.Mode.READ); Database.Cursor c = db.cursor()) {
      for (int pass = 0; pass < 2; pass++) {
        List<Integer> seen = new ArrayList<>();
        for (; c.valid(); c.next()) {
          int i = Integer.parseInt(new String(c.key(), StandardCharsets.US_ASCII));
          assertArrayEquals(datum(i).toByteArray(), c.value());
          seen.add(i);
        }
        assertEquals(List.of(0, 1, 2, 3, 4), seen);
        c.seekToFirst();
        assertTrue(c.valid());
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"lmdb", "leveldb"})
  void missingAndExistingDatabasesAreClearErrors(String backend) {
    Path missing = tmp.resolve("nope");
    KaffeeException e = assertThrows(KaffeeException.class, () -> Database.open(backend, missing, Database.Mode.READ));
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    Path path = tmp.resolve("exists");
    Database.open(backend, path, Database.Mode.NEW).close();
    e = assertThrows(KaffeeException.class, () -> Database.open(backend, path, Database.Mode.NEW));
    assertTrue(e.getMessage().contains("already exists"), e.getMessage());
    try (Database db = Database.open(backend, path, Database.Mode.READ); Database.Cursor c = db.cursor()) {
      assertFalse(c.valid());
    }
  }

  @Test
  void unknownBackendIsRejected() {
    assertThrows(KaffeeException.class, () -> Database.open("rocksdb", tmp.resolve("x"), Database.Mode.READ));
  }

  /** Caffe's convert_imageset output, LMDB and Snappy-compressed LevelDB (.ldb tables): same entries. */
  @Test
  void readsCaffeWrittenLmdbAndLevelDb() throws Exception {
    Path lmdb = Conformance.copy("lmdb_color", tmp);
    Path leveldb = Conformance.copy("leveldb_color", tmp);
    List<String> lines = java.nio.file.Files.readAllLines(Conformance.IMAGES_DB.resolve("list.txt"));
    try (Database a = Database.open("lmdb", lmdb, Database.Mode.READ);
         Database b = Database.open("leveldb", leveldb, Database.Mode.READ);
         Database.Cursor ca = a.cursor();
         Database.Cursor cb = b.cursor()) {
      int n = 0;
      for (; ca.valid(); ca.next(), cb.next(), n++) {
        assertTrue(cb.valid());
        String[] parts = lines.get(n).split(" ");
        assertEquals(String.format("%08d_%s", n, parts[0]), new String(ca.key(), StandardCharsets.UTF_8));
        assertArrayEquals(ca.key(), cb.key());
        assertArrayEquals(ca.value(), cb.value());
        Datum d = Datum.parseFrom(ca.value());
        assertEquals(3, d.getChannels());
        assertEquals(16, d.getHeight());
        assertEquals(16, d.getWidth());
        assertEquals(768, d.getData().size());
        assertEquals(Integer.parseInt(parts[1]), d.getLabel());
        assertFalse(d.getEncoded());
      }
      assertFalse(cb.valid());
      assertEquals(20, n);
    }
  }

  /** Every Datum, resized (cv::resize) or not, serializes to the bytes Caffe wrote. */
  @Test
  void convertImagesetWritesCaffesBytes() throws Exception {
    Path lmdb = Conformance.copy("lmdb_color", tmp);
    try (Database a = Database.open("lmdb", lmdb, Database.Mode.READ); Database.Cursor c = a.cursor()) {
      int matched = 0;
      for (; c.valid(); c.next()) {
        String key = new String(c.key(), StandardCharsets.UTF_8);
        Path file = Conformance.IMAGES_DB.resolve("images").resolve(key.substring(9));
        Datum caffe = Datum.parseFrom(c.value());
        Datum ours =
            ImagesetConverter.toDatum(Image.read(file, true, "image"), file, caffe.getLabel(), 16, 16, true, "");
        assertArrayEquals(c.value(), ours.toByteArray(), key);
        matched++;
      }
      assertEquals(20, matched);
    }
  }

  /**
   * The pure-Java LMDB reader sees what lmdbjava sees: many pages (branch levels), big values
   * (overflow pages), also when the file is mapped in one-page chunks, as files over 2 GB are
   * mapped in 1 GB ones (values then cross chunk seams).
   */
  @ParameterizedTest
  @ValueSource(ints = {LmdbPages.CHUNK_BYTES, 4096})
  void plainJavaLmdbReaderAgreesWithLmdbjava(int chunkBytes) throws Exception {
    Path path = tmp.resolve("big");
    java.util.Random r = new java.util.Random(5);
    try (Database db = Database.open("lmdb", path, Database.Mode.NEW)) {
      for (int i = 0; i < 3000; i++) {
        byte[] v = new byte[i % 97 == 0 ? 9000 + i : 1 + r.nextInt(900)];
        r.nextBytes(v);
        db.put(String.format("%08d", (i * 7919) % 3000).getBytes(StandardCharsets.US_ASCII), v);
      }
      db.commit();
    }
    for (Path p : new Path[] {path, Conformance.copy("lmdb_color", tmp), Conformance.copy("lmdb_encoded_png", tmp)}) {
      LmdbFileReader fast = LmdbFileReader.open(p, chunkBytes);
      try (Database slow = Database.open("lmdb", p, Database.Mode.READ);
           Database.Cursor a = slow.cursor();
           Database.Cursor b = fast.cursor()) {
        int n = 0;
        for (; a.valid(); a.next(), b.next(), n++) {
          assertTrue(b.valid());
          assertArrayEquals(a.key(), b.key());
          assertArrayEquals(a.value(), b.value());
        }
        assertFalse(b.valid());
        assertTrue(n >= 20);
        b.seekToFirst();
        a.seekToFirst();
        assertArrayEquals(a.key(), b.key());
      }
    }
    Path empty = tmp.resolve("empty");
    Database.open("lmdb", empty, Database.Mode.NEW).close();
    // both readers see no records
    assertFalse(LmdbFileReader.open(empty, chunkBytes).cursor().valid());
    try (Database d = Database.openForReading("lmdb", empty); Database.Cursor c = d.cursor()) {
      assertFalse(c.valid());
    }
    try (Database d = Database.open("lmdb", empty, Database.Mode.READ); Database.Cursor c = d.cursor()) {
      assertFalse(c.valid());
    }
  }
}
