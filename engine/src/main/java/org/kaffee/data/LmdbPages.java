package org.kaffee.data;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.kaffee.core.KaffeeException;

/**
 * One mapping of an LMDB data.mdb (little-endian, 64-bit LMDB 0.9 layout) and the B+tree root
 * of its newest committed transaction, after {@link LmdbMeta} checked both meta pages against
 * the file. Every read is bounds-checked: a corrupt or hostile file gives a
 * {@link KaffeeException} naming the database, never an index error. Offsets are longs, so
 * files over 2 GB are read too.
 */
final class LmdbPages {
  static final int PAGEHDRSZ = LmdbMeta.PAGEHDRSZ;
  /** Files are mapped in chunks of this size (a multiple of every page size LMDB uses). */
  static final int CHUNK_BYTES = 1 << 30;
  private static final int P_BRANCH = 0x01;
  private static final int P_LEAF = 0x02;
  private static final int P_LEAF2 = 0x20;
  private static final int F_BIGDATA = 0x01;
  /** Where mm_txnid sits in a meta page. */
  private static final int META_TXNID = PAGEHDRSZ + 128;

  /** data.mdb, named in every message. */
  private final Path file;
  private final MappedChunks map;
  final int pageSize;
  /** The newest committed transaction when mapped, and its tree's root page (-1: empty). */
  final long txnid;
  final long root;

  private LmdbPages(MappedChunks map, LmdbMeta meta) {
    this.file = meta.file();
    this.map = map;
    this.pageSize = meta.pageSize();
    this.txnid = meta.txnid();
    this.root = meta.mainRoot();
  }

  /** Checks the meta pages and maps the database; a bad file is a KaffeeException naming it. */
  static LmdbPages map(Path dir, int chunkBytes) {
    LmdbMeta meta = LmdbMeta.read(dir);
    try (FileChannel ch = FileChannel.open(meta.file(), StandardOpenOption.READ)) {
      // the size the metas were checked against: a file grown since is read up to there
      return new LmdbPages(new MappedChunks(ch, meta.fileSize(), chunkBytes), meta);
    } catch (IOException e) {
      throw new KaffeeException(meta.file() + ": cannot map: " + e.getMessage(), e);
    }
  }

  /** The newest committed transaction now (a writer may have committed since the mapping). */
  long newestTxnid() {
    return Math.max(map.getLong(META_TXNID), map.getLong(pageSize + META_TXNID));
  }

  KaffeeException corrupt(String what) {
    return new KaffeeException(file + ": corrupt LMDB file (" + what + ")");
  }

  long pageCount() {
    return map.size() / pageSize;
  }

  /** The byte offset of page {@code pgno}, checked to lie inside the file. */
  long page(long pgno) {
    if (pgno < 2 || pgno >= pageCount()) {
      throw corrupt("page " + pgno + " out of range");
    }
    return pgno * pageSize;
  }

  boolean isBranch(long page) {
    return (flags(page) & P_BRANCH) != 0;
  }

  void checkLeaf(long page) {
    int f = flags(page);
    if ((f & P_LEAF) == 0 || (f & P_LEAF2) != 0 || (f & P_BRANCH) != 0) {
      throw corrupt("unexpected page type " + f);
    }
  }

  private int flags(long page) {
    return map.getShort(page + 10);
  }

  int numKeys(long page) {
    int lower = map.getShort(page + 12);
    int n = (lower - PAGEHDRSZ) >> 1;
    if (n < 0 || PAGEHDRSZ + 2 * n > pageSize) {
      throw corrupt("page at " + page + " claims " + n + " keys");
    }
    return n;
  }

  /** The offset of node {@code i} of a page, checked to leave room for its header. */
  private long node(long page, int i) {
    int ptr = map.getShort(page + PAGEHDRSZ + 2L * i);
    if (ptr < PAGEHDRSZ || ptr + 8 > pageSize) {
      throw corrupt("node " + i + " of the page at " + page + " points outside it");
    }
    return page + ptr;
  }

  /** The child page a branch node points to. */
  long child(long page, int i) {
    long n = node(page, i);
    return map.getShort(n) | ((long) map.getShort(n + 2) << 16) | ((long) map.getShort(n + 4) << 32);
  }

  byte[] key(long page, int i) {
    long n = node(page, i);
    return copy(n + 8, map.getShort(n + 6), "key");
  }

  byte[] value(long page, int i) {
    long n = node(page, i);
    long size = map.getShort(n) | ((long) map.getShort(n + 2) << 16);
    long at = n + 8 + map.getShort(n + 6);
    if ((map.getShort(n + 4) & F_BIGDATA) != 0) {
      if (at + 8 > map.size()) {
        throw corrupt("overflow node beyond the file");
      }
      at = page(map.getLong(at)) + PAGEHDRSZ;
    }
    return copy(at, size, "value");
  }

  private byte[] copy(long at, long size, String what) {
    if (at + size > map.size() || size > Integer.MAX_VALUE - 8) {
      throw corrupt(what + " of " + size + " bytes at " + at + " runs past the end of the file");
    }
    byte[] out = new byte[(int) size];
    map.get(at, out);
    return out;
  }
}
