package org.kaffee.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import com.google.protobuf.ByteString;
import org.kaffee.core.KaffeeException;
import org.kaffee.log.Glog;
import org.kaffee.proto.Caffe.Datum;

/** Caffe's convert_mnist_data: idx image and label files (plain or gzip) into a Datum database, keys %08d. */
public final class MnistConverter {
  private MnistConverter() {
  }

  public static int convert(Path images, Path labels, Path dbPath, String backend) {
    try (DataInputStream img = open(images); DataInputStream lab = open(labels)) {
      int magic = img.readInt();
      KaffeeException.check(magic == 2051, "%s: not an MNIST image file (magic number %d, expected 2051)", images,
          magic);
      int labelMagic = lab.readInt();
      KaffeeException.check(labelMagic == 2049, "%s: not an MNIST label file (magic number %d, expected 2049)",
          labels, labelMagic);
      int num = img.readInt();
      int numLabels = lab.readInt();
      KaffeeException.check(num == numLabels, "%s holds %d images but %s holds %d labels", images, num, labels,
          numLabels);
      int rows = img.readInt();
      int cols = img.readInt();
      KaffeeException.check(rows > 0 && cols > 0 && num >= 0, "%s: bad header (%d items of %dx%d)", images, num,
          rows, cols);
      Glog.info("A total of %d items.", num);
      Glog.info("Rows: %d Cols: %d", rows, cols);
      byte[] pixels = new byte[rows * cols];
      int count = 0;
      try (Database db = Database.open(backend, dbPath, Database.Mode.NEW)) {
        for (int i = 0; i < num; i++) {
          try {
            img.readFully(pixels);
          } catch (EOFException e) {
            throw new KaffeeException(images + ": truncated at image " + i + " of " + num);
          }
          int label = lab.read();
          KaffeeException.check(label >= 0, "%s: truncated at label %d of %d", labels, i, num);
          Datum datum = Datum.newBuilder().setChannels(1).setHeight(rows).setWidth(cols)
              .setData(ByteString.copyFrom(pixels)).setLabel(label).build();
          db.put(String.format("%08d", i).getBytes(StandardCharsets.US_ASCII), datum.toByteArray());
          if (++count % 1000 == 0) {
            db.commit();
          }
        }
        if (count % 1000 != 0) {
          db.commit();
        }
        Glog.info("Processed %d files.", count);
      }
      return count;
    } catch (IOException e) {
      throw new KaffeeException("cannot read MNIST files " + images + ", " + labels + ": " + e.getMessage(), e);
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
