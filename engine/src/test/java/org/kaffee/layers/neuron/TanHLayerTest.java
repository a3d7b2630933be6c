package org.kaffee.layers.neuron;

import static org.kaffee.layers.neuron.NeuronTesting.*;

import org.junit.jupiter.api.Test;
import org.kaffee.proto.Caffe.LayerParameter;

class TanHLayerTest extends NeuronLayerContract {
  private static final LayerParameter P = param("TanH").build();

  @Override
  LayerParameter layer() {
    return P;
  }

  @Test
  void forwardValues() {
    forwardMatches(P, Math::tanh, 1e-12, -30, -2, -0.5, 0, 1.5, 30);
  }
}
