package org.kaffee.layers.neuron;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.kaffee.layers.neuron.NeuronTesting.*;

import org.junit.jupiter.api.Test;
import org.kaffee.proto.Caffe.LayerParameter;

class BNLLLayerTest extends NeuronLayerContract {
  private static final LayerParameter P = param("BNLL").build();

  @Override
  LayerParameter layer() {
    return P;
  }

  @Test
  void forwardValues() {
    forwardMatches(P, x -> Math.log1p(Math.exp(x)), 1e-12, -40, -2, -0.5, 0, 1.5, 20);
    assertArrayEquals(new double[] {100}, forward(P, 100), 1e-12); // no overflow
  }
}
