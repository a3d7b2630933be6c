package org.kaffee.layers.common;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.kaffee.layers.common.LayerFixture.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kaffee.core.Blob;
import org.kaffee.core.KaffeeException;
import org.kaffee.testing.GradientChecker;
import org.kaffee.testing.TestBlobs;

class InnerProductLayerTest {
  private static void set(Blob blob, double... values) {
    for (int i = 0; i < values.length; i++) {
      blob.dataView().set(i, values[i]);
    }
  }

  @Test
  void forwardOnTwoByThreeByHand() {
    InnerProductLayer ip = layer(InnerProductLayer::new,
        "type: 'InnerProduct' inner_product_param { num_output: 2 }");
    Blob x = TestBlobs.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
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
    InnerProductLayer ip = layer(InnerProductLayer::new,
        "type: 'InnerProduct' inner_product_param { num_output: 2 transpose: true bias_term: false }");
    Blob x = TestBlobs.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
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
    InnerProductLayer ip = layer(InnerProductLayer::new,
        "type: 'InnerProduct' inner_product_param { num_output: 5 axis: 2 "
        + "weight_filler { type: 'gaussian' } }");
    Blob x = TestBlobs.gaussian(1, 1, 2, 3, 4, 2);
    List<Blob> top = tops(1);
    ip.setUp(list(x), top);
    assertArrayEquals(new int[] {2, 3, 5}, top.get(0).shape());
    assertArrayEquals(new int[] {5, 8}, ip.blobs().get(0).shape());
  }

  @Test
  void rejectsAChangedInputSize() {
    InnerProductLayer ip = layer(InnerProductLayer::new,
        "type: 'InnerProduct' inner_product_param { num_output: 2 }");
    ip.setUp(list(TestBlobs.gaussian(1, 1, 2, 3)), tops(1));
    assertThrows(KaffeeException.class, () -> ip.reshape(list(TestBlobs.gaussian(1, 1, 2, 4)), tops(1)));
  }

  @Test
  void gradient() {
    InnerProductLayer ip = layer(InnerProductLayer::new,
        "type: 'InnerProduct' inner_product_param { num_output: 4 "
        + "weight_filler { type: 'uniform' } bias_filler { type: 'uniform' min: 1 max: 2 } }");
    new GradientChecker(1e-2, 1e-3).checkGradientExhaustive(ip,
        list(TestBlobs.gaussian(2, 1, 2, 3, 2)), tops(1), -1);
  }

  @Test
  void gradientTransposed() {
    InnerProductLayer ip = layer(InnerProductLayer::new,
        "type: 'InnerProduct' inner_product_param { num_output: 7 transpose: true "
        + "weight_filler { type: 'gaussian' } bias_filler { type: 'gaussian' } }");
    new GradientChecker(1e-2, 1e-3).checkGradient(ip, list(TestBlobs.gaussian(3, 1, 3, 2, 3)),
        tops(1));
  }

  @Test
  void paramGradientsAccumulate() {
    InnerProductLayer ip = layer(InnerProductLayer::new,
        "type: 'InnerProduct' inner_product_param { num_output: 2 }");
    Blob x = TestBlobs.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
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
}
