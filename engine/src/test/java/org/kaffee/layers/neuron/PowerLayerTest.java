package org.kaffee.layers.neuron;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.kaffee.layers.neuron.NeuronTesting.*;

import org.junit.jupiter.api.Test;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.testing.GradientChecker;
import org.kaffee.testing.TestBlobs;

import org.kaffee.proto.Caffe.PowerParameter;

class PowerLayerTest {
  private static LayerParameter power(double power, double scale, double shift) {
    return param("Power").setPowerParam(PowerParameter.newBuilder().setPower((float) power)
        .setScale((float) scale).setShift((float) shift)).build();
  }

  @Test
  void forwardValues() {
    forwardMatches(power(2, 0.5, 1), x -> Math.pow(1 + 0.5 * x, 2), 1e-12, -3, -0.5, 0, 1.5);
    forwardMatches(power(1, -0.7, 0.3), x -> 0.3f + -0.7f * x, 1e-12, -3, -0.5, 0, 1.5);
    forwardMatches(power(0.37, 1.83, 2.4), x -> Math.pow(2.4f + 1.83f * x, 0.37f), 1e-12,
        0.5, 1, 1.5);
    // power * scale = 0: a constant
    assertArrayEquals(new double[] {1, 1}, forward(power(0, 0.5, 3), -1, 2), 0);
    assertArrayEquals(new double[] {9, 9}, forward(power(2, 0, 3), -1, 2), 0);
  }

  @Test
  void gradient() {
    NeuronTesting.gradient(power(2, 0.5, 1));
    NeuronTesting.gradient(power(1, -0.7, 0.3));
    NeuronTesting.gradient(power(2, 0.34, 0)); // power 2, no shift
    NeuronTesting.gradient(power(0, 0.83, -2.4)); // constant
    NeuronTesting.gradient(power(2, 0, 1)); // constant
    // general power: keep shift + scale * x positive
    NeuronTesting.gradient(power(0.37, 0.83, 2.4), new GradientChecker(1e-2, 1e-3),
        TestBlobs.uniform(1701, 0.5, 2.0, SHAPE));
    NeuronTesting.gradient(power(-0.37, 0.83, 0), new GradientChecker(1e-3, 1e-2),
        TestBlobs.uniform(1701, 0.5, 2.0, SHAPE));
    NeuronTesting.gradient(power(3, 0.5, 0));
  }

  @Test
  void inPlace() {
    inPlaceMatches(power(2, 0.5, 1));
    inPlaceMatches(power(1, -0.7, 0.3));
    inPlaceMatches(power(3, 0.5, -0.2));
    inPlaceMatches(power(3, 0.5, 0));
    inPlaceMatches(power(0, 0.5, 2));
  }

  @Test
  void float32() {
    floatMatchesDouble(power(2, 0.5, 1));
    floatMatchesDouble(power(3, 0.5, -0.2));
  }
}
