package org.kaffee.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kaffee.cli.Main;
import org.kaffee.core.Net;
import org.kaffee.io.NetFiles;
import org.kaffee.io.NetUpgrader;
import org.kaffee.io.ProtoFiles;
import org.kaffee.layers.data.BasePrefetchingDataLayer;
import org.kaffee.proto.Caffe.BlobProto;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.proto.Caffe.NetParameter;
import org.kaffee.proto.Caffe.Phase;
import org.kaffee.testing.LogCapture;
import org.kaffee.tools.ParseLog;

/** The WindowData example learns (its loss falls) and times from the command line; R-CNN's net builds and runs. */
class WindowDataExampleTest {
  /** The example's 100 iterations: enough for the loss of random windows to fall clearly. */
  private static final int ITERATIONS = 100;
  @TempDir
  Path dir;

  @Test
  void theExampleLearnsAndTimesThroughTheCommandLine() throws Exception {
    Path solver = dir.resolve("solver.prototxt");
    Files.writeString(solver, Files.readString(Path.of("solvers/windowdata_solver.prototxt"))
        .replace("max_iter: 100", "max_iter: " + ITERATIONS).replace("display: 50", "display: 1")
        .replace("runs/windowdata/windowdata", dir.resolve("wd").toString()));
    String log = LogCapture.during(() -> assertEquals(0, Main.run("train", "--solver=" + solver)));
    double[] losses = ParseLog.parse(log.lines().toList(), 2000).train().column("loss");
    assertEquals(ITERATIONS, losses.length, log);
    // a batch holds 8 random windows: compare the means of the first and the last 20 batches
    double first = mean(losses, 0, 20);
    double last = mean(losses, ITERATIONS - 20, ITERATIONS);
    assertTrue(last < 0.8 * first, "the loss did not fall: " + first + " -> " + last);
    assertTrue(Files.size(dir.resolve("wd_iter_" + ITERATIONS + ".caffemodel")) > 0);
    assertEquals(0, Main.run("time", "--model=models/windowdata/windowdata_train.prototxt", "--iterations=2"));
  }

  private static double mean(double[] values, int from, int to) {
    double sum = 0;
    for (int i = from; i < to; i++) {
      sum += values[i];
    }
    return sum / (to - from);
  }

  @Test
  void caffesPascalFineTuningNetBuildsAndRunsOnceItsFilesExist() throws Exception {
    BlobProto.Builder mean = BlobProto.newBuilder().setNum(1).setChannels(3).setHeight(256).setWidth(256);
    for (int i = 0; i < 3 * 256 * 256; i++) {
      mean.addData(110);
    }
    Path meanFile = dir.resolve("imagenet_mean.binaryproto");
    ProtoFiles.writeBinary(meanFile, mean.build());
    NetParameter.Builder param = NetFiles.readNetText(Path.of("models/rcnn/pascal_finetune_trainval_test.prototxt"))
        .toBuilder();
    for (LayerParameter.Builder layer : param.getLayerBuilderList()) {
      if (layer.getType().equals("WindowData")) {
        layer.getWindowDataParamBuilder().setSource("models/windowdata/windows.txt")
            .setRootFolder("models/windowdata/").setBatchSize(2).setBgThreshold(0.3f);
        layer.getTransformParamBuilder().setMeanFile(meanFile.toString());
      }
    }
    for (Phase phase : List.of(Phase.TRAIN, Phase.TEST)) {
      Net net = Net.forPhase(param.build(), phase, 0, List.of());
      assertArrayEquals(new int[] {2, 3, 227, 227}, net.blobByName("data").shape());
      assertArrayEquals(new int[] {2, 21}, net.blobByName("fc8_pascal").shape());
      double loss = net.forward();
      assertTrue(loss > 0 && loss < 10, "loss " + loss);
      ((BasePrefetchingDataLayer) net.layers().get(0)).close();
    }
  }

  @Test
  void v1WindowDataLayersUpgrade() {
    NetParameter v1 = ProtoFiles.parseText("layers { name: 'data' type: WINDOW_DATA top: 'data' top: 'label'"
        + " window_data_param { source: 'w.txt' batch_size: 128 crop_size: 227 mirror: true"
        + " mean_file: 'mean.binaryproto' fg_fraction: 0.25 context_pad: 16 crop_mode: 'warp' } }",
        "v1.prototxt", NetParameter.newBuilder()).build();
    LayerParameter layer = NetUpgrader.upgrade(v1, "v1.prototxt").getLayer(0);
    assertEquals("WindowData", layer.getType());
    assertEquals(227, layer.getTransformParam().getCropSize());
    assertTrue(layer.getTransformParam().getMirror());
    assertEquals("mean.binaryproto", layer.getTransformParam().getMeanFile());
    assertTrue(!layer.getWindowDataParam().hasCropSize() && !layer.getWindowDataParam().hasMeanFile());
    assertEquals(16, layer.getWindowDataParam().getContextPad());
    assertEquals(128, layer.getWindowDataParam().getBatchSize());
  }
}
