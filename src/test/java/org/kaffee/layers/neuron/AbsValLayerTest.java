package org.kaffee.layers.neuron;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.kaffee.layers.neuron.NeuronTesting.*;

import org.junit.jupiter.api.Test;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.testing.GradientChecker;
import org.kaffee.testing.TestBlobs;
import org.nd4j.linalg.api.buffer.DataType;

class AbsValLayerTest {
  private static final LayerParameter P = param("AbsVal").build();

  @Test
  void forwardValues() {
    assertArrayEquals(new double[] {2, 0.5, 0, 1.5}, forward(P, -2, -0.5, 0, 1.5), 0);
  }

  @Test
  void backwardAtZeroIsZero() {
    Pass p = pass(P, TestBlobs.of(new double[] {-1, 0, 3}, 3), false, DataType.DOUBLE);
    double[] dy = TestBlobs.data(TestBlobs.gaussian(99, 1.0, 3));
    assertArrayEquals(new double[] {-dy[0], 0, dy[2]}, p.bottomDiff(), 1e-12);
  }

  @Test
  void gradient() {
    NeuronTesting.gradient(P, new GradientChecker(1e-3, 1e-2, 1701, 0, 0.01),
        TestBlobs.gaussian(1701, 1.0, SHAPE));
  }

  @Test
  void inPlace() {
    inPlaceMatches(P);
  }

  @Test
  void float32() {
    floatMatchesDouble(P);
  }
}
