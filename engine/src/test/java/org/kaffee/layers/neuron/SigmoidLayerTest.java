package org.kaffee.layers.neuron;

import static org.kaffee.layers.neuron.NeuronTesting.*;

import org.junit.jupiter.api.Test;
import org.kaffee.proto.Caffe.LayerParameter;

class SigmoidLayerTest extends NeuronLayerContract {
  private static final LayerParameter P = param("Sigmoid").build();

  @Override
  LayerParameter layer() {
    return P;
  }

  @Test
  void forwardValues() {
    forwardMatches(P, x -> 1 / (1 + Math.exp(-x)), 1e-12, -30, -2, -0.5, 0, 1.5, 30);
  }
}
