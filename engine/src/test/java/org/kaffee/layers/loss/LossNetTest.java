package org.kaffee.layers.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kaffee.core.LayerRegistry;
import org.kaffee.core.Net;
import org.kaffee.io.ProtoFiles;
import org.kaffee.proto.Caffe.NetParameter;

/** The loss family inside a Net: registration, default loss weight, force_backward. */
class LossNetTest {
  @Test
  void everyTypeIsRegistered() {
    for (String type : List.of("SoftmaxWithLoss", "EuclideanLoss", "ContrastiveLoss",
        "HingeLoss", "InfogainLoss", "MultinomialLogisticLoss", "SigmoidCrossEntropyLoss",
        "Accuracy", "ContrastiveAccuracy")) {
      assertTrue(LayerRegistry.isRegistered(type), type);
    }
  }

  @Test
  void labelBottomsNeverTakeAGradient() {
    for (String type : List.of("SoftmaxWithLoss", "HingeLoss", "MultinomialLogisticLoss",
        "SigmoidCrossEntropyLoss")) {
      org.kaffee.core.Layer layer = LossTests.dbl(LayerRegistry.create(
          LossTests.param("name: 'l' type: '" + type + "'")));
      boolean sameCount = type.startsWith("Sigmoid");
      org.kaffee.core.Blob x = org.kaffee.testing.TestBlobs.uniform(1, 0.1, 1, 2, 3);
      org.kaffee.core.Blob y = sameCount
          ? org.kaffee.testing.TestBlobs.uniform(2, 0, 1, 2, 3)
          : org.kaffee.testing.TestBlobs.of(new double[] {0, 2}, 2);
      List<org.kaffee.core.Blob> top = org.kaffee.testing.DoubleLayers.forward(layer, 1, x, y);
      assertTrue(layer.allowForceBackward(0) && !layer.allowForceBackward(1), type);
      org.kaffee.core.KaffeeException e = org.junit.jupiter.api.Assertions.assertThrows(
          org.kaffee.core.KaffeeException.class,
          () -> layer.backward(top, new boolean[] {true, true}, List.of(x, y)));
      assertEquals("layer l (" + type + "): " + type
          + " Layer cannot backpropagate to label inputs", e.getMessage());
    }
  }

  @Test
  void softmaxLossAndAccuracyInANet() {
    Net net = twoSamples("""
        layer { name: "loss" type: "SoftmaxWithLoss" bottom: "x" bottom: "y" top: "loss" }
        layer { name: "acc" type: "Accuracy" bottom: "x" bottom: "y" top: "acc" }
        """);
    double loss = net.forwardBackward();
    double z = Math.exp(1) + Math.exp(2) + Math.exp(3);
    double expected = (-Math.log(Math.exp(3) / z) + Math.log(3)) / 2;
    assertEquals(expected, loss, 1e-6);
    assertEquals(List.of("acc", "loss"), net.outputBlobNames());
    // sample 0 is right; sample 1 ties three ways, a miss
    assertEquals(0.5, net.blobByName("acc").dataView().get(0), 1e-7);
    float[] g = net.blobByName("x").diff().dup().data().asFloat();
    assertArrayEquals(new float[] {(float) (Math.exp(1) / z / 2), (float) (Math.exp(2) / z / 2),
        (float) ((Math.exp(3) / z - 1) / 2), (float) (1 / 6.0 - 0.5), (float) (1 / 6.0),
        (float) (1 / 6.0)}, g, 1e-6f);
  }

  /**
   * Caffe 1.0 aborts on this net (its internal Softmax inherits the loss weights); Kaffee runs
   * it with loss weight 1 on the loss and 0 on {@code prob}: the loss and the gradient are the
   * one-top layer's, and {@code prob} holds the softmax.
   */
  @Test
  void softmaxLossWithAProbTopWeighsOnlyTheLoss() {
    Net net = twoSamples("""
        layer { name: "loss" type: "SoftmaxWithLoss" bottom: "x" bottom: "y" top: "loss" top: "prob" }
        """);
    double loss = net.forwardBackward();
    double z = Math.exp(1) + Math.exp(2) + Math.exp(3);
    assertEquals((-Math.log(Math.exp(3) / z) + Math.log(3)) / 2, loss, 1e-6);
    assertEquals(List.of("loss", "prob"), net.outputBlobNames());
    assertEquals(1.0, net.layerByName("loss").loss(0));
    assertEquals(0.0, net.layerByName("loss").loss(1));
    assertArrayEquals(new float[] {(float) (Math.exp(1) / z), (float) (Math.exp(2) / z), (float) (Math.exp(3) / z),
        1 / 3f, 1 / 3f, 1 / 3f}, net.blobByName("prob").data().dup().data().asFloat(), 1e-6f);
    float[] g = net.blobByName("x").diff().dup().data().asFloat();
    assertArrayEquals(new float[] {(float) (Math.exp(1) / z / 2), (float) (Math.exp(2) / z / 2),
        (float) ((Math.exp(3) / z - 1) / 2), (float) (1 / 6.0 - 0.5), (float) (1 / 6.0),
        (float) (1 / 6.0)}, g, 1e-6f);
  }

  /** A net over logits x = [[1, 2, 3], [0, 0, 0]] and labels y = [2, 0], with these layers on top. */
  private static Net twoSamples(String layers) {
    Net net = new Net(ProtoFiles.parseText("""
        force_backward: true
        layer { name: "in" type: "Input" top: "x" top: "y"
                input_param { shape { dim: 2 dim: 3 } shape { dim: 2 } } }
        """ + layers, "net", NetParameter.newBuilder()).build());
    net.blobByName("x").data().assign(org.nd4j.linalg.factory.Nd4j.createFromArray(
        new float[] {1, 2, 3, 0, 0, 0}).reshape(2, 3));
    net.blobByName("y").data().assign(org.nd4j.linalg.factory.Nd4j.createFromArray(new float[] {2, 0}));
    return net;
  }
}
