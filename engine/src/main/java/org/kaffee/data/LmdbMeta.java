package org.kaffee.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.kaffee.core.KaffeeException;

/**
 * The two meta pages of an LMDB data.mdb (little-endian, 64-bit LMDB 0.9 layout), read with
 * plain file reads and checked against the file's size before anything maps the file: native
 * LMDB trusts them and follows a root or a page number past the end of the file into unmapped
 * memory (SIGBUS). Both metas must be sound, since LMDB may fall back to the older one.
 *
 * @param file data.mdb, named in every message
 * @param fileSize its length in bytes
 * @param pageSize LMDB's page size, from the first meta
 * @param txnid the newest committed transaction (of the newer meta; the first on a tie, as LMDB picks)
 * @param mainRoot the main database's root page in that transaction, {@link #NO_PAGE} when empty
 * @param freeRoot the free-page database's root page, {@link #NO_PAGE} when empty
 * @param lastPage the last page number that transaction uses
 */
record LmdbMeta(Path file, long fileSize, int pageSize, long txnid, long mainRoot, long freeRoot, long lastPage) {
  /** LMDB's P_INVALID: the root of an empty tree. */
  static final long NO_PAGE = -1L;
  static final int PAGEHDRSZ = 16;
  private static final int P_META = 0x08;
  private static final int MAGIC = 0xBEEFC0DE;
  /** MDB_DATA_VERSION of LMDB 0.9, the layout Caffe's and lmdbjava's LMDB write. */
  private static final int VERSION = 1;
  /** Offsets in a meta page: the header, then MDB_meta (magic, version, address, mapsize, two MDB_db, last page, txnid). */
  private static final int FLAGS = 10;
  private static final int MAGIC_AT = PAGEHDRSZ;
  private static final int VERSION_AT = PAGEHDRSZ + 4;
  private static final int FREE_DB = PAGEHDRSZ + 24;
  private static final int MAIN_DB = FREE_DB + 48;
  /** Within an MDB_db: md_pad (the page size, in the free database's), md_flags, md_root. */
  private static final int DB_PAD = 0;
  private static final int DB_FLAGS = 4;
  private static final int DB_ROOT = 40;
  private static final int LAST_PAGE = MAIN_DB + 48;
  private static final int TXNID = LAST_PAGE + 8;
  private static final int META_BYTES = TXNID + 8;

  /** Reads and checks both metas of DIR/data.mdb; any fault is a KaffeeException naming the file. */
  static LmdbMeta read(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new KaffeeException(dir + ": no such LMDB database (expected a directory with data.mdb)");
    }
    Path file = dir.resolve("data.mdb");
    if (!Files.isRegularFile(file)) {
      throw new KaffeeException(dir + ": not an LMDB database (no data.mdb)");
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      ByteBuffer first = readAt(ch, 0, file, size);
      int pageSize = first.getInt(FREE_DB + DB_PAD);
      check(pageSize >= 512 && pageSize <= 65536 && Integer.bitCount(pageSize) == 1, file,
          "page size %d is not a power of two from 512 to 65536", pageSize);
      check(size >= 2L * pageSize, file, "%d bytes, shorter than its two meta pages of %d bytes", size, pageSize);
      ByteBuffer second = readAt(ch, pageSize, file, size);
      long[] newer = null;
      for (int m = 0; m < 2; m++) {
        long[] meta = checkMeta(m == 0 ? first : second, m, pageSize, size, file);
        if (newer == null || meta[0] > newer[0]) {
          newer = meta;
        }
      }
      return new LmdbMeta(file, size, pageSize, newer[0], newer[1], newer[2], newer[3]);
    } catch (IOException e) {
      throw new KaffeeException(file + ": cannot read: " + e.getMessage(), e);
    }
  }

  /** The pages of the file: every page a tree refers to must be below this. */
  long filePages() {
    return fileSize / pageSize;
  }

  KaffeeException corrupt(String format, Object... args) {
    return invalid(file, format, args);
  }

  /** Checks meta page {@code m}; returns its {txnid, main root, free root, last page}. */
  private static long[] checkMeta(ByteBuffer b, int m, int pageSize, long size, Path file) {
    String which = m == 0 ? "first meta page" : "second meta page";
    check((b.getShort(FLAGS) & P_META) != 0 && b.getInt(MAGIC_AT) == MAGIC, file, "%s: no LMDB meta page magic", which);
    check(b.getInt(VERSION_AT) == VERSION, file, "%s: LMDB data version %d, expected %d", which,
        b.getInt(VERSION_AT), VERSION);
    check(b.getInt(FREE_DB + DB_PAD) == pageSize, file, "%s: page size %d differs from the first's %d", which,
        b.getInt(FREE_DB + DB_PAD), pageSize);
    // Caffe opens the unnamed database without flags; sorted duplicates would lead native LMDB
    // into sub-pages no check here covers
    int mainFlags = b.getShort(MAIN_DB + DB_FLAGS) & 0xffff;
    check(mainFlags == 0, file, "%s: main database flags 0x%x; Caffe's databases have none", which, mainFlags);
    long lastPage = b.getLong(LAST_PAGE);
    long filePages = size / pageSize;
    check(lastPage >= 1 && lastPage < filePages, file,
        "%s: last page %d, but the file's %d bytes hold pages 0 to %d", which, lastPage, size, filePages - 1);
    long mainRoot = b.getLong(MAIN_DB + DB_ROOT);
    long freeRoot = b.getLong(FREE_DB + DB_ROOT);
    checkRoot(mainRoot, lastPage, file, which, "main");
    checkRoot(freeRoot, lastPage, file, which, "free-page");
    long txnid = b.getLong(TXNID);
    check(txnid >= 0, file, "%s: negative transaction id %d", which, txnid);
    return new long[] {txnid, mainRoot, freeRoot, lastPage};
  }

  private static void checkRoot(long root, long lastPage, Path file, String which, String tree) {
    check(root == NO_PAGE || (root >= 2 && root <= lastPage), file,
        "%s: the %s database's root page %d is not among pages 2 to %d", which, tree, root, lastPage);
  }

  /** The meta at {@code at}: as many bytes as a meta needs, which the file must hold. */
  private static ByteBuffer readAt(FileChannel ch, long at, Path file, long size) throws IOException {
    check(size >= at + META_BYTES, file, "%d bytes, too short for %s meta page", size, at == 0 ? "its first" : "a second");
    ByteBuffer b = ByteBuffer.allocate(META_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    while (b.hasRemaining()) {
      if (ch.read(b, at + b.position()) < 0) {
        throw new KaffeeException(file + ": the file shrank while being read");
      }
    }
    return b;
  }

  private static void check(boolean ok, Path file, String format, Object... args) {
    if (!ok) {
      throw invalid(file, format, args);
    }
  }

  private static KaffeeException invalid(Path file, String format, Object... args) {
    return new KaffeeException(file + ": not a valid LMDB file (" + String.format(format, args) + ")");
  }
}
