package org.kaffee.serve;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.kaffee.api.Kaffee;
import org.kaffee.core.Blob;
import org.kaffee.core.DataView;
import org.kaffee.core.Net;
import org.kaffee.data.Database;
import org.kaffee.data.Image;
import org.kaffee.io.ProtoFiles;
import org.kaffee.proto.Caffe.Datum;
import org.kaffee.proto.Caffe.NetParameter;
import com.google.protobuf.ByteString;

/**
 * A runs directory made by hand: a training log, a deploy net whose weights make the class
 * of an image known (class 2 for a bright top half), its labels and a small LMDB.
 */
final class RunsFixture {
  static final String NET = """
      name: "tiny"
      layer { name: "data" type: "Input" top: "data"
              input_param { shape { dim: 1 dim: 1 dim: 8 dim: 8 } } }
      layer { name: "conv1" type: "Convolution" bottom: "data" top: "conv1"
              convolution_param { num_output: 2 kernel_size: 3 weight_filler { type: "gaussian" std: 1 } } }
      layer { name: "ip" type: "InnerProduct" bottom: "data" top: "ip"
              inner_product_param { num_output: 3 } }
      layer { name: "prob" type: "Softmax" bottom: "ip" top: "prob" }
      layer { name: "silence" type: "Silence" bottom: "conv1" }
      """;
  static final String[] LABELS = {"plain", "bottom-bright", "top-bright"};

  private RunsFixture() {
  }

  /** A glog training log up to iteration {@code upTo} (display every 100, a test every 200). */
  static String log(int upTo, boolean done) {
    StringBuilder s = new StringBuilder();
    s.append("I1202 10:00:00.000000  4242 Solver.java:66] Initializing solver from parameters: \n")
        .append("base_lr: 0.01\nmax_iter: 1000\nlr_policy: \"inv\"\nnet: \"models/lenet/x.prototxt\"\n")
        .append("I1202 10:00:00.100000  4242 Solver.java:80] Creating training net\n");
    for (int it = 0; it <= upTo; it += 100) {
      String t = String.format("I1202 10:00:%02d.000000  4242 Solver.java:363] ", it / 100);
      if (it % 200 == 0) {
        s.append(t).append("Iteration ").append(it).append(", Testing net (#0)\n");
        s.append(t).append("    Test net output #0: accuracy = ").append(0.5 + it / 4000.0).append('\n');
        s.append(t).append("    Test net output #1: loss = ").append(2.0 - it / 1000.0).append(" (* 1 = x loss)\n");
      }
      s.append(t).append("Iteration ").append(it).append(" (10 iter/s, 10s/100 iters), loss = ")
          .append(2.3 - it / 1000.0).append('\n');
      s.append(t).append("    Train net output #0: loss = ").append(2.3 - it / 1000.0).append(" (* 1 = x loss)\n");
      s.append(t).append("Iteration ").append(it).append(", lr = 0.01\n");
      if (it > 0) {
        s.append(t).append("    Speed: 12.50 it/s over ").append(it).append(" iterations, ETA 0:01:00 for ")
            .append(1000 - it).append(" more\n");
      }
    }
    if (done) {
      s.append("I1202 10:01:00.000000  4242 Solver.java:307] Optimization Done.\n");
    }
    return s.toString();
  }

  /** An 8x8 gray PNG, bright (255) in the top or bottom half. */
  static byte[] png(boolean topBright) {
    byte[] pixels = new byte[64];
    for (int i = 0; i < 64; i++) {
      pixels[i] = (byte) ((i < 32) == topBright ? 255 : 0);
    }
    return new Image(1, 8, 8, pixels).encode("png");
  }

  static void create(Path root) throws IOException {
    Path run = Files.createDirectories(root.resolve("lenet"));
    Files.writeString(run.resolve("train.log"), log(1000, true));
    Path model = Files.createDirectories(root.resolve("model"));
    Path net = model.resolve("deploy.prototxt");
    Files.writeString(net, NET);
    Files.write(model.resolve("labels.txt"), String.join("\n", LABELS).getBytes());
    Net inference = Kaffee.open(net).load().core();
    // ip: class 1 sums the bottom half, class 2 the top half; class 0 nothing.
    Blob w = inference.layerByName("ip").blobs().get(0);
    DataView view = w.dataView();
    for (int i = 0; i < 64; i++) {
      view.set(i, 0);
      view.set(64 + i, i >= 32 ? 0.05 : 0);
      view.set(128 + i, i < 32 ? 0.05 : 0);
    }
    NetParameter trained = inference.toProto(NetParameter.newBuilder().build(), false);
    ProtoFiles.writeBinary(model.resolve("tiny.caffemodel"), trained);
    try (Database db = Database.open("lmdb", root.resolve("digits_lmdb"), Database.Mode.NEW)) {
      for (int i = 0; i < 10; i++) {
        byte[] pixels = new byte[16];
        java.util.Arrays.fill(pixels, (byte) (i * 20));
        Datum d = Datum.newBuilder().setChannels(1).setHeight(4).setWidth(4).setLabel(i % 3)
            .setData(ByteString.copyFrom(pixels)).build();
        db.put(String.format("%08d", i).getBytes(), d.toByteArray());
      }
      db.commit();
    }
  }
}
