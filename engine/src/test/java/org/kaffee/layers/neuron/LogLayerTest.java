package org.kaffee.layers.neuron;

import static org.kaffee.layers.neuron.NeuronTesting.*;

import org.junit.jupiter.api.Test;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.testing.GradientChecker;
import org.kaffee.testing.TestBlobs;

import org.kaffee.proto.Caffe.LogParameter;

class LogLayerTest {
  private static LayerParameter log(double base, double scale, double shift) {
    return param("Log").setLogParam(LogParameter.newBuilder().setBase((float) base)
        .setScale((float) scale).setShift((float) shift)).build();
  }

  @Test
  void forwardValues() {
    forwardMatches(log(-1, 1, 0), Math::log, 1e-12, 0.25, 1, 3);
    forwardMatches(log(2, 0.2, 1.5), x -> Math.log(1.5 + 0.2f * x) / Math.log(2), 1e-9,
        -2, 0, 1.5);
  }

  @Test
  void gradient() {
    // positive inputs, away from the pole at shift + scale * x = 0
    NeuronTesting.gradient(log(-1, 1, 0), new GradientChecker(1e-3, 1e-2),
        TestBlobs.uniform(1701, 0.5, 2.0, SHAPE));
    NeuronTesting.gradient(log(2, 0.2, 1.5), new GradientChecker(1e-2, 1e-3),
        TestBlobs.gaussian(1701, 1.0, SHAPE));
    NeuronTesting.gradient(log(-1, 0.1, 1), new GradientChecker(1e-2, 1e-3),
        TestBlobs.gaussian(1701, 1.0, SHAPE));
  }

  @Test
  void inPlace() {
    inPlaceMatches(log(2, 0.2, 1.5));
  }

  @Test
  void float32() {
    floatMatchesDouble(log(2, 0.2, 1.5));
  }
}
