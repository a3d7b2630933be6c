package org.kaffee.data;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;
import org.kaffee.core.KaffeeException;

/**
 * A read-only LMDB reader in plain Java: maps data.mdb and walks the main database's B+tree
 * (little-endian, 64-bit LMDB 0.9 layout). It exists for speed: it skips the native library
 * and its start-up cost, which dominate a short tool run such as compute_image_mean. It reads
 * the last committed snapshot; databases over 2 GB or of an unexpected layout are refused
 * ({@link #tryOpen} returns null) so callers fall back to {@link LmdbDatabase}.
 */
public final class LmdbFileReader implements Database {
  private static final int PAGEHDRSZ = 16;
  private static final int P_BRANCH = 0x01;
  private static final int P_LEAF = 0x02;
  private static final int P_OVERFLOW = 0x04;
  private static final int F_BIGDATA = 0x01;
  private static final int MAGIC = 0xBEEFC0DE;

  private final Path path;
  private final MappedByteBuffer map;
  private final int pageSize;
  private final long root;

  private LmdbFileReader(Path path, MappedByteBuffer map, int pageSize, long root) {
    this.path = path;
    this.map = map;
    this.pageSize = pageSize;
    this.root = root;
  }

  /** Opens the database read-only, or returns null when this reader cannot handle it. */
  public static LmdbFileReader tryOpen(Path dir) {
    Path file = dir.resolve("data.mdb");
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
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
      if (pageSize < 512 || pageSize > 65536 || Integer.bitCount(pageSize) != 1 || map.getInt(pageSize + PAGEHDRSZ)
          != MAGIC) {
        return null;
      }
      long best = -1;
      long root = -1;
      for (int m = 0; m < 2; m++) {
        int base = m * pageSize + PAGEHDRSZ;
        long txnid = map.getLong(base + 128);
        int mainDbFlags = map.getShort(base + 24 + 48 + 4) & 0xffff;
        if (mainDbFlags != 0) {
          return null;  // DUPSORT, INTEGERKEY etc.: not Caffe's layout
        }
        if (txnid > best) {
          best = txnid;
          root = map.getLong(base + 24 + 48 + 40);
        }
      }
      return new LmdbFileReader(dir, map, pageSize, root);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  @Override
  public void put(byte[] key, byte[] value) {
    throw new KaffeeException(path + ": opened for reading only");
  }

  @Override
  public void commit() {
  }

  @Override
  public Path path() {
    return path;
  }

  @Override
  public void close() {
  }

  private long pageOffset(long pgno) {
    long off = pgno * pageSize;
    if (pgno < 2 || off + PAGEHDRSZ > map.capacity()) {
      throw new KaffeeException(path + ": corrupt LMDB database (page " + pgno + " out of range)");
    }
    return off;
  }

  private int flags(int page) {
    return map.getShort(page + 10) & 0xffff;
  }

  private int numKeys(int page) {
    return ((map.getShort(page + 12) & 0xffff) - PAGEHDRSZ) >> 1;
  }

  private int node(int page, int i) {
    return page + (map.getShort(page + PAGEHDRSZ + 2 * i) & 0xffff);
  }

  @Override
  public Database.Cursor cursor() {
    return new Database.Cursor() {
      // stack of {page offset, index}
      private final Deque<int[]> stack = new ArrayDeque<>();
      private int leaf;
      private int index;
      private boolean valid;

      {
        seekToFirst();
      }

      private void descend(long pgno) {
        int page = (int) pageOffset(pgno);
        while ((flags(page) & P_BRANCH) != 0) {
          stack.push(new int[] {page, 0});
          int n = node(page, 0);
          long child = (map.getShort(n) & 0xffffL) | ((map.getShort(n + 2) & 0xffffL) << 16)
              | ((map.getShort(n + 4) & 0xffffL) << 32);
          page = (int) pageOffset(child);
        }
        if ((flags(page) & P_LEAF) == 0 || (flags(page) & 0x20) != 0) {
          throw new KaffeeException(path + ": unexpected LMDB page type " + flags(page));
        }
        leaf = page;
        index = 0;
      }

      @Override
      public void seekToFirst() {
        stack.clear();
        valid = root != -1L;
        if (valid) {
          descend(root);
          valid = numKeys(leaf) > 0;
        }
      }

      @Override
      public void next() {
        if (!valid) {
          return;
        }
        if (++index < numKeys(leaf)) {
          return;
        }
        while (!stack.isEmpty()) {
          int[] top = stack.peek();
          if (++top[1] < numKeys(top[0])) {
            int n = node(top[0], top[1]);
            long child = (map.getShort(n) & 0xffffL) | ((map.getShort(n + 2) & 0xffffL) << 16)
                | ((map.getShort(n + 4) & 0xffffL) << 32);
            int page = (int) pageOffset(child);
            while ((flags(page) & P_BRANCH) != 0) {
              stack.push(new int[] {page, 0});
              int c = node(page, 0);
              long gc = (map.getShort(c) & 0xffffL) | ((map.getShort(c + 2) & 0xffffL) << 16)
                  | ((map.getShort(c + 4) & 0xffffL) << 32);
              page = (int) pageOffset(gc);
            }
            leaf = page;
            index = 0;
            if (numKeys(leaf) > 0) {
              return;
            }
          } else {
            stack.pop();
          }
        }
        valid = false;
      }

      @Override
      public boolean valid() {
        return valid;
      }

      @Override
      public byte[] key() {
        int n = node(leaf, index);
        int ksize = map.getShort(n + 6) & 0xffff;
        byte[] k = new byte[ksize];
        map.get(n + 8, k);
        return k;
      }

      @Override
      public byte[] value() {
        int n = node(leaf, index);
        int size = (map.getShort(n) & 0xffff) | ((map.getShort(n + 2) & 0xffff) << 16);
        int nflags = map.getShort(n + 4) & 0xffff;
        int ksize = map.getShort(n + 6) & 0xffff;
        int at = n + 8 + ksize;
        if ((nflags & F_BIGDATA) != 0) {
          long pg = map.getLong(at);
          at = (int) (pg * pageSize) + PAGEHDRSZ;
          if (at + (long) size > map.capacity()) {
            throw new KaffeeException(path + ": corrupt LMDB database (overflow page " + pg + ")");
          }
        }
        byte[] v = new byte[size];
        map.get(at, v);
        return v;
      }

      @Override
      public void close() {
      }
    };
  }
}
