package org.kaffee.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.BitSet;
import org.kaffee.core.KaffeeException;

/**
 * Walks every page of both B+trees of a data.mdb in Java before native LMDB may open it
 * ({@link LmdbDatabase}): native LMDB follows page numbers, node offsets and value sizes without
 * checking them against the file, and a read past its end is a SIGBUS that kills the JVM.
 * Each branch and leaf page must sit inside the file with its own number in its header, each
 * node, key and in-page value inside its page, each overflow value's pages inside the file,
 * and no page may be reached twice (a cycle, or two trees sharing pages). The walk reads the
 * branch and leaf pages once, not the values on overflow pages.
 */
final class LmdbTreeCheck {
  /** LMDB's cursor stack holds 32 pages: no valid tree is deeper. */
  private static final int MAX_DEPTH = 32;
  private static final int P_BRANCH = 0x01;
  private static final int P_LEAF = 0x02;
  private static final int P_OVERFLOW = 0x04;
  /** P_DIRTY and P_KEEP: a writer's marks, harmless in a page on disk. */
  private static final int WRITER_BITS = 0x10 | 0x8000;
  private static final int F_BIGDATA = 0x01;
  private static final int NODE_HEADER = 8;
  private static final int HDR = LmdbMeta.PAGEHDRSZ;

  private final LmdbMeta meta;
  private final FileChannel channel;
  private final BitSet seen = new BitSet();

  private LmdbTreeCheck(LmdbMeta meta, FileChannel channel) {
    this.meta = meta;
    this.channel = channel;
  }

  /** Checks the main and the free-page tree of the checked metas' newest transaction. */
  static void check(LmdbMeta meta) {
    try (FileChannel ch = FileChannel.open(meta.file(), StandardOpenOption.READ)) {
      LmdbTreeCheck walk = new LmdbTreeCheck(meta, ch);
      walk.tree(meta.mainRoot(), "main");
      walk.tree(meta.freeRoot(), "free-page");
    } catch (IOException e) {
      throw new KaffeeException(meta.file() + ": cannot read: " + e.getMessage(), e);
    }
  }

  private void tree(long root, String name) throws IOException {
    if (root != LmdbMeta.NO_PAGE) {
      page(root, 1, name);
    }
  }

  private void page(long pgno, int depth, String tree) throws IOException {
    if (depth > MAX_DEPTH) {
      throw meta.corrupt("the %s tree is deeper than %d pages", tree, MAX_DEPTH);
    }
    claim(pgno, 1, tree);
    ByteBuffer p = read(pgno, meta.pageSize());
    int flags = p.getShort(10) & 0xffff & ~WRITER_BITS;
    boolean branch = flags == P_BRANCH;
    if (p.getLong(0) != pgno || (!branch && flags != P_LEAF)) {
      throw meta.corrupt("page %d of the %s tree is not a branch or leaf page (number %d, flags 0x%x)", pgno, tree,
          p.getLong(0), flags);
    }
    int lower = p.getShort(12) & 0xffff;
    int upper = p.getShort(14) & 0xffff;
    if (lower < HDR || lower > upper || upper > meta.pageSize() || (lower - HDR) % 2 != 0
        || (branch && lower == HDR)) {
      throw meta.corrupt("page %d of the %s tree has free space bounds %d..%d", pgno, tree, lower, upper);
    }
    for (int i = 0; i < (lower - HDR) / 2; i++) {
      int node = p.getShort(HDR + 2 * i) & 0xffff;
      int keyEnd = node + NODE_HEADER + (node + NODE_HEADER <= meta.pageSize() ? p.getShort(node + 6) & 0xffff : 0);
      if (node < upper || keyEnd > meta.pageSize()) {
        throw meta.corrupt("node %d of page %d in the %s tree lies outside its page", i, pgno, tree);
      }
      long lo = p.getShort(node) & 0xffffL;
      long hi = p.getShort(node + 2) & 0xffffL;
      int nodeFlags = p.getShort(node + 4) & 0xffff;
      if (branch) {
        page(lo | hi << 16 | (long) nodeFlags << 32, depth + 1, tree);
      } else {
        value(pgno, i, p, keyEnd, lo | hi << 16, nodeFlags, tree);
      }
    }
  }

  /** A leaf node's value: inside the page, or on overflow pages inside the file. */
  private void value(long pgno, int i, ByteBuffer p, int at, long size, int nodeFlags, String tree)
      throws IOException {
    if (nodeFlags == 0) {
      if (at + size > meta.pageSize()) {
        throw meta.corrupt("the value of node %d of page %d in the %s tree runs past its page", i, pgno, tree);
      }
      return;
    }
    if (nodeFlags != F_BIGDATA || at + 8 > meta.pageSize()) {
      throw meta.corrupt("node %d of page %d in the %s tree has flags 0x%x", i, pgno, tree, nodeFlags);
    }
    long first = p.getLong(at);
    claimable(first, tree);
    ByteBuffer head = read(first, HDR);
    long pages = head.getInt(12) & 0xffffffffL;
    if (head.getLong(0) != first || (head.getShort(10) & 0xffff) != P_OVERFLOW || pages < 1
        || size > pages * meta.pageSize() - HDR) {
      throw meta.corrupt("overflow page %d for a value of %d bytes in the %s tree is not one", first, size, tree);
    }
    claim(first, pages, tree);
  }

  /** Marks {@code count} pages from {@code pgno} as read, each inside the file and not read before. */
  private void claim(long pgno, long count, String tree) {
    claimable(pgno, tree);
    if (count > meta.filePages() - pgno) {
      throw meta.corrupt("pages %d to %d of the %s tree run past the end of the file (%d pages)",
          pgno, pgno + count - 1, tree, meta.filePages());
    }
    int from = (int) pgno;
    int to = (int) (pgno + count);
    int again = seen.nextSetBit(from);
    if (again >= 0 && again < to) {
      throw meta.corrupt("page %d is reached twice in the %s tree", again, tree);
    }
    seen.set(from, to);
  }

  private void claimable(long pgno, String tree) {
    if (pgno < 2 || pgno > meta.lastPage() || pgno >= meta.filePages() || pgno > Integer.MAX_VALUE) {
      throw meta.corrupt("the %s tree points to page %d, outside pages 2 to %d", tree, pgno,
          Math.min(meta.lastPage(), meta.filePages() - 1));
    }
  }

  private ByteBuffer read(long pgno, int bytes) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    long at = pgno * meta.pageSize();
    while (b.hasRemaining()) {
      if (channel.read(b, at + b.position()) < 0) {
        throw meta.corrupt("the file shrank while being checked");
      }
    }
    return b.flip();
  }
}
