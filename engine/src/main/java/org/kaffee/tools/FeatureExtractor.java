package org.kaffee.tools;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.kaffee.api.Kaffee;
import org.kaffee.core.Blob;
import org.kaffee.core.DataView;
import org.kaffee.core.KaffeeException;
import org.kaffee.core.Net;
import org.kaffee.data.Database;
import org.kaffee.log.Glog;
import org.kaffee.proto.Caffe.Datum;

/**
 * Caffe's extract_features: runs a TEST net with trained weights for some batches and stores
 * the named blobs, one Datum (float_data, legacy channels/height/width) per example, keys %010d.
 */
public final class FeatureExtractor {
  private FeatureExtractor() {
  }

  public static void extract(Path weights, Path netFile, List<String> blobNames, List<Path> dbs, int batches,
      String backend) {
    KaffeeException.check(blobNames.size() == dbs.size(),
        "the number of blob names (%d) and databases (%d) must be equal", blobNames.size(), dbs.size());
    KaffeeException.check(batches >= 0, "num_mini_batches must not be negative, got %d", batches);
    Net net = Kaffee.open(netFile).weights(weights).load().core();
    for (String name : blobNames) {
      KaffeeException.check(net.hasBlob(name), "unknown feature blob name %s in the network %s", name, netFile);
    }
    Database[] out = new Database[dbs.size()];
    try {
      for (int i = 0; i < dbs.size(); i++) {
        out[i] = Database.open(backend, dbs.get(i), Database.Mode.NEW);
      }
      Glog.info("Extracting Features");
      int[] index = new int[dbs.size()];
      for (int b = 0; b < batches; b++) {
        net.forward();
        for (int i = 0; i < blobNames.size(); i++) {
          Blob blob = net.blobByName(blobNames.get(i));
          int num = blob.num();
          int dim = blob.count() / Math.max(1, num);
          DataView v = blob.dataView();
          for (int n = 0; n < num; n++) {
            Datum.Builder d = Datum.newBuilder().setHeight(blob.height()).setWidth(blob.width())
                .setChannels(blob.channels());
            for (int k = 0; k < dim; k++) {
              d.addFloatData((float) v.get(n * dim + k));
            }
            out[i].put(String.format("%010d", index[i]).getBytes(StandardCharsets.US_ASCII),
                d.build().toByteArray());
            if (++index[i] % 1000 == 0) {
              out[i].commit();
              Glog.info("Extracted features of %d query images for feature blob %s", index[i], blobNames.get(i));
            }
          }
        }
      }
      for (int i = 0; i < blobNames.size(); i++) {
        if (index[i] % 1000 != 0) {
          out[i].commit();
        }
        Glog.info("Extracted features of %d query images for feature blob %s", index[i], blobNames.get(i));
      }
      Glog.info("Successfully extracted the features!");
    } finally {
      for (Database d : out) {
        if (d != null) {
          d.close();
        }
      }
      net.close();
    }
  }
}
