package org.kaffee.layers.neuron;

import static org.kaffee.layers.neuron.NeuronTesting.SHAPE;

import org.junit.jupiter.api.Test;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.testing.GradientChecker;
import org.kaffee.testing.TestBlobs;

/**
 * What every parameter-free element-wise layer must do, whatever its formula: pass Caffe's
 * gradient check, give the same numbers in place, and in float32 to float precision.
 */
abstract class NeuronLayerContract {
  /** The layer under test. */
  abstract LayerParameter layer();

  /** Caffe's checker for smooth layers; a layer with a kink overrides it to skip the kink. */
  GradientChecker gradientChecker() {
    return new GradientChecker(1e-2, 1e-3);
  }

  @Test
  void gradient() {
    NeuronTesting.gradient(layer(), gradientChecker(), TestBlobs.gaussian(1701, 1.0, SHAPE));
  }

  @Test
  void inPlace() {
    NeuronTesting.inPlaceMatches(layer());
  }

  @Test
  void float32() {
    NeuronTesting.floatMatchesDouble(layer());
  }
}
