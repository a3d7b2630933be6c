package org.kaffee.layers.neuron;

import static org.kaffee.layers.neuron.NeuronTesting.*;

import org.junit.jupiter.api.Test;
import org.kaffee.proto.Caffe.LayerParameter;

import org.kaffee.proto.Caffe.ExpParameter;

class ExpLayerTest {
  private static LayerParameter exp(double base, double scale, double shift) {
    return param("Exp").setExpParam(ExpParameter.newBuilder().setBase((float) base)
        .setScale((float) scale).setShift((float) shift)).build();
  }

  @Test
  void forwardValues() {
    forwardMatches(exp(-1, 1, 0), Math::exp, 1e-12, -2, 0, 1.5);
    forwardMatches(exp(-1, 0.5, 0.1), x -> Math.exp(0.1f + 0.5 * x), 1e-12, -2, 0, 1.5);
    forwardMatches(exp(2, 1, 0), x -> Math.pow(2, x), 1e-12, -2, 0, 1.5);
    forwardMatches(exp(2, 0.5, 1.5), x -> Math.pow(2, 1.5 + 0.5 * x), 1e-12, -2, 0, 1.5);
  }

  @Test
  void gradient() {
    NeuronTesting.gradient(exp(-1, 1, 0));
    NeuronTesting.gradient(exp(2, 0.5, 1.5));
    NeuronTesting.gradient(exp(-1, 0.5, 0.1));
  }

  @Test
  void inPlace() {
    inPlaceMatches(exp(2, 0.5, 1.5));
  }

  @Test
  void float32() {
    floatMatchesDouble(exp(2, 0.5, 1.5));
  }

  @Test
  void rejectsNegativeBase() {
    org.junit.jupiter.api.Assertions.assertThrows(org.kaffee.core.KaffeeException.class,
        () -> new ExpLayer(exp(-2, 1, 0)));
  }
}
