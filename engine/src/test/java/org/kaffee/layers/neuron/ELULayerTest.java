package org.kaffee.layers.neuron;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.kaffee.layers.neuron.NeuronTesting.*;

import org.junit.jupiter.api.Test;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.testing.GradientChecker;
import org.kaffee.testing.TestBlobs;
import org.nd4j.linalg.api.buffer.DataType;

import org.kaffee.proto.Caffe.ELUParameter;

class ELULayerTest {
  private static LayerParameter elu(double alpha) {
    return param("ELU").setEluParam(ELUParameter.newBuilder().setAlpha((float) alpha)).build();
  }

  @Test
  void forwardValues() {
    forwardMatches(elu(0.5), x -> x > 0 ? x : 0.5 * (Math.exp(x) - 1), 1e-12, -3, -0.5, 0, 1.5);
    forwardMatches(elu(1), x -> x > 0 ? x : Math.exp(x) - 1, 1e-12, -3, -0.5, 0, 1.5);
  }

  @Test
  void backwardValues() {
    Pass p = pass(elu(0.5), TestBlobs.of(new double[] {-1, 2, 0}, 3), false, DataType.DOUBLE);
    double[] dy = TestBlobs.data(TestBlobs.gaussian(99, 1.0, 3));
    assertArrayEquals(new double[] {dy[0] * 0.5 * Math.exp(-1), dy[1], dy[2] * 0.5},
        p.bottomDiff(), 1e-12);
  }

  @Test
  void gradient() {
    NeuronTesting.gradient(elu(1), new GradientChecker(1e-2, 1e-3, 1701, 0, 0.01),
        TestBlobs.gaussian(1701, 1.0, SHAPE));
    NeuronTesting.gradient(elu(0.5), new GradientChecker(1e-2, 1e-3, 1701, 0, 0.01),
        TestBlobs.gaussian(1701, 1.0, SHAPE));
  }

  @Test
  void inPlace() {
    inPlaceMatches(elu(0.5));
  }

  @Test
  void float32() {
    floatMatchesDouble(elu(0.5));
  }
}
