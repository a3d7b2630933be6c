package org.kaffee.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kaffee.io.NetFiles;
import org.kaffee.proto.Caffe.NetParameter;
import org.kaffee.proto.Caffe.Phase;

/** The LeNet of models/lenet built in both phases on dummy data: Caffe's shapes and splits. */
class LeNetNetTest {
  private static NetParameter lenetOnDummyData() {
    NetParameter lenet = NetFiles.readNetText(Path.of("models/lenet/lenet_train_test.prototxt"));
    NetParameter.Builder b = lenet.toBuilder();
    for (int i = 0; i < b.getLayerCount(); i++) {
      if (b.getLayer(i).getType().equals("Data")) {
        int batch = b.getLayer(i).getDataParam().getBatchSize();
        b.setLayer(i, b.getLayer(i).toBuilder().setType("DummyData").clearDataParam()
            .clearTransformParam().setDummyDataParam(org.kaffee.proto.Caffe.DummyDataParameter
                .newBuilder()
                .addShape(org.kaffee.proto.Caffe.BlobShape.newBuilder().addDim(batch).addDim(1)
                    .addDim(28).addDim(28))
                .addShape(org.kaffee.proto.Caffe.BlobShape.newBuilder().addDim(batch))));
      }
    }
    return b.build();
  }

  @Test
  void trainPhaseHasCaffesShapes() {
    Net net = Net.forPhase(lenetOnDummyData(), Phase.TRAIN, 0, List.of());
    assertEquals(List.of("mnist", "conv1", "pool1", "conv2", "pool2", "ip1", "relu1", "ip2", "loss"),
        net.layerNames());
    assertArrayEquals(new int[] {64, 20, 24, 24}, net.blobByName("conv1").shape());
    assertArrayEquals(new int[] {64, 20, 12, 12}, net.blobByName("pool1").shape());
    assertArrayEquals(new int[] {64, 50, 8, 8}, net.blobByName("conv2").shape());
    assertArrayEquals(new int[] {64, 50, 4, 4}, net.blobByName("pool2").shape());
    assertArrayEquals(new int[] {64, 500}, net.blobByName("ip1").shape());
    assertArrayEquals(new int[] {64, 10}, net.blobByName("ip2").shape());
    assertArrayEquals(new int[] {}, net.blobByName("loss").shape());
    assertEquals(List.of("loss"), net.outputBlobNames());
    assertEquals(8, net.learnableParams().size());
    assertEquals(List.of(1f, 2f, 1f, 2f, 1f, 2f, 1f, 2f), net.paramsLr());
    assertFalse(net.layerNeedBackward(0));
    assertTrue(net.layerNeedBackward(1));
    double loss = net.forwardBackward();
    assertTrue(loss > 0 && Double.isFinite(loss), "loss " + loss);
  }

  @Test
  void testPhaseSplitsLabelAndScoresAsCaffeDoes() {
    Net net = Net.forPhase(lenetOnDummyData(), Phase.TEST, 0, List.of());
    assertEquals(List.of("mnist", "mnist_label_1_split", "conv1", "pool1", "conv2", "pool2", "ip1",
        "relu1", "ip2", "ip2_ip2_0_split", "accuracy", "loss"), net.layerNames());
    assertArrayEquals(new int[] {100, 10}, net.blobByName("ip2_ip2_0_split_1").shape());
    assertEquals(List.of("accuracy", "loss"), net.outputBlobNames());
  }
}
