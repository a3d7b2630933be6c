package org.kaffee.layers.neuron;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.kaffee.layers.neuron.NeuronTesting.*;

import org.junit.jupiter.api.Test;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.testing.TestBlobs;
import org.nd4j.linalg.api.buffer.DataType;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.Layer;
import org.kaffee.core.Rng;
import org.kaffee.proto.Caffe.DropoutParameter;
import org.kaffee.proto.Caffe.Phase;

class DropoutLayerTest {
  private static LayerParameter dropout(double ratio, Phase phase) {
    return param("Dropout").setPhase(phase).setDropoutParam(DropoutParameter.newBuilder()
        .setDropoutRatio((float) ratio)).build();
  }

  @Test
  void testPhaseIsIdentity() {
    Blob input = TestBlobs.gaussian(5, 1.0, SHAPE);
    Pass p = pass(dropout(0.3, Phase.TEST), input, false, DataType.DOUBLE);
    assertArrayEquals(TestBlobs.data(input), p.top(), 0);
    assertArrayEquals(TestBlobs.data(TestBlobs.gaussian(99, 1.0, SHAPE)), p.bottomDiff(), 0);
    Pass q = pass(dropout(0.3, Phase.TEST), input, true, DataType.FLOAT);
    assertArrayEquals(TestBlobs.data(input), q.top(), 1e-6);
  }

  @Test
  void trainScalesKeptValuesAndDropsTheRatio() {
    for (double ratio : new double[] {0.3, 0.5, 0.8}) {
      int n = 20000;
      Blob input = TestBlobs.uniform(5, 0.5, 1.5, n);
      Pass p = pass(dropout(ratio, Phase.TRAIN), input, false, DataType.FLOAT);
      double[] x = TestBlobs.data(input);
      double[] dy = TestBlobs.data(TestBlobs.gaussian(99, 1.0, n));
      double scale = 1 / (1 - (float) ratio);
      int dropped = 0;
      for (int i = 0; i < n; i++) {
        if (p.top()[i] == 0) {
          dropped++;
          assertEquals(0, p.bottomDiff()[i], 0);
        } else {
          assertEquals(x[i] * scale, p.top()[i], 1e-5 * scale);
          assertEquals(dy[i] * scale, p.bottomDiff()[i], 1e-5 * scale);
        }
      }
      assertEquals(ratio, dropped / (double) n, 0.015, "fraction dropped");
    }
  }

  @Test
  void sameSeedSameMask() {
    Blob input = TestBlobs.gaussian(5, 1.0, SHAPE);
    Pass a = pass(dropout(0.5, Phase.TRAIN), input, false, DataType.DOUBLE);
    Pass b = pass(dropout(0.5, Phase.TRAIN), input, false, DataType.DOUBLE);
    assertArrayEquals(a.top(), b.top(), 0);
  }

  @Test
  void gradient() {
    NeuronTesting.gradient(dropout(0.5, Phase.TRAIN));
    NeuronTesting.gradient(dropout(0.5, Phase.TEST));
  }

  @Test
  void inPlace() {
    inPlaceMatches(dropout(0.5, Phase.TRAIN));
    inPlaceMatches(dropout(0.5, Phase.TEST));
  }

  @Test
  void float32() {
    floatMatchesDouble(dropout(0.3, Phase.TRAIN));
  }

  @Test
  void newMaskEveryForward() {
    Layer layer = make(dropout(0.5, Phase.TRAIN), DataType.FLOAT);
    Blob b = TestBlobs.uniform(1, 1, 2, 100);
    Blob t = new Blob(DataType.DOUBLE);
    Rng.seed(3);
    layer.setUp(List.of(b), List.of(t));
    layer.forward(List.of(b), List.of(t));
    double[] first = TestBlobs.data(t);
    layer.forward(List.of(b), List.of(t));
    double[] second = TestBlobs.data(t);
    boolean differs = false;
    for (int i = 0; i < first.length; i++) {
      differs |= (first[i] == 0) != (second[i] == 0);
    }
    assertTrue(differs);
  }
}
