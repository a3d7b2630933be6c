package org.kaffee.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Damage to a valid LMDB data.mdb (64-bit LMDB 0.9 layout), field by field as a disk, a bad
 * copy or an attacker would leave it: each method edits the bytes, {@link #write} stores them.
 * The offsets are written out here from LMDB's headers, independently of the readers under test.
 */
public final class LmdbDamage {
  public static final int PAGE = 4096;
  private static final int MAIN_FLAGS = 16 + 24 + 48 + 4;
  private static final int MAIN_ROOT = 16 + 24 + 48 + 40;
  private static final int LAST_PAGE = 16 + 24 + 96;
  private static final int TXNID = LAST_PAGE + 8;

  private final Path file;
  private ByteBuffer bytes;

  private LmdbDamage(Path dir) {
    file = dir.resolve("data.mdb");
    try {
      bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static LmdbDamage of(Path dir) {
    return new LmdbDamage(dir);
  }

  /** The file cut to {@code length} bytes. */
  public LmdbDamage truncate(int length) {
    bytes = ByteBuffer.wrap(Arrays.copyOf(bytes.array(), length)).order(ByteOrder.LITTLE_ENDIAN);
    return this;
  }

  /** The newer meta page's main database root (LMDB reads this one). */
  public long mainRoot() {
    return bytes.getLong(newerMeta() + MAIN_ROOT);
  }

  public LmdbDamage mainRoot(long pgno) {
    bytes.putLong(newerMeta() + MAIN_ROOT, pgno);
    return this;
  }

  public LmdbDamage lastPage(long pgno) {
    bytes.putLong(newerMeta() + LAST_PAGE, pgno);
    return this;
  }

  /** Main database flags: 0x04 is MDB_DUPSORT, which the pure-Java reader never handled. */
  public LmdbDamage mainFlags(int flags) {
    bytes.putShort(newerMeta() + MAIN_FLAGS, (short) flags);
    return this;
  }

  /** The child page number of node {@code node} of branch page {@code pgno}. */
  public LmdbDamage branchChild(long pgno, int node, long child) {
    int n = nodeAt(pgno, node);
    bytes.putShort(n, (short) child).putShort(n + 2, (short) (child >>> 16)).putShort(n + 4, (short) (child >>> 32));
    return this;
  }

  /** Node {@code node}'s offset inside page {@code pgno} (a 16-bit pointer after the header). */
  public LmdbDamage nodePointer(long pgno, int node, int offset) {
    bytes.putShort((int) (pgno * PAGE) + 16 + 2 * node, (short) offset);
    return this;
  }

  /** The page number a page's header records for itself. */
  public LmdbDamage pageNumber(long pgno, long recorded) {
    bytes.putLong((int) (pgno * PAGE), recorded);
    return this;
  }

  /** A leaf node's value size (the low 32 bits of its node header). */
  public LmdbDamage valueSize(long pgno, int node, long size) {
    int n = nodeAt(pgno, node);
    bytes.putShort(n, (short) size).putShort(n + 2, (short) (size >>> 16));
    return this;
  }

  public boolean isBranch(long pgno) {
    return (bytes.getShort((int) (pgno * PAGE) + 10) & 0x01) != 0;
  }

  /** The first leaf page under {@code pgno}, down the leftmost path. */
  public long firstLeaf(long pgno) {
    long p = pgno;
    while (isBranch(p)) {
      int n = nodeAt(p, 0);
      p = (bytes.getShort(n) & 0xffffL) | (bytes.getShort(n + 2) & 0xffffL) << 16;
    }
    return p;
  }

  public void write() {
    try {
      Files.write(file, bytes.array());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private int nodeAt(long pgno, int node) {
    int page = (int) (pgno * PAGE);
    return page + (bytes.getShort(page + 16 + 2 * node) & 0xffff);
  }

  private int newerMeta() {
    return bytes.getLong(TXNID) >= bytes.getLong(PAGE + TXNID) ? 0 : PAGE;
  }
}
