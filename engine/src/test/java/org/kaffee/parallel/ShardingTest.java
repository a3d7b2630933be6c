package org.kaffee.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kaffee.core.KaffeeException;
import org.kaffee.core.Net;
import org.kaffee.core.Rng;
import org.kaffee.core.Shard;
import org.kaffee.data.Database;
import org.kaffee.io.ProtoFiles;
import org.kaffee.io.WorkDir;
import org.kaffee.log.Glog;
import org.kaffee.proto.Caffe.Datum;
import org.kaffee.proto.Caffe.NetParameter;
import org.kaffee.proto.Caffe.NetState;
import org.kaffee.proto.Caffe.Phase;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Data sharding: replica k of N reads the k-th slice of each global batch, so at every
 * iteration the replicas' labels together are exactly the labels one process reads at
 * batch_size x N, for Data (LMDB), ImageData with shuffle, HDF5Data with shuffle and WindowData, also
 * across the end of the data (wrap-around, reshuffles).
 */
class ShardingTest {
  private static final int ITEMS = 10;
  private static final int BATCH = 3;
  private static final int ITERS = 5;

  @TempDir
  Path dir;
  private Path savedWorkDir;

  @BeforeEach
  void data() throws Exception {
    savedWorkDir = WorkDir.get();
    WorkDir.set(dir);
    Glog.setQuiet(true);
    StringBuilder images = new StringBuilder();
    try (Database db = Database.open("lmdb", dir.resolve("db"), Database.Mode.NEW)) {
      for (int i = 0; i < ITEMS; i++) {
        db.put(String.format("%08d", i).getBytes(), Datum.newBuilder().setChannels(1)
            .setHeight(1).setWidth(1).setData(ByteString.copyFrom(new byte[] {(byte) i}))
            .setLabel(i).build().toByteArray());
        BufferedImage img = new BufferedImage(2, 2, BufferedImage.TYPE_BYTE_GRAY);
        ImageIO.write(img, "png", dir.resolve("img" + i + ".png").toFile());
        images.append("img").append(i).append(".png ").append(i).append('\n');
      }
      db.commit();
    }
    Files.writeString(dir.resolve("images.txt"), images.toString());
    // two halves of the items, labelled 0 .. ITEMS - 1 in order
    List<Hdf5Parts.Part> parts = new ArrayList<>();
    for (int f = 0; f < 2; f++) {
      float[] labels = new float[ITEMS / 2];
      for (int n = 0; n < labels.length; n++) {
        labels[n] = f * labels.length + n;
      }
      parts.add(new Hdf5Parts.Part(new float[ITEMS / 2][1], labels));
    }
    Hdf5Parts.write(dir, "h5.txt", parts);
  }

  @AfterEach
  void restore() {
    WorkDir.set(savedWorkDir);
    Glog.setQuiet(false);
  }

  private static String layer(String type, int batch) {
    switch (type) {
      case "Data":
        return "layer { name: 'd' type: 'Data' top: 'data' top: 'label'"
            + " data_param { source: 'db' backend: LMDB batch_size: " + batch + " } }";
      case "ImageData":
        return "layer { name: 'd' type: 'ImageData' top: 'data' top: 'label'"
            + " image_data_param { source: 'images.txt' batch_size: " + batch
            + " shuffle: true is_color: false } }";
      case "WindowData":
        Path windows = Path.of("models/windowdata").toAbsolutePath();
        return "layer { name: 'd' type: 'WindowData' top: 'data' top: 'label'"
            + " transform_param { crop_size: 8 mirror: true }"
            + " window_data_param { source: '" + windows.resolve("windows.txt") + "' root_folder: '" + windows
            + "/' batch_size: " + batch + " fg_fraction: 0.5 } }";
      default:
        return "layer { name: 'd' type: 'HDF5Data' top: 'data' top: 'label'"
            + " hdf5_data_param { source: 'h5.txt' batch_size: " + batch + " shuffle: true } }";
    }
  }

  /** The labels each iteration of a net with the given shard reads. */
  private static List<List<Integer>> labels(String type, int batch, Shard shard) {
    NetParameter.Builder b = NetParameter.newBuilder();
    ProtoFiles.parseText(layer(type, batch), "net", b);
    b.setState(NetState.newBuilder().setPhase(Phase.TRAIN));
    Rng.seed(7);
    Net net = new Net(b.build(), DataType.FLOAT, shard);
    List<List<Integer>> out = new ArrayList<>();
    for (int it = 0; it < ITERS; it++) {
      net.forward();
      List<Integer> batchLabels = new ArrayList<>();
      for (float f : net.blobByName("label").data().data().asFloat()) {
        batchLabels.add((int) f);
      }
      out.add(batchLabels);
    }
    return out;
  }

  private static void assertShardsMakeTheWholeBatch(String type) {
    List<List<Integer>> whole = labels(type, 2 * BATCH, Shard.WHOLE);
    List<List<Integer>> first = labels(type, BATCH, new Shard(0, 2));
    List<List<Integer>> second = labels(type, BATCH, new Shard(1, 2));
    for (int it = 0; it < ITERS; it++) {
      List<Integer> union = new ArrayList<>(first.get(it));
      union.addAll(second.get(it));
      assertEquals(whole.get(it), union, type + " iteration " + it);
    }
  }

  @Test
  void dataLayerTakesItsSliceOfEachGlobalBatch() {
    // Global batches of 6 over 10 records: 0-5, 6-9 0-1, 2-7, 8-9 0-3, 4-9.
    assertEquals(List.of(List.of(3, 4, 5), List.of(9, 0, 1), List.of(5, 6, 7), List.of(1, 2, 3),
        List.of(7, 8, 9)), labels("Data", BATCH, new Shard(1, 2)));
    assertShardsMakeTheWholeBatch("Data");
  }

  @Test
  void shuffledImageDataShardsMakeTheWholeBatch() {
    assertShardsMakeTheWholeBatch("ImageData");
  }

  @Test
  void shuffledHdf5ListShardsMakeTheWholeBatch() {
    assertShardsMakeTheWholeBatch("HDF5Data");
  }

  @Test
  void windowDataShardsMakeTheWholeBatch() {
    // background windows first in the global batch: replica 0's slice holds them, replica 1's the foreground
    assertShardsMakeTheWholeBatch("WindowData");
  }

  @Test
  void sliceArithmeticAndBadShards() {
    Shard third = new Shard(2, 4);
    assertEquals(2 * BATCH, third.skippedBefore(BATCH));
    assertEquals(BATCH, third.skippedAfter(BATCH));
    assertEquals(0, Shard.WHOLE.skippedBefore(BATCH) + Shard.WHOLE.skippedAfter(BATCH));
    assertThrows(KaffeeException.class, () -> new Shard(2, 2));
  }
}
