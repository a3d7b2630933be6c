package org.kaffee.data;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A read-only, little-endian mapping of a whole file addressed by long offsets: Java 17's
 * buffers take int offsets, so a file over 2 GB is mapped as several chunks. A read that
 * crosses a chunk boundary (only corrupt data asks for one) is assembled byte by byte.
 * Callers check offsets against {@link #size()}; a read outside it throws IndexOutOfBoundsException.
 */
final class MappedChunks {
  private final MappedByteBuffer[] chunks;
  private final int chunkBytes;
  private final long size;

  MappedChunks(FileChannel channel, long size, int chunkBytes) throws IOException {
    this.size = size;
    this.chunkBytes = chunkBytes;
    int count = (int) ((size + chunkBytes - 1) / chunkBytes);
    chunks = new MappedByteBuffer[count];
    for (int i = 0; i < count; i++) {
      long at = (long) i * chunkBytes;
      chunks[i] = channel.map(FileChannel.MapMode.READ_ONLY, at, Math.min(chunkBytes, size - at));
      chunks[i].order(ByteOrder.LITTLE_ENDIAN);
    }
  }

  long size() {
    return size;
  }

  int getShort(long at) {
    MappedByteBuffer c = chunk(at, 2);
    return c == null ? (int) assemble(at, 2) : c.getShort(offset(at)) & 0xffff;
  }

  long getInt(long at) {
    MappedByteBuffer c = chunk(at, 4);
    return c == null ? assemble(at, 4) : c.getInt(offset(at)) & 0xffffffffL;
  }

  long getLong(long at) {
    MappedByteBuffer c = chunk(at, 8);
    return c == null ? assemble(at, 8) : c.getLong(offset(at));
  }

  /** Copies {@code out.length} bytes from {@code at}. */
  void get(long at, byte[] out) {
    checkRange(at, out.length);
    int done = 0;
    while (done < out.length) {
      long pos = at + done;
      MappedByteBuffer c = chunks[(int) (pos / chunkBytes)];
      int off = offset(pos);
      int n = Math.min(out.length - done, c.capacity() - off);
      c.get(off, out, done, n);
      done += n;
    }
  }

  private int offset(long at) {
    return (int) (at % chunkBytes);
  }

  /** The chunk holding all {@code n} bytes at {@code at}, or null when they cross into the next. */
  private MappedByteBuffer chunk(long at, int n) {
    checkRange(at, n);
    MappedByteBuffer c = chunks[(int) (at / chunkBytes)];
    return offset(at) + n <= c.capacity() ? c : null;
  }

  private long assemble(long at, int n) {
    byte[] b = new byte[n];
    get(at, b);
    long v = 0;
    for (int i = n - 1; i >= 0; i--) {
      v = (v << 8) | (b[i] & 0xff);
    }
    return v;
  }

  private void checkRange(long at, long n) {
    if (at < 0 || n < 0 || at + n > size) {
      throw new IndexOutOfBoundsException(n + " bytes at " + at + " in a file of " + size);
    }
  }
}
