package org.kaffee.layers.neuron;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.kaffee.layers.neuron.NeuronTesting.*;

import org.junit.jupiter.api.Test;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.testing.GradientChecker;
import org.kaffee.testing.TestBlobs;
import org.nd4j.linalg.api.buffer.DataType;

import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.Layer;
import org.kaffee.proto.Caffe.FillerParameter;
import org.kaffee.proto.Caffe.PReLUParameter;

class PReLULayerTest {
  private static LayerParameter prelu(boolean shared, FillerParameter filler) {
    PReLUParameter.Builder p = PReLUParameter.newBuilder().setChannelShared(shared);
    if (filler != null) {
      p.setFiller(filler);
    }
    return param("PReLU").setPreluParam(p).build();
  }

  private static FillerParameter gaussian() {
    return FillerParameter.newBuilder().setType("gaussian").setMean(0.25f).setStd(0.1f).build();
  }

  @Test
  void defaultSlopeIsQuarter() {
    Layer layer = make(prelu(false, null), DataType.DOUBLE);
    Blob b = TestBlobs.of(new double[] {-4, 2, -1, 8, 0, -2}, 1, 3, 2);
    Blob t = new Blob(DataType.DOUBLE);
    layer.setUp(List.of(b), List.of(t));
    assertArrayEquals(new int[] {3}, layer.blobs().get(0).shape());
    layer.forward(List.of(b), List.of(t));
    assertArrayEquals(new double[] {-1, 2, -0.25, 8, 0, -0.5}, TestBlobs.data(t), 1e-12);
    Layer shared = make(prelu(true, null), DataType.DOUBLE);
    shared.setUp(List.of(b), List.of(t));
    assertEquals(0, shared.blobs().get(0).numAxes());
  }

  @Test
  void forwardAndBackwardPerChannel() {
    Layer layer = make(prelu(false, null), DataType.DOUBLE);
    Blob b = TestBlobs.of(new double[] {-4, 2, -1, 8, 0, -2, 1, -3}, 2, 2, 2);
    Blob t = new Blob(DataType.DOUBLE);
    layer.setUp(List.of(b), List.of(t));
    Blob slope = layer.blobs().get(0);
    slope.dataView().set(0, 0.5);
    slope.dataView().set(1, -2);
    layer.forward(List.of(b), List.of(t));
    assertArrayEquals(new double[] {-2, 2, 2, 8, 0, -1, 1, 6}, TestBlobs.data(t), 1e-12);
    double[] dy = {1, 2, 3, 4, 5, 6, 7, 8};
    for (int i = 0; i < 8; i++) {
      t.diffView().set(i, dy[i]);
    }
    slope.diffView().set(0, 10); // param gradients accumulate
    layer.backward(List.of(t), new boolean[] {true}, List.of(b));
    assertArrayEquals(new double[] {0.5, 2, -6, 4, 2.5, 3, 7, -16}, TestBlobs.diff(b), 1e-12);
    // channel 0: x = -4, 2 | 0, -2 ; channel 1: x = -1, 8 | 1, -3
    assertArrayEquals(new double[] {10 + 1 * -4 + 6 * -2, 3 * -1 + 8 * -3}, TestBlobs.diff(slope),
        1e-12);
  }

  @Test
  void gradient() {
    GradientChecker checker = new GradientChecker(1e-2, 1e-3, 1701, 0, 0.01);
    // the slope feeds every element of its channel: check every top element against all inputs
    for (boolean shared : new boolean[] {false, true}) {
      Layer layer = make(prelu(shared, gaussian()), DataType.DOUBLE);
      Blob b = TestBlobs.gaussian(1701, 1.0, 2, 3, 1, 2);
      checker.checkGradientExhaustive(layer, List.of(b), List.of(new Blob(DataType.DOUBLE)), -1);
    }
  }

  @Test
  void paramGradientOnly() {
    Layer layer = make(prelu(false, null), DataType.DOUBLE);
    Blob b = TestBlobs.gaussian(3, 1.0, 2, 3, 2);
    Blob t = new Blob(DataType.DOUBLE);
    new GradientChecker(1e-2, 1e-3, 1701, 0, 0.01).checkGradient(layer, List.of(b), List.of(t));
  }

  @Test
  void inPlace() {
    inPlaceMatches(prelu(false, null));
    inPlaceMatches(prelu(true, null));
  }

  @Test
  void float32() {
    floatMatchesDouble(prelu(false, null));
  }

  @Test
  void twoAxes() {
    Layer layer = make(prelu(false, null), DataType.DOUBLE);
    Blob b = TestBlobs.of(new double[] {-4, 2, -1, 8}, 2, 2);
    Blob t = new Blob(DataType.DOUBLE);
    layer.setUp(List.of(b), List.of(t));
    layer.forward(List.of(b), List.of(t));
    assertArrayEquals(new double[] {-1, 2, -0.25, 8}, TestBlobs.data(t), 1e-12);
  }
}
