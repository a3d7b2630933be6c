package org.kaffee.data;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.kaffee.core.KaffeeException;
import org.kaffee.core.Rng;
import org.kaffee.log.Glog;
import org.kaffee.proto.Caffe.Datum;

/**
 * Caffe's convert_imageset: images listed as {@code path label} lines (label after the last
 * space) under a root folder into a Datum database with keys {@code %08d_<path>}.
 */
public final class ImagesetConverter {
  /** The tool's flags. */
  public static final class Options {
    public boolean gray;
    public boolean shuffle;
    public String backend = "lmdb";
    public int resizeWidth;
    public int resizeHeight;
    public boolean checkSize;
    public boolean encoded;
    public String encodeType = "";
  }

  private ImagesetConverter() {
  }

  public static int convert(String root, Path listFile, Path dbPath, Options o) {
    boolean color = !o.gray;
    return write(root, ImageList.read(listFile), ImageList.Entry::path, listFile, dbPath, o,
        (entry, file, encoding) -> {
          Datum datum = toDatum(readImage(file, color), file, entry.label(), o.resizeHeight,
              o.resizeWidth, color, encoding);
          return new Record(datum, datum.toByteArray());
        });
  }

  /** What a converter stores for one line of its list: the Datum (for check_size) and the record's bytes. */
  public record Record(Datum datum, byte[] value) {
  }

  /** Reads the image of one line (and whatever else the line names) into a record. */
  public interface LineReader<E> {
    Record read(E line, Path image, String encoding);
  }

  /**
   * The loop convert_imageset and convert_annoset share: shuffle, guess each encoding from the
   * file name, skip (and log) lines whose image cannot be read, check sizes, key records
   * {@code %08d_<name>} and commit every 1000 records.
   */
  public static <E> int write(String root, List<E> listed, Function<E, String> nameOf, Path listFile, Path dbPath,
      Options o, LineReader<E> reader) {
    List<E> lines = new ArrayList<>(listed);
    if (o.shuffle) {
      Glog.info("Shuffling data");
      Collections.shuffle(lines, Rng.global());
    }
    Glog.info("A total of %d images.", lines.size());
    boolean encoded = o.encoded;
    if (!o.encodeType.isEmpty() && !encoded) {
      Glog.info("encode_type specified, assuming encoded=true.");
      encoded = true;
    }
    int count = 0;
    int dataSize = -1;
    try (Database db = Database.open(o.backend, dbPath, Database.Mode.NEW)) {
      for (int id = 0; id < lines.size(); id++) {
        String name = nameOf.apply(lines.get(id));
        Path file = Path.of(root + name);
        String enc = o.encodeType;
        if (encoded && enc.isEmpty()) {
          int dot = name.lastIndexOf('.');
          if (dot < 0) {
            Glog.warn("Failed to guess the encoding of '%s'", name);
          } else {
            enc = name.substring(dot + 1).toLowerCase(Locale.ROOT);
          }
        }
        Record record;
        try {
          record = reader.read(lines.get(id), file, encoded ? enc : "");
        } catch (UnreadableImage e) {
          Glog.error("Could not open or find file %s (%s)", file, e.getMessage());
          continue;
        }
        Datum datum = record.datum();
        if (o.checkSize) {
          int size = datum.getChannels() * datum.getHeight() * datum.getWidth();
          if (dataSize < 0) {
            dataSize = size;
          } else {
            KaffeeException.check(datum.getData().size() == dataSize,
                "%s:%d (%s): incorrect data field size %d (the first image has %d)", listFile, id + 1, name,
                datum.getData().size(), dataSize);
          }
        }
        byte[] key = String.format("%08d_%s", id, name).getBytes(StandardCharsets.UTF_8);
        db.put(key, record.value());
        if (++count % 1000 == 0) {
          db.commit();
          Glog.info("Processed %d files.", count);
        }
      }
      if (count % 1000 != 0) {
        db.commit();
        Glog.info("Processed %d files.", count);
      }
    }
    return count;
  }

  /** An image a list names that cannot be read: the converters log it and go on, as Caffe's do. */
  public static final class UnreadableImage extends KaffeeException {
    UnreadableImage(KaffeeException cause) {
      super(cause.getMessage(), cause);
    }
  }

  /** Reads a listed image; failures are {@link UnreadableImage}. */
  public static Image readImage(Path file, boolean color) {
    try {
      return Image.read(file, color, "image");
    } catch (KaffeeException e) {
      throw new UnreadableImage(e);
    }
  }

  /** Caffe's ReadImageToDatum, from the image already read. */
  public static Datum toDatum(Image read, Path file, int label, int height, int width, boolean color,
      String encoding) {
    Image img = read;
    if (height > 0 && width > 0) {  // ReadImageToCVMat resizes only when both are given
      img = img.resize(height, width);
    }
    if (!encoding.isEmpty()) {
      String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
      boolean sameExt = name.endsWith("." + encoding.toLowerCase(Locale.ROOT));
      byte[] bytes;
      if (height == 0 && width == 0 && sameExt && (img.channels == 3) == color) {
        try {
          bytes = Files.readAllBytes(file);
        } catch (IOException e) {
          throw new KaffeeException(file + ": cannot read: " + e.getMessage(), e);
        }
      } else {
        bytes = img.encode(encoding);
      }
      return Datum.newBuilder().setData(ByteString.copyFrom(bytes)).setLabel(label).setEncoded(true).build();
    }
    return Datum.newBuilder().setChannels(img.channels).setHeight(img.height).setWidth(img.width)
        .setData(ByteString.copyFrom(img.pixels)).setEncoded(false).setLabel(label).build();
  }
}
