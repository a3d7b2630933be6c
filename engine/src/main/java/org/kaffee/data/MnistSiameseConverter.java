package org.kaffee.data;

import java.nio.file.Path;
import java.util.Random;
import org.kaffee.log.Glog;
import org.kaffee.proto.Caffe.Datum;

/**
 * Caffe's convert_mnist_siamese_data: as many random pairs as there are images, each stored
 * as a 2-channel Datum (the two images) labelled 1 when both have the same class, else 0.
 * Keys %08d. The pairs are drawn from {@link Rng} seeded with {@code seed}, so they repeat.
 */
public final class MnistSiameseConverter {
  private MnistSiameseConverter() {
  }

  public static int convert(Path images, Path labels, Path dbPath, String backend, long seed) {
    IdxFile.Images img = MnistConverter.readImages(images, labels);
    byte[] lab = IdxFile.readLabels(labels);
    int n = img.count();
    int size = img.size();
    Random rng = new Random(seed);
    byte[] pair = new byte[2 * size];
    int similar = 0;
    try (Database db = Database.open(backend, dbPath, Database.Mode.NEW)) {
      for (int item = 0; item < n; item++) {
        int i = rng.nextInt(n);
        int j = rng.nextInt(n);
        System.arraycopy(img.pixels(), i * size, pair, 0, size);
        System.arraycopy(img.pixels(), j * size, pair, size, size);
        boolean same = lab[i] == lab[j];
        similar += same ? 1 : 0;
        Datum datum = Datum.newBuilder().setChannels(2).setHeight(img.rows()).setWidth(img.cols())
            .setData(com.google.protobuf.ByteString.copyFrom(pair)).setLabel(same ? 1 : 0).build();
        db.put(MnistConverter.key(item), datum.toByteArray());
        if ((item + 1) % 1000 == 0) {
          db.commit();
        }
      }
      db.commit();
    }
    Glog.info("Processed %d pairs, %d of them similar.", n, similar);
    return n;
  }
}
