package org.kaffee.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kaffee.core.KaffeeException;
import org.kaffee.testing.LmdbDamage;

/**
 * Damaged data.mdb files never reach native LMDB: the meta check ({@link LmdbMeta}) and the
 * page walk ({@link LmdbTreeCheck}) refuse them with one message naming the file, where
 * lmdbjava died with SIGBUS (the truncated, the DUPSORT and the past-the-end cases crashed the
 * JVM before these checks). The pure-Java reader, which every command reads with, refuses the
 * same files or reads them to the end without any other exception.
 */
class LmdbCheckTest {
  @TempDir
  Path tmp;

  /** 2000 entries over several leaf pages under a branch root, every 50th on overflow pages. */
  private Path multiPage(String name) {
    Path path = tmp.resolve(name);
    Random r = new Random(11);
    try (Database db = Database.open("lmdb", path, Database.Mode.NEW)) {
      for (int i = 0; i < 2000; i++) {
        byte[] v = new byte[i % 50 == 0 ? 6000 + i : 1 + r.nextInt(200)];
        r.nextBytes(v);
        db.put(String.format("%08d", i).getBytes(StandardCharsets.US_ASCII), v);
      }
      db.commit();
    }
    return path;
  }

  private Path damaged(String name, Consumer<LmdbDamage> damage) {
    Path path = multiPage(name);
    LmdbDamage d = LmdbDamage.of(path);
    damage.accept(d);
    d.write();
    return path;
  }

  /** Both openers refuse the file with {@code reason}, naming data.mdb. */
  private static void refusedByBoth(Path db, String reason) {
    KaffeeException nativeOpen = assertThrows(KaffeeException.class, () -> new LmdbDatabase(db, Database.Mode.READ));
    assertEquals(db.resolve("data.mdb") + ": not a valid LMDB file (" + reason + ")", nativeOpen.getMessage());
    KaffeeException plainOpen = assertThrows(KaffeeException.class, () -> Database.openForReading("lmdb", db));
    assertEquals(nativeOpen.getMessage(), plainOpen.getMessage());
  }

  /** Native LMDB is refused with {@code reason}; the pure-Java reader ends or fails with a KaffeeException. */
  private static void refusedBeforeNativeCode(Path db, String reason) {
    KaffeeException e = assertThrows(KaffeeException.class, () -> new LmdbDatabase(db, Database.Mode.READ));
    assertTrue(e.getMessage().startsWith(db.resolve("data.mdb") + ": not a valid LMDB file ("), e.getMessage());
    assertTrue(e.getMessage().contains(reason), e.getMessage());
    try (Database r = Database.openForReading("lmdb", db); Database.Cursor c = r.cursor()) {
      for (int n = 0; c.valid() && n < 10_000; c.next(), n++) {
        c.value();
      }
    } catch (KaffeeException expected) {
      assertTrue(expected.getMessage().contains(db.toString()), expected.getMessage());
    }
  }

  @Test
  void soundDatabasesPassBothChecks() throws Exception {
    Path empty = tmp.resolve("empty");
    Database.open("lmdb", empty, Database.Mode.NEW).close();
    for (Path db : new Path[] {multiPage("many"), empty, Conformance.copy("lmdb_color", tmp),
        Conformance.copy("lmdb_encoded_png", tmp)}) {
      LmdbTreeCheck.check(LmdbMeta.read(db));
      try (Database d = new LmdbDatabase(db, Database.Mode.READ); Database.Cursor c = d.cursor()) {
        int n = 0;
        for (; c.valid(); c.next()) {
          n++;
        }
        assertTrue(db == empty ? n == 0 : n >= 20, db + ": " + n);
      }
    }
    LmdbMeta meta = LmdbMeta.read(tmp.resolve("many"));
    assertTrue(LmdbDamage.of(tmp.resolve("many")).isBranch(meta.mainRoot()), "the fixture needs a branch root");
  }

  /** The reported crash: compute_image_mean on a data.mdb cut to 5,116 bytes died in mdb_page_search_root. */
  @Test
  void truncatedFilesAreRefused() {
    refusedByBoth(damaged("cut5116", d -> d.truncate(5116)),
        "5116 bytes, shorter than its two meta pages of 4096 bytes");
    refusedByBoth(damaged("cut100", d -> d.truncate(100)), "100 bytes, too short for its first meta page");
    Path cutInTree = damaged("cutTree", d -> d.truncate(12 * LmdbDamage.PAGE));
    KaffeeException e = assertThrows(KaffeeException.class, () -> Database.openForReading("lmdb", cutInTree));
    assertTrue(e.getMessage().contains("but the file's 49152 bytes hold pages 0 to 11"), e.getMessage());
  }

  @Test
  void metaPagesPointingPastTheFileAreRefused() {
    long last = LmdbMeta.read(multiPage("probe")).lastPage();
    refusedByBoth(damaged("root", d -> d.mainRoot(100_000)),
        "second meta page: the main database's root page 100000 is not among pages 2 to " + last);
  }

  @Test
  void lastPagePastTheFileAndDupsortAreRefused() {
    Path last = damaged("last", d -> d.lastPage(1_000_000));
    KaffeeException e = assertThrows(KaffeeException.class, () -> new LmdbDatabase(last, Database.Mode.READ));
    assertTrue(e.getMessage().contains("last page 1000000, but the file's"), e.getMessage());
    refusedByBoth(damaged("dupsort", d -> d.mainFlags(0x04)),
        "second meta page: main database flags 0x4; Caffe's databases have none");
  }

  @Test
  void pagesPastTheEndCyclesAndNodesOutsideTheirPageAreRefused() {
    long root = LmdbMeta.read(multiPage("probe")).mainRoot();
    refusedBeforeNativeCode(damaged("child", d -> d.branchChild(root, 1, 4_000_000_000L)),
        "the main tree points to page 4000000000, outside pages 2 to");
    refusedBeforeNativeCode(damaged("cycle", d -> d.branchChild(root, 1, root)), "page " + root + " is reached twice");
    refusedBeforeNativeCode(damaged("node", d -> d.nodePointer(d.firstLeaf(root), 0, 4093)), "node 0 of page");
    refusedBeforeNativeCode(damaged("number", d -> d.pageNumber(d.firstLeaf(root), 77)), "is not a branch or leaf page");
    refusedBeforeNativeCode(damaged("value", d -> d.valueSize(d.firstLeaf(root), 1, 0x7fff_0000L)), "runs past its page");
    // node 0 of the first leaf holds key 00000000, the first value on overflow pages
    refusedBeforeNativeCode(damaged("overflow", d -> d.valueSize(d.firstLeaf(root), 0, 0x7fff_0000L)),
        "for a value of 2147418112 bytes in the main tree is not one");
  }
}
