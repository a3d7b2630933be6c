package org.kaffee.data;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.kaffee.core.KaffeeException;
import org.kaffee.log.Glog;
import org.kaffee.proto.Caffe.Datum;

/**
 * Caffe's convert_mnist_data: idx image and label files (plain or gzip) into a Datum database,
 * keys %08d. An optional label map (Kaffee's extension) gives the new label of each class.
 */
public final class MnistConverter {
  private MnistConverter() {
  }

  public static int convert(Path images, Path labels, Path dbPath, String backend) {
    return convert(images, labels, dbPath, backend, null);
  }

  public static int convert(Path images, Path labels, Path dbPath, String backend, int[] labelMap) {
    IdxFile.Images img = readImages(images, labels);
    byte[] lab = IdxFile.readLabels(labels);
    int size = img.size();
    int count = 0;
    try (Database db = Database.open(backend, dbPath, Database.Mode.NEW)) {
      for (int i = 0; i < img.count(); i++) {
        Datum datum = Datum.newBuilder().setChannels(1).setHeight(img.rows()).setWidth(img.cols())
            .setData(ByteString.copyFrom(img.pixels(), i * size, size))
            .setLabel(mapLabel(lab[i] & 0xff, labelMap, labels, i)).build();
        db.put(key(i), datum.toByteArray());
        if (++count % 1000 == 0) {
          db.commit();
        }
      }
      db.commit();
      Glog.info("Processed %d files.", count);
    }
    return count;
  }

  /** Reads the images and checks the label file holds as many labels, logging as Caffe does. */
  static IdxFile.Images readImages(Path images, Path labels) {
    IdxFile.Images img = IdxFile.readImages(images);
    int numLabels = IdxFile.readLabels(labels).length;
    KaffeeException.check(img.count() == numLabels, "%s holds %d images but %s holds %d labels", images,
        img.count(), labels, numLabels);
    Glog.info("A total of %d items.", img.count());
    Glog.info("Rows: %d Cols: %d", img.rows(), img.cols());
    return img;
  }

  static byte[] key(int index) {
    return String.format("%08d", index).getBytes(StandardCharsets.US_ASCII);
  }

  private static int mapLabel(int label, int[] labelMap, Path labels, int index) {
    if (labelMap == null) {
      return label;
    }
    KaffeeException.check(label < labelMap.length, "%s: label %d of item %d has no entry in --label_map (%d entries)",
        labels, label, index, labelMap.length);
    return labelMap[label];
  }
}
