package org.kaffee.data;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.kaffee.core.KaffeeException;

/**
 * One mapping of an LMDB data.mdb (little-endian, 64-bit LMDB 0.9 layout) and the B+tree root
 * of its newest committed transaction. Every read is bounds-checked: a corrupt or hostile file
 * gives a {@link KaffeeException} naming the database, never an index error.
 */
final class LmdbPages {
  static final int PAGEHDRSZ = 16;
  private static final int P_BRANCH = 0x01;
  private static final int P_LEAF = 0x02;
  private static final int P_LEAF2 = 0x20;
  private static final int F_BIGDATA = 0x01;
  private static final int MAGIC = 0xBEEFC0DE;
  /** Where mm_txnid and the main database's flags and root sit in a meta page. */
  private static final int META_TXNID = PAGEHDRSZ + 128;
  private static final int META_MAIN_FLAGS = PAGEHDRSZ + 24 + 48 + 4;
  private static final int META_MAIN_ROOT = PAGEHDRSZ + 24 + 48 + 40;

  final Path dir;
  private final MappedByteBuffer map;
  final int pageSize;
  /** The newest committed transaction when mapped, and its tree's root page (-1: empty). */
  final long txnid;
  final long root;

  private LmdbPages(Path dir, MappedByteBuffer map, int pageSize, long txnid, long root) {
    this.dir = dir;
    this.map = map;
    this.pageSize = pageSize;
    this.txnid = txnid;
    this.root = root;
  }

  /** Maps the database, or returns null when its layout is not one this reader handles. */
  static LmdbPages map(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir.resolve("data.mdb"), StandardOpenOption.READ)) {
      long size = ch.size();
      if (size < 2 * 4096 || size > Integer.MAX_VALUE) {
        return null;
      }
      MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
      map.order(ByteOrder.LITTLE_ENDIAN);
      if (map.getInt(PAGEHDRSZ) != MAGIC) {
        return null;
      }
      int pageSize = map.getInt(PAGEHDRSZ + 24);  // mm_dbs[FREE_DBI].md_pad holds the page size
      if (pageSize < 512 || pageSize > 65536 || Integer.bitCount(pageSize) != 1
          || map.getInt(pageSize + PAGEHDRSZ) != MAGIC) {
        return null;
      }
      long best = -1;
      long root = -1;
      for (int m = 0; m < 2; m++) {
        int base = m * pageSize;
        if ((map.getShort(base + META_MAIN_FLAGS) & 0xffff) != 0) {
          return null;  // DUPSORT, INTEGERKEY etc.: not Caffe's layout
        }
        long txnid = map.getLong(base + META_TXNID);
        if (txnid > best) {
          best = txnid;
          root = map.getLong(base + META_MAIN_ROOT);
        }
      }
      return new LmdbPages(dir, map, pageSize, best, root);
    }
  }

  /** The newest committed transaction now (a writer may have committed since the mapping). */
  long newestTxnid() {
    return Math.max(map.getLong(META_TXNID), map.getLong(pageSize + META_TXNID));
  }

  KaffeeException corrupt(String what) {
    return new KaffeeException(dir + ": corrupt LMDB database (" + what + ")");
  }

  int pageCount() {
    return map.capacity() / pageSize;
  }

  /** The byte offset of page {@code pgno}, checked to lie inside the file. */
  int page(long pgno) {
    if (pgno < 2 || pgno >= pageCount()) {
      throw corrupt("page " + pgno + " out of range");
    }
    return (int) (pgno * pageSize);
  }

  boolean isBranch(int page) {
    return (flags(page) & P_BRANCH) != 0;
  }

  void checkLeaf(int page) {
    int f = flags(page);
    if ((f & P_LEAF) == 0 || (f & P_LEAF2) != 0 || (f & P_BRANCH) != 0) {
      throw corrupt("unexpected page type " + f);
    }
  }

  private int flags(int page) {
    return map.getShort(page + 10) & 0xffff;
  }

  int numKeys(int page) {
    int lower = map.getShort(page + 12) & 0xffff;
    int n = (lower - PAGEHDRSZ) >> 1;
    if (n < 0 || PAGEHDRSZ + 2 * n > pageSize) {
      throw corrupt("page at " + page + " claims " + n + " keys");
    }
    return n;
  }

  /** The offset of node {@code i} of a page, checked to leave room for its header. */
  private int node(int page, int i) {
    int ptr = map.getShort(page + PAGEHDRSZ + 2 * i) & 0xffff;
    if (ptr < PAGEHDRSZ || ptr + 8 > pageSize) {
      throw corrupt("node " + i + " of the page at " + page + " points outside it");
    }
    return page + ptr;
  }

  /** The child page a branch node points to. */
  long child(int page, int i) {
    int n = node(page, i);
    return (map.getShort(n) & 0xffffL) | ((map.getShort(n + 2) & 0xffffL) << 16)
        | ((map.getShort(n + 4) & 0xffffL) << 32);
  }

  byte[] key(int page, int i) {
    int n = node(page, i);
    int ksize = map.getShort(n + 6) & 0xffff;
    return copy(n + 8L, ksize, "key");
  }

  byte[] value(int page, int i) {
    int n = node(page, i);
    long size = (map.getShort(n) & 0xffffL) | ((map.getShort(n + 2) & 0xffffL) << 16);
    int ksize = map.getShort(n + 6) & 0xffff;
    long at = n + 8L + ksize;
    if ((map.getShort(n + 4) & F_BIGDATA) != 0) {
      if (at + 8 > map.capacity()) {
        throw corrupt("overflow node beyond the file");
      }
      at = (long) page(map.getLong((int) at)) + PAGEHDRSZ;
    }
    return copy(at, size, "value");
  }

  private byte[] copy(long at, long size, String what) {
    if (at + size > map.capacity()) {
      throw corrupt(what + " of " + size + " bytes at " + at + " runs past the end of the file");
    }
    byte[] out = new byte[(int) size];
    map.get((int) at, out);
    return out;
  }
}
