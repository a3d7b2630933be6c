package org.kaffee.layers.common;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.kaffee.layers.common.LayerFixture.*;
import static org.kaffee.testing.DoubleLayers.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kaffee.core.Blob;
import org.kaffee.core.KaffeeException;
import org.kaffee.testing.GradientChecker;
import org.kaffee.testing.TestBlobs;
import org.nd4j.linalg.api.buffer.DataType;

class InnerProductLayerTest {
  /** An InnerProduct layer with this inner_product_param. */
  private static InnerProductLayer ip(String param) {
    return layer(InnerProductLayer::new, "type: 'InnerProduct' inner_product_param { " + param + " }");
  }

  /** The 2 x 3 input 1..6 of the by-hand cases. */
  private static Blob oneToSix() {
    return TestBlobs.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
  }

  private static void set(Blob blob, double... values) {
    for (int i = 0; i < values.length; i++) {
      blob.dataView().set(i, values[i]);
    }
  }

  @Test
  void forwardOnTwoByThreeByHand() {
    InnerProductLayer ip = ip("num_output: 2");
    Blob x = oneToSix();
    List<Blob> top = tops(1);
    ip.setUp(list(x), top);
    assertArrayEquals(new int[] {2, 3}, ip.blobs().get(0).shape());
    set(ip.blobs().get(0), 1, 0, -1, 0.5, 0.5, 0.5);
    set(ip.blobs().get(1), 10, -1);
    run(ip, list(x), top);
    assertArrayEquals(new int[] {2, 2}, top.get(0).shape());
    // row 0: 1-3+10 = 8, 0.5*(1+2+3)-1 = 2; row 1: 4-6+10 = 8, 0.5*15-1 = 6.5
    assertValues(new double[] {8, 2, 8, 6.5}, top.get(0), 1e-12);
  }

  @Test
  void transposedWeightGivesTheSameProduct() {
    InnerProductLayer ip = ip("num_output: 2 transpose: true bias_term: false");
    Blob x = oneToSix();
    List<Blob> top = tops(1);
    ip.setUp(list(x), top);
    assertArrayEquals(new int[] {3, 2}, ip.blobs().get(0).shape());
    assertArrayEquals(new int[] {1}, new int[] {ip.blobs().size()});
    set(ip.blobs().get(0), 1, 0.5, 0, 0.5, -1, 0.5);
    run(ip, list(x), top);
    assertValues(new double[] {-2, 3, -2, 7.5}, top.get(0), 1e-12);
  }

  @Test
  void flattensFromAxisAndKeepsLeadingAxes() {
    InnerProductLayer ip = ip("num_output: 5 axis: 2 weight_filler { type: 'gaussian' }");
    Blob x = TestBlobs.gaussian(1, 1, 2, 3, 4, 2);
    List<Blob> top = tops(1);
    ip.setUp(list(x), top);
    assertArrayEquals(new int[] {2, 3, 5}, top.get(0).shape());
    assertArrayEquals(new int[] {5, 8}, ip.blobs().get(0).shape());
  }

  @Test
  void rejectsAChangedInputSize() {
    InnerProductLayer ip = ip("num_output: 2");
    ip.setUp(list(TestBlobs.gaussian(1, 1, 2, 3)), tops(1));
    assertThrows(KaffeeException.class, () -> ip.reshape(list(TestBlobs.gaussian(1, 1, 2, 4)), tops(1)));
  }

  @Test
  void gradient() {
    InnerProductLayer ip = ip("num_output: 4 "
        + "weight_filler { type: 'uniform' } bias_filler { type: 'uniform' min: 1 max: 2 }");
    new GradientChecker(1e-2, 1e-3).checkGradientExhaustive(ip,
        list(TestBlobs.gaussian(2, 1, 2, 3, 2)), tops(1), -1);
  }

  @Test
  void gradientTransposed() {
    InnerProductLayer ip = ip("num_output: 7 transpose: true "
        + "weight_filler { type: 'gaussian' } bias_filler { type: 'gaussian' }");
    new GradientChecker(1e-2, 1e-3).checkGradient(ip, list(TestBlobs.gaussian(3, 1, 3, 2, 3)),
        tops(1));
  }

  @Test
  void paramGradientsAccumulate() {
    InnerProductLayer ip = ip("num_output: 2");
    Blob x = oneToSix();
    List<Blob> top = tops(1);
    ip.setUp(list(x), top);
    ip.setParamPropagateDown(0, true);
    ip.setParamPropagateDown(1, true);
    run(ip, list(x), top);
    top.get(0).diff().assign(1);
    ip.backward(top, new boolean[] {true}, list(x));
    ip.backward(top, new boolean[] {true}, list(x));
    // dW[n, k] = sum_m dy[m, n] x[m, k], twice.
    assertDiff(new double[] {10, 14, 18, 10, 14, 18}, ip.blobs().get(0), 1e-12);
    assertDiff(new double[] {4, 4}, ip.blobs().get(1), 1e-12);
    assertDiff(new double[] {0, 0, 0, 0, 0, 0}, x, 1e-12);
  }

  @Test
  void float32CblasPathMatchesFloat64() {
    for (String transpose : new String[] {"false", "true"}) {
      for (String bias : new String[] {"false", "true"}) {
        String text = "type: 'InnerProduct' inner_product_param { num_output: 7 transpose: " + transpose
            + " bias_term: " + bias + " weight_filler { type: 'gaussian' } bias_filler { type: 'gaussian' } }";
        double[][] f64 = forwardBackward(text, DataType.DOUBLE);
        double[][] f32 = forwardBackward(text, DataType.FLOAT);
        for (int i = 0; i < f64.length; i++) {
          assertArrayEquals(f64[i], f32[i], 1e-4, "output " + i + " with transpose " + transpose + ", bias " + bias);
        }
      }
    }
  }

  /** top data, bottom diff and param diffs (after two backward passes) of a 5 x 9 input in {@code type}. */
  private static double[][] forwardBackward(String text, DataType type) {
    InnerProductLayer ip = layer(InnerProductLayer::new, text);
    ip.setDataType(type);
    org.kaffee.core.Rng.seed(3);
    Blob x = new Blob(type, 5, 9);
    x.data().assign(TestBlobs.gaussian(4, 1, 5, 9).data().castTo(type));
    List<Blob> top = list(new Blob(type));
    ip.setUp(list(x), top);
    for (int i = 0; i < ip.blobs().size(); i++) {
      ip.setParamPropagateDown(i, true);
    }
    run(ip, list(x), top);
    top.get(0).diff().assign(TestBlobs.gaussian(6, 1, 5, 7).data().castTo(type));
    ip.backward(top, new boolean[] {true}, list(x));
    ip.backward(top, new boolean[] {true}, list(x));
    double[][] out = new double[2 + ip.blobs().size()][];
    out[0] = TestBlobs.data(top.get(0));
    out[1] = TestBlobs.diff(x);
    for (int i = 0; i < ip.blobs().size(); i++) {
      out[2 + i] = TestBlobs.diff(ip.blobs().get(i));
    }
    return out;
  }
}
