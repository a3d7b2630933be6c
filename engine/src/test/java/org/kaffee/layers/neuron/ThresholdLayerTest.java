package org.kaffee.layers.neuron;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.kaffee.layers.neuron.NeuronTesting.*;

import org.junit.jupiter.api.Test;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.testing.TestBlobs;
import org.nd4j.linalg.api.buffer.DataType;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.KaffeeException;
import org.kaffee.core.Layer;
import org.kaffee.proto.Caffe.ThresholdParameter;

class ThresholdLayerTest {
  private static LayerParameter threshold(double t) {
    return param("Threshold").setThresholdParam(ThresholdParameter.newBuilder()
        .setThreshold((float) t)).build();
  }

  @Test
  void forwardValues() {
    assertArrayEquals(new double[] {0, 0, 0, 1, 1}, forward(threshold(0.2), -1, 0, 0.2, 0.25, 3), 0);
    assertArrayEquals(new double[] {0, 0, 1}, forward(threshold(0), -1, 0, 0.1), 0);
  }

  @Test
  void inPlaceForward() {
    Blob b = TestBlobs.of(new double[] {-1, 0.5, 0.2}, 3);
    Layer layer = make(threshold(0.2), DataType.FLOAT);
    layer.setUp(List.of(b), List.of(b));
    layer.forward(List.of(b), List.of(b));
    assertArrayEquals(new double[] {0, 1, 0}, TestBlobs.data(b), 0);
  }

  @Test
  void hasNoBackward() {
    Blob b = TestBlobs.of(new double[] {-1, 0.5}, 2);
    Blob t = new Blob(DataType.DOUBLE);
    Layer layer = make(threshold(0.2), DataType.DOUBLE);
    layer.setUp(List.of(b), List.of(t));
    layer.backward(List.of(t), new boolean[] {false}, List.of(b)); // nothing asked: fine
    assertThrows(KaffeeException.class,
        () -> layer.backward(List.of(t), new boolean[] {true}, List.of(b)));
  }
}
