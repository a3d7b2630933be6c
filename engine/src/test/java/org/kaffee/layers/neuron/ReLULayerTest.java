package org.kaffee.layers.neuron;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.kaffee.layers.neuron.NeuronTesting.*;

import org.junit.jupiter.api.Test;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.testing.GradientChecker;
import org.kaffee.testing.TestBlobs;
import org.nd4j.linalg.api.buffer.DataType;

import org.kaffee.proto.Caffe.ReLUParameter;

class ReLULayerTest {
  private static LayerParameter relu(double slope) {
    return param("ReLU").setReluParam(ReLUParameter.newBuilder().setNegativeSlope((float) slope))
        .build();
  }

  @Test
  void forwardValues() {
    assertArrayEquals(new double[] {0, 0, 0, 1.5, 3}, forward(relu(0), -2, -0.5, 0, 1.5, 3), 0);
    assertArrayEquals(new double[] {-0.2, -0.05, 0, 1.5, 3},
        forward(relu(0.1f), -2, -0.5, 0, 1.5, 3), 1e-7);
  }

  @Test
  void backwardValues() {
    Pass p = pass(relu(0.25), TestBlobs.of(new double[] {-1, 2, -3, 4}, 4), false, DataType.DOUBLE);
    double[] dy = TestBlobs.data(TestBlobs.gaussian(99, 1.0, 4));
    assertArrayEquals(new double[] {0.25 * dy[0], dy[1], 0.25 * dy[2], dy[3]}, p.bottomDiff(), 1e-12);
  }

  @Test
  void gradient() {
    GradientChecker kink = new GradientChecker(1e-2, 1e-3, 1701, 0, 0.01);
    NeuronTesting.gradient(relu(0), kink, TestBlobs.gaussian(1701, 1.0, SHAPE));
    NeuronTesting.gradient(relu(0.01), kink, TestBlobs.gaussian(1701, 1.0, SHAPE));
  }

  @Test
  void inPlace() {
    inPlaceMatches(relu(0));
    inPlaceMatches(relu(0.1));
  }

  @Test
  void reshapeBetweenPassesUsesTheNewArrays() {
    org.kaffee.core.Layer layer = make(relu(0.5), DataType.FLOAT);
    org.kaffee.core.Blob b = new org.kaffee.core.Blob(DataType.FLOAT, 4);
    org.kaffee.core.Blob t = new org.kaffee.core.Blob(DataType.FLOAT);
    java.util.List<org.kaffee.core.Blob> bottom = java.util.List.of(b);
    java.util.List<org.kaffee.core.Blob> top = java.util.List.of(t);
    layer.setUp(bottom, top);
    b.dataView().set(0, -2);
    layer.forward(bottom, top);
    assertEquals(-1, t.dataView().get(0), 0);
    b.reshape(2, 3);
    for (int i = 0; i < 6; i++) {
      b.dataView().set(i, i % 2 == 0 ? -4 : 4);
    }
    layer.reshape(bottom, top);
    layer.forward(bottom, top);
    assertArrayEquals(new double[] {-2, 4, -2, 4, -2, 4}, TestBlobs.data(t), 0);
    for (int i = 0; i < 6; i++) {
      t.diffView().set(i, 1);
    }
    layer.backward(top, new boolean[] {true}, bottom);
    assertArrayEquals(new double[] {0.5, 1, 0.5, 1, 0.5, 1}, TestBlobs.diff(b), 0);
  }

  @Test
  void float32() {
    floatMatchesDouble(relu(0));
    floatMatchesDouble(relu(0.1));
  }

  @Test
  void float32VectorLoopsGiveTheFloat64LoopsNumbersOnLargeArrays() {
    // past the size where the cores split the array, with chunk edges, zeros and denormals
    int n = 70_001;
    double[] x = TestBlobs.data(TestBlobs.gaussian(3, 1.0, n));
    double[] special = {0, -0.0, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, 1e30, -1e30};
    for (int i = 0; i < special.length; i++) {
      x[4095 + i] = special[i];
      x[n - 1 - i] = special[i];
    }
    for (int i = 0; i < n; i++) {
      x[i] = (float) x[i];
    }
    for (double slope : new double[] {0, 0.125}) {
      Pass d = pass(relu(slope), TestBlobs.of(x, n), false, DataType.DOUBLE);
      Pass f = pass(relu(slope), TestBlobs.of(x, n), true, DataType.FLOAT);
      for (int i = 0; i < n; i++) {
        assertEquals((float) d.top()[i], f.top()[i], 0, "top " + i + " for x = " + x[i]);
        assertEquals((float) d.bottomDiff()[i], f.bottomDiff()[i], 0, "bottom diff " + i + " for x = " + x[i]);
      }
    }
  }
}
