package org.kaffee.layers.neuron;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.kaffee.layers.neuron.NeuronTesting.*;

import org.junit.jupiter.api.Test;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.testing.GradientChecker;
import org.kaffee.testing.TestBlobs;
import org.nd4j.linalg.api.buffer.DataType;

import org.kaffee.proto.Caffe.ClipParameter;

class ClipLayerTest {
  private static LayerParameter clip(double min, double max) {
    return param("Clip").setClipParam(ClipParameter.newBuilder().setMin((float) min)
        .setMax((float) max)).build();
  }

  @Test
  void forwardValues() {
    assertArrayEquals(new double[] {-0.5, -0.5, 0, 0.25, 0.75, 0.75},
        forward(clip(-0.5, 0.75), -2, -0.5, 0, 0.25, 0.75, 3), 0);
  }

  @Test
  void backwardValues() {
    Pass p = pass(clip(-0.5, 0.75), TestBlobs.of(new double[] {-2, -0.5, 0.3, 0.75, 3}, 5), false,
        DataType.DOUBLE);
    double[] dy = TestBlobs.data(TestBlobs.gaussian(99, 1.0, 5));
    assertArrayEquals(new double[] {0, dy[1], dy[2], dy[3], 0}, p.bottomDiff(), 1e-12);
  }

  @Test
  void gradient() {
    // kinks at -0.6 and 0.6: the checker skips inputs with |x| within 0.02 of 0.6
    NeuronTesting.gradient(clip(-0.6, 0.6), new GradientChecker(1e-2, 1e-3, 1701, 0.6, 0.02),
        TestBlobs.gaussian(1701, 1.0, SHAPE));
  }

  @Test
  void inPlace() {
    inPlaceMatches(clip(-0.5, 0.75));
  }

  @Test
  void float32() {
    floatMatchesDouble(clip(-0.5, 0.75));
  }
}
