package org.kaffee.layers.neuron;

import static org.kaffee.layers.neuron.NeuronTesting.*;

import org.junit.jupiter.api.Test;
import org.kaffee.proto.Caffe.LayerParameter;

import org.kaffee.proto.Caffe.SwishParameter;

class SwishLayerTest {
  private static LayerParameter swish(double beta) {
    return param("Swish").setSwishParam(SwishParameter.newBuilder().setBeta((float) beta)).build();
  }

  @Test
  void forwardValues() {
    forwardMatches(swish(1), x -> x / (1 + Math.exp(-x)), 1e-12, -3, -0.5, 0, 1.5);
    forwardMatches(swish(1.5), x -> x / (1 + Math.exp(-1.5 * x)), 1e-12, -3, -0.5, 0, 1.5);
  }

  @Test
  void gradient() {
    NeuronTesting.gradient(swish(1));
    NeuronTesting.gradient(swish(1.5));
  }

  @Test
  void inPlace() {
    inPlaceMatches(swish(1.5));
  }

  @Test
  void float32() {
    floatMatchesDouble(swish(1.5));
  }
}
