package org.kaffee.data;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.kaffee.core.KaffeeException;
import org.kaffee.log.Glog;
import org.kaffee.proto.Caffe.BlobProto;

/**
 * The running sums behind a mean image: integer sums for uint8 pixels (exact, so parts of a
 * database summed separately and merged give the single pass's sums bit for bit) and double
 * sums for float Datums. {@link ImageMean} sums a whole database; the distributed
 * compute_image_mean sums one part per task and merges.
 */
public final class MeanSums implements Serializable {
  private static final long serialVersionUID = 1L;

  private int channels;
  private int height;
  private int width;
  private long[] sum;
  private double[] floatSum;
  private long count;

  /** Sums the entries {@code i} of a database with {@code i % parts == part} (all when parts is 1). */
  public static MeanSums ofDatabase(Path dbPath, String backend, int part, int parts) {
    MeanSums sums = new MeanSums();
    boolean logProgress = parts == 1;
    try (Database db = Database.openForReading(backend, dbPath);
         Database.Cursor cursor = db.cursor()) {
      KaffeeException.check(cursor.valid(), "%s: the database is empty", dbPath);
      if (logProgress) {
        Glog.info("Starting iteration");
      }
      ImageMean.DatumReader reader = new ImageMean.DatumReader();
      for (long i = 0; cursor.valid(); cursor.next(), i++) {
        if (i % parts != part) {
          continue;
        }
        byte[] value = cursor.value();
        Database.Cursor at = cursor;
        Supplier<String> what = () -> dbPath + ", key '" + new String(at.key(), StandardCharsets.ISO_8859_1) + "'";
        if (!reader.scan(value)) {
          reader.decodeSlow(value, what.get());
        }
        sums.add(reader, what);
        if (logProgress && sums.count % 10000 == 0) {
          Glog.info("Processed %d files.", sums.count);
        }
      }
    }
    if (logProgress && sums.count % 10000 != 0) {
      Glog.info("Processed %d files.", sums.count);
    }
    return sums;
  }

  /**
   * Sums the images of a list file ({@code path [label]} per line, as convert_imageset reads;
   * relative paths from the list's folder) whose line index {@code i} has {@code i % parts == part},
   * decoded with the file's own channels.
   */
  public static MeanSums ofImageList(Path list, int part, int parts) {
    List<String> lines;
    try {
      lines = Files.readAllLines(list);
    } catch (IOException e) {
      throw new KaffeeException(list + ": cannot read the image list: " + e.getMessage(), e);
    }
    MeanSums sums = new MeanSums();
    Path folder = list.toAbsolutePath().getParent();
    for (int i = 0, entry = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || entry++ % parts != part) {
        continue;
      }
      String name = line.split("\\s+")[0];
      String what = list + ":" + (i + 1);
      Image image = Image.read(folder.resolve(name), null, what);
      sums.addPixels(image.channels, image.height, image.width, image.pixels, 0, () -> what);
    }
    return sums;
  }

  /** A list is a text file ({@code path label} lines); databases are folders. */
  public static boolean isImageList(String source) {
    String name = source.toLowerCase(Locale.ROOT);
    return name.endsWith(".txt") || name.endsWith(".list") || name.endsWith(".lst");
  }

  private void add(ImageMean.DatumReader reader, Supplier<String> what) {
    if (reader.dataLength > 0) {
      addPixels(reader.channels, reader.height, reader.width, reader.data, reader.dataOffset, what);
      return;
    }
    checkShape(reader.channels, reader.height, reader.width, what);
    if (floatSum == null) {
      floatSum = new double[sum.length];
    }
    if (reader.floats.length != sum.length) {
      throw new KaffeeException(what.get() + ": Datum has " + reader.floats.length
          + " float values, expected " + sum.length);
    }
    for (int i = 0; i < sum.length; i++) {
      floatSum[i] += reader.floats[i];
    }
    count++;
  }

  private void addPixels(int c, int h, int w, byte[] data, int offset, Supplier<String> what) {
    checkShape(c, h, w, what);
    for (int i = 0; i < sum.length; i++) {
      sum[i] += data[offset + i] & 0xff;
    }
    count++;
  }

  private void checkShape(int c, int h, int w, Supplier<String> what) {
    if (sum == null) {
      channels = c;
      height = h;
      width = w;
      sum = new long[c * h * w];
    } else if (c != channels || h != height || w != width) {
      throw new KaffeeException(what.get() + ": image is " + c + "x" + h + "x" + w
          + " but the first one is " + channels + "x" + height + "x" + width);
    }
  }

  /** These sums plus another part's (either may be empty). */
  public MeanSums merge(MeanSums other) {
    if (other.count == 0) {
      return this;
    }
    if (count == 0) {
      return other;
    }
    checkShape(other.channels, other.height, other.width, () -> "a part of the data");
    for (int i = 0; i < sum.length; i++) {
      sum[i] += other.sum[i];
    }
    if (other.floatSum != null) {
      if (floatSum == null) {
        floatSum = new double[sum.length];
      }
      for (int i = 0; i < sum.length; i++) {
        floatSum[i] += other.floatSum[i];
      }
    }
    count += other.count;
    return this;
  }

  public long count() {
    return count;
  }

  /** The mean as Caffe's legacy (1, channels, height, width) BlobProto, divided in float. */
  public BlobProto mean(String source) {
    KaffeeException.check(count > 0, "%s: no images to average", source);
    BlobProto.Builder b = BlobProto.newBuilder().setNum(1).setChannels(channels).setHeight(height).setWidth(width);
    for (int i = 0; i < sum.length; i++) {
      float s = (float) (sum[i] + (floatSum == null ? 0 : floatSum[i]));
      b.addData(s / (float) count);
    }
    return b.build();
  }
}
