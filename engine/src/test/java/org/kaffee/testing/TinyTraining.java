package org.kaffee.testing;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.kaffee.data.Database;
import org.kaffee.io.ProtoFiles;
import org.kaffee.proto.Caffe.Datum;
import org.kaffee.proto.Caffe.SolverParameter;

/** A tiny training set (4x4 gray Datums, 4 classes) and a two-layer net's solver, for the data-parallel tests. */
public final class TinyTraining {
  private TinyTraining() {
  }

  /** Writes {@code records} random Datums (label i % 4) to an LMDB; returns their pixels in key order. */
  public static List<byte[]> writeLmdb(Path db, int records, long seed) {
    Random rng = new Random(seed);
    List<byte[]> pixels = new ArrayList<>();
    try (Database out = Database.open("lmdb", db, Database.Mode.NEW)) {
      for (int i = 0; i < records; i++) {
        byte[] px = new byte[16];
        rng.nextBytes(px);
        pixels.add(px);
        out.put(String.format("%08d", i).getBytes(), Datum.newBuilder().setChannels(1).setHeight(4).setWidth(4)
            .setData(ByteString.copyFrom(px)).setLabel(i % 4).build().toByteArray());
      }
      out.commit();
    }
    return pixels;
  }

  /**
   * A solver of {@code type} for the net Data(train_lmdb) - InnerProduct(8) - ReLU -
   * InnerProduct(4) - SoftmaxWithLoss, with {@code settings} appended (max_iter, snapshots, ...).
   */
  public static SolverParameter solver(String type, int batch, String settings) {
    String text = "net_param { name: \"small\"\n"
        + "layer { name: \"data\" type: \"Data\" top: \"data\" top: \"label\"\n"
        + "  transform_param { scale: 0.00390625 }\n"
        + "  data_param { source: \"train_lmdb\" backend: LMDB batch_size: " + batch + " } }\n"
        + "layer { name: \"ip1\" type: \"InnerProduct\" bottom: \"data\" top: \"ip1\"\n"
        + "  inner_product_param { num_output: 8 weight_filler { type: \"gaussian\" std: 0.3 } } }\n"
        + "layer { name: \"relu\" type: \"ReLU\" bottom: \"ip1\" top: \"ip1\" }\n"
        + "layer { name: \"ip2\" type: \"InnerProduct\" bottom: \"ip1\" top: \"ip2\"\n"
        + "  inner_product_param { num_output: 4 weight_filler { type: \"xavier\" } } }\n"
        + "layer { name: \"loss\" type: \"SoftmaxWithLoss\" bottom: \"ip2\" bottom: \"label\" top: \"loss\" } }\n"
        + "type: \"" + type + "\" base_lr: " + (type.equals("Adam") ? "0.01" : "0.1")
        + " momentum: 0.9 lr_policy: \"fixed\" display: 0 " + settings + "\n";
    SolverParameter.Builder b = SolverParameter.newBuilder();
    ProtoFiles.parseText(text, "solver", b);
    return b.build();
  }
}
