package org.kaffee.data;

import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.function.Supplier;
import org.kaffee.core.KaffeeException;

/**
 * A read-only LMDB reader in plain Java: walks the main database's B+tree in a mapping of
 * data.mdb ({@link LmdbPages}). Every command reads LMDB through it ({@link Database#openForReading}):
 * each page, node, key and value is checked against the file before it is read, so a damaged
 * or hostile file gives a {@link KaffeeException}, where native LMDB follows a bad page number
 * into unmapped memory and kills the process. It also skips the native library's start-up.
 *
 * <p>It takes no reader slot, so a process writing the database meanwhile may recycle the
 * pages it reads. LMDB frees a page of transaction N's tree at N+1 at the earliest and reuses
 * it at N+3 at the earliest (only pages freed before the oldest reader's snapshot), so every
 * read is validated after the copy: while the newest transaction is at most N+1, the bytes
 * were N's. Otherwise the reader maps the newest snapshot and finds its place again by key.
 */
public final class LmdbFileReader implements Database {
  private final Path path;
  private final int chunkBytes;
  private LmdbPages pages;

  private LmdbFileReader(Path path, LmdbPages pages, int chunkBytes) {
    this.path = path;
    this.pages = pages;
    this.chunkBytes = chunkBytes;
  }

  /** Opens the database read-only; a missing, damaged or unsupported one is a KaffeeException naming it. */
  public static LmdbFileReader open(Path dir) {
    return open(dir, LmdbPages.CHUNK_BYTES);
  }

  /** The same, mapping the file in chunks of {@code chunkBytes} (small ones test the chunk seams). */
  static LmdbFileReader open(Path dir, int chunkBytes) {
    return new LmdbFileReader(dir, LmdbPages.map(dir, chunkBytes), chunkBytes);
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

  /** Whether a writer may have reused pages of the mapped snapshot since it was mapped. */
  private boolean stale() {
    VarHandle.fullFence();
    return pages.newestTxnid() > pages.txnid + 1;
  }

  /**
   * Moves the cursor and reads in the mapped snapshot, and returns what was read when the
   * snapshot was still intact afterwards; else maps the newest snapshot, repositions the cursor
   * where the move would have left it and reads again.
   */
  private <T> T validated(Runnable move, Supplier<T> read, Runnable reposition) {
    for (int attempt = 0; ; attempt++) {
      T result;
      try {
        (attempt == 0 ? move : reposition).run();
        result = read.get();
      } catch (KaffeeException | IndexOutOfBoundsException e) {
        if (!stale()) {
          throw e instanceof KaffeeException k ? k : pages.corrupt(e.getMessage());
        }
        result = null;
      }
      if (!stale()) {
        return result;
      }
      if (attempt == 100) {
        throw new KaffeeException(path + ": the database keeps changing under the reader");
      }
      remap();
    }
  }

  private void remap() {
    pages = LmdbPages.map(path, chunkBytes);
  }

  @Override
  public Database.Cursor cursor() {
    return new TreeCursor();
  }

  /** A cursor over the leaves in key order; its current key is kept as a validated copy. */
  private final class TreeCursor implements Database.Cursor {
    /** Branch pages above the current leaf: {page offset, node index}. */
    private final Deque<long[]> stack = new ArrayDeque<>();
    private long leaf;
    private int index;
    private byte[] key;
    /** Pages entered since the last seek: more than the file holds means a cycle. */
    private long entered;

    TreeCursor() {
      seekToFirst();
    }

    @Override
    public void seekToFirst() {
      key = validated(this::first, this::currentKey, this::first);
    }

    @Override
    public void next() {
      if (key == null) {
        return;
      }
      byte[] previous = key;
      key = validated(this::advance, this::currentKey, () -> seek(previous, true));
    }

    @Override
    public boolean valid() {
      return key != null;
    }

    @Override
    public byte[] key() {
      return key;
    }

    @Override
    public byte[] value() {
      if (key == null) {
        throw new KaffeeException(path + ": no current entry");
      }
      byte[] at = key;
      return validated(() -> { }, () -> {
        if (leaf < 0) {
          throw new KaffeeException(path + ": entry '" + new String(at, StandardCharsets.ISO_8859_1)
              + "' and all after it were deleted by another process");
        }
        key = currentKey();
        return pages.value(leaf, index);
      }, () -> seek(at, false));
    }

    @Override
    public void close() {
    }

    private byte[] currentKey() {
      return leaf < 0 ? null : pages.key(leaf, index);
    }

    /** To the first entry of the tree (leaf = -1 when it is empty). */
    private void first() {
      stack.clear();
      entered = 0;
      leaf = -1;
      if (pages.root != -1L) {
        descend(pages.root);
        skipEmptyLeaves();
      }
    }

    /** Down the leftmost path from {@code pgno} to a leaf. */
    private void descend(long pgno) {
      long page = enter(pgno);
      while (pages.isBranch(page)) {
        stack.push(new long[] {page, 0});
        page = enter(pages.child(page, 0));
      }
      pages.checkLeaf(page);
      leaf = page;
      index = 0;
    }

    private long enter(long pgno) {
      if (++entered > pages.pageCount() || stack.size() > 64) {
        throw pages.corrupt("the tree's pages form a cycle");
      }
      return pages.page(pgno);
    }

    private void advance() {
      if (++index >= pages.numKeys(leaf)) {
        nextLeaf();
      }
    }

    private void skipEmptyLeaves() {
      if (leaf >= 0 && pages.numKeys(leaf) == 0) {
        nextLeaf();
      }
    }

    /** To the first entry of the next non-empty leaf, or leaf = -1 after the last. */
    private void nextLeaf() {
      while (!stack.isEmpty()) {
        long[] top = stack.peek();
        if (++top[1] < pages.numKeys(top[0])) {
          descend(pages.child(top[0], (int) top[1]));
          if (pages.numKeys(leaf) > 0) {
            return;
          }
        } else {
          stack.pop();
        }
      }
      leaf = -1;
    }

    /** To the first entry whose key is at least {@code target} (after it, when {@code after}). */
    private void seek(byte[] target, boolean after) {
      stack.clear();
      entered = 0;
      leaf = -1;
      if (pages.root == -1L) {
        return;
      }
      long page = enter(pages.root);
      while (pages.isBranch(page)) {
        int n = pages.numKeys(page);
        int i = 0;
        while (i + 1 < n && Arrays.compareUnsigned(pages.key(page, i + 1), target) <= 0) {
          i++;
        }
        stack.push(new long[] {page, i});
        page = enter(pages.child(page, i));
      }
      pages.checkLeaf(page);
      leaf = page;
      int n = pages.numKeys(leaf);
      index = 0;
      while (index < n && Arrays.compareUnsigned(pages.key(leaf, index), target) < (after ? 1 : 0)) {
        index++;
      }
      if (index >= n) {
        nextLeaf();
      }
    }
  }
}
