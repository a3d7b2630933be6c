package org.kaffee.layers.neuron;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.kaffee.layers.neuron.NeuronTesting.*;

import org.junit.jupiter.api.Test;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.proto.Caffe.ReLU6Parameter;
import org.kaffee.testing.GradientChecker;
import org.kaffee.testing.TestBlobs;
import org.nd4j.linalg.api.buffer.DataType;

class ReLU6LayerTest {
  private static LayerParameter relu6(double slope) {
    return param("ReLU6").setRelu6Param(ReLU6Parameter.newBuilder().setNegativeSlope((float) slope))
        .build();
  }

  @Test
  void forwardValues() {
    assertArrayEquals(new double[] {0, 0, 1.5, 6, 6}, forward(relu6(0), -2, 0, 1.5, 6, 9.5), 0);
    assertArrayEquals(new double[] {-0.2, 0, 1.5, 6}, forward(relu6(0.1), -2, 0, 1.5, 8), 1e-7);
  }

  @Test
  void backwardValues() {
    Pass p = pass(relu6(0.25), TestBlobs.of(new double[] {-1, 2, 7, 5.5}, 4), false, DataType.DOUBLE);
    double[] dy = TestBlobs.data(TestBlobs.gaussian(99, 1.0, 4));
    assertArrayEquals(new double[] {0.25 * dy[0], dy[1], 0, dy[3]}, p.bottomDiff(), 1e-12);
  }

  @Test
  void gradientAroundZero() {
    GradientChecker kink = new GradientChecker(1e-2, 1e-3, 1701, 0, 0.01);
    NeuronTesting.gradient(relu6(0), kink, TestBlobs.gaussian(1701, 1.0, SHAPE));
    NeuronTesting.gradient(relu6(0.1), kink, TestBlobs.gaussian(1701, 1.0, SHAPE));
  }

  @Test
  void gradientAroundSix() {
    // values on both sides of 6, none within the checker's step of a kink
    double[] x = {-3.2, -0.4, 0.7, 2.5, 4.9, 5.6, 6.4, 7.1, 8.3, 11};
    NeuronTesting.gradient(relu6(0.2), new GradientChecker(1e-2, 1e-3, 1701, 6, 0.05),
        TestBlobs.of(x, 2, 5));
  }

  @Test
  void inPlace() {
    inPlaceMatches(relu6(0));
    inPlaceMatches(relu6(0.1));
  }

  @Test
  void float32() {
    floatMatchesDouble(relu6(0.1));
  }
}
