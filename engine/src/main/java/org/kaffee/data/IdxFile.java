package org.kaffee.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.kaffee.core.KaffeeException;

/** MNIST's idx format (plain or gzip): an image file (magic 2051) or a label file (magic 2049). */
public final class IdxFile {
  /** Deflate's largest expansion: one compressed byte never stands for more than 1032. */
  private static final long MAX_DEFLATE_RATIO = 1032;

  private IdxFile() {
  }

  /** {@code count} images of {@code rows x cols} bytes, one after another. */
  public record Images(int count, int rows, int cols, byte[] pixels) {
    public int size() {
      return rows * cols;
    }
  }

  public static Images readImages(Path path) {
    try (DataInputStream in = open(path)) {
      int magic = in.readInt();
      KaffeeException.check(magic == 2051, "%s: not an MNIST image file (magic number %d, expected 2051)",
          path, magic);
      int count = in.readInt();
      int rows = in.readInt();
      int cols = in.readInt();
      // one image's bytes within an int keeps count x rows x cols within a long
      KaffeeException.check(rows > 0 && cols > 0 && count >= 0 && (long) rows * cols <= Integer.MAX_VALUE,
          "%s: bad header (%d items of %dx%d)", path, count, rows, cols);
      byte[] pixels = new byte[(int) checkAnnounced(path, (long) count * rows * cols, "images")];
      readFully(in, pixels, path, "images");
      return new Images(count, rows, cols, pixels);
    } catch (IOException e) {
      throw new KaffeeException(path + ": cannot read: " + e.getMessage(), e);
    }
  }

  public static byte[] readLabels(Path path) {
    try (DataInputStream in = open(path)) {
      int magic = in.readInt();
      KaffeeException.check(magic == 2049, "%s: not an MNIST label file (magic number %d, expected 2049)",
          path, magic);
      int count = in.readInt();
      KaffeeException.check(count >= 0, "%s: bad header (%d labels)", path, count);
      byte[] labels = new byte[(int) checkAnnounced(path, count, "labels")];
      readFully(in, labels, path, "labels");
      return labels;
    } catch (IOException e) {
      throw new KaffeeException(path + ": cannot read: " + e.getMessage(), e);
    }
  }

  /**
   * Checks the byte count a header announces against what the file can hold before anything
   * is allocated: its length, or for gzip the most deflate can expand it (1032:1).
   */
  private static long checkAnnounced(Path path, long bytes, String what) throws IOException {
    long size = Files.size(path);
    long most = isGzip(path) ? size * MAX_DEFLATE_RATIO : size;
    if (bytes > most || bytes > Integer.MAX_VALUE - 8) {
      throw new KaffeeException(path + ": truncated or corrupt: the header announces " + bytes
          + " bytes of " + what + ", the file holds " + size + " bytes");
    }
    return bytes;
  }

  private static boolean isGzip(Path path) throws IOException {
    try (InputStream in = Files.newInputStream(path)) {
      return in.read() == 0x1f && in.read() == 0x8b;
    }
  }

  private static void readFully(DataInputStream in, byte[] into, Path path, String what) throws IOException {
    try {
      in.readFully(into);
    } catch (EOFException e) {
      throw new KaffeeException(path + ": truncated: the header announces more " + what + " than the file holds");
    }
  }

  private static DataInputStream open(Path p) throws IOException {
    if (!Files.isRegularFile(p)) {
      throw new KaffeeException(p + ": no such file");
    }
    InputStream in = new BufferedInputStream(Files.newInputStream(p), 1 << 16);
    in.mark(2);
    int b0 = in.read();
    int b1 = in.read();
    in.reset();
    if (b0 == 0x1f && b1 == 0x8b) {
      in = new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
    }
    return new DataInputStream(in);
  }
}
