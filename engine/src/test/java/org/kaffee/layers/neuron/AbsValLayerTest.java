package org.kaffee.layers.neuron;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.kaffee.layers.neuron.NeuronTesting.*;

import org.junit.jupiter.api.Test;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.testing.GradientChecker;
import org.kaffee.testing.TestBlobs;
import org.nd4j.linalg.api.buffer.DataType;

class AbsValLayerTest extends NeuronLayerContract {
  private static final LayerParameter P = param("AbsVal").build();

  @Override
  LayerParameter layer() {
    return P;
  }

  /** Caffe's AbsVal check: |x| has a kink at 0, so inputs within 0.01 of it are skipped. */
  @Override
  GradientChecker gradientChecker() {
    return new GradientChecker(1e-3, 1e-2, 1701, 0, 0.01);
  }

  @Test
  void forwardValues() {
    assertArrayEquals(new double[] {2, 0.5, 0, 1.5}, forward(P, -2, -0.5, 0, 1.5), 0);
  }

  @Test
  void backwardAtZeroIsZero() {
    Pass p = pass(P, TestBlobs.of(new double[] {-1, 0, 3}, 3), false, DataType.DOUBLE);
    double[] dy = TestBlobs.data(TestBlobs.gaussian(99, 1.0, 3));
    assertArrayEquals(new double[] {-dy[0], 0, dy[2]}, p.bottomDiff(), 1e-12);
  }
}
