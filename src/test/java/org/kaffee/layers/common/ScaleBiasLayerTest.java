package org.kaffee.layers.common;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.kaffee.layers.common.LayerFixture.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kaffee.core.Blob;
import org.kaffee.testing.GradientChecker;
import org.kaffee.testing.TestBlobs;

class ScaleBiasLayerTest {
  private static Blob x() {
    return TestBlobs.of(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 2, 3, 2);
  }

  @Test
  void scaleWithBiasByHand() {
    ScaleLayer s = layer(ScaleLayer::new, "type: 'Scale' scale_param { bias_term: true }");
    Blob x = x();
    List<Blob> top = tops(1);
    s.setUp(list(x), top);
    assertEquals(2, s.blobs().size());
    assertArrayEquals(new int[] {3}, s.blobs().get(0).shape());
    assertValues(new double[] {1, 1, 1}, s.blobs().get(0), 0);  // default filler: constant 1
    for (int i = 0; i < 3; i++) {
      s.blobs().get(0).dataView().set(i, i + 1);
      s.blobs().get(1).dataView().set(i, -10 * i);
    }
    run(s, list(x), top);
    assertValues(new double[] {1, 2, -4, -2, -5, -2, 7, 8, 8, 10, 13, 16}, top.get(0), 1e-12);
  }

  @Test
  void scaleByASecondBottomWithNumAxes() {
    ScaleLayer s = layer(ScaleLayer::new, "type: 'Scale' scale_param { axis: 0 }");
    Blob x = x();
    Blob f = TestBlobs.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
    List<Blob> top = tops(1);
    s.setUp(list(x, f), top);
    run(s, list(x, f), top);
    assertValues(new double[] {1, 2, 6, 8, 15, 18, 28, 32, 45, 50, 66, 72}, top.get(0), 1e-12);
  }

  @Test
  void scaleGradients() {
    GradientChecker checker = new GradientChecker(1e-2, 1e-3);
    checker.checkGradient(layer(ScaleLayer::new, "type: 'Scale' scale_param { bias_term: true "
        + "filler { type: 'gaussian' } bias_filler { type: 'gaussian' } }"),
        list(TestBlobs.gaussian(1, 1, 2, 3, 2)), tops(1));
    checker.checkGradient(layer(ScaleLayer::new, "type: 'Scale' scale_param { axis: 1 num_axes: -1 }"),
        list(TestBlobs.gaussian(1, 1, 2, 3, 2)), tops(1));
    checker.checkGradient(layer(ScaleLayer::new, "type: 'Scale' scale_param { num_axes: 0 filler { type: 'gaussian' } }"),
        list(TestBlobs.gaussian(1, 1, 2, 3)), tops(1));
    checker.checkGradient(layer(ScaleLayer::new, "type: 'Scale' scale_param { axis: 1 bias_term: true }"),
        list(TestBlobs.gaussian(1, 1, 2, 3, 2), TestBlobs.gaussian(2, 1, 3)), tops(1));
  }

  @Test
  void inPlaceScaleMatchesOutOfPlace() {
    String p = "type: 'Scale' scale_param { bias_term: true filler { type: 'gaussian' } "
        + "bias_filler { type: 'gaussian' } }";
    org.kaffee.core.Rng.seed(3);
    ScaleLayer a = layer(ScaleLayer::new, p);
    Blob xa = TestBlobs.gaussian(3, 1, 2, 3, 2);
    List<Blob> top = tops(1);
    a.setUp(list(xa), top);
    run(a, list(xa), top);
    top.get(0).diff().assign(TestBlobs.gaussian(4, 1, 2, 3, 2).data());
    a.backward(top, new boolean[] {true}, list(xa));
    org.kaffee.core.Rng.seed(3);
    ScaleLayer b = layer(ScaleLayer::new, p);
    Blob xb = TestBlobs.gaussian(3, 1, 2, 3, 2);
    b.setUp(list(xb), list(xb));
    run(b, list(xb), list(xb));
    assertValues(TestBlobs.data(top.get(0)), xb, 1e-12);
    xb.diff().assign(TestBlobs.gaussian(4, 1, 2, 3, 2).data());
    b.backward(list(xb), new boolean[] {true}, list(xb));
    assertDiff(TestBlobs.diff(xa), xb, 1e-12);
    assertDiff(TestBlobs.diff(a.blobs().get(0)), b.blobs().get(0), 1e-12);
    assertDiff(TestBlobs.diff(a.blobs().get(1)), b.blobs().get(1), 1e-12);
  }

  @Test
  void biasByHandAndGradients() {
    BiasLayer b = layer(BiasLayer::new, "type: 'Bias' bias_param { axis: -1 }");
    Blob x = x();
    Blob bias = TestBlobs.of(new double[] {100, 200}, 2);
    List<Blob> top = tops(1);
    b.setUp(list(x, bias), top);
    run(b, list(x, bias), top);
    assertValues(new double[] {101, 202, 103, 204, 105, 206, 107, 208, 109, 210, 111, 212}, top.get(0), 1e-12);
    GradientChecker checker = new GradientChecker(1e-2, 1e-3);
    checker.checkGradient(layer(BiasLayer::new, "type: 'Bias' bias_param { filler { type: 'gaussian' } }"),
        list(TestBlobs.gaussian(1, 1, 2, 3, 2)), tops(1));
    checker.checkGradient(layer(BiasLayer::new, "type: 'Bias' bias_param { axis: 0 }"),
        list(TestBlobs.gaussian(1, 1, 2, 3, 2), TestBlobs.gaussian(2, 1, 2, 3)), tops(1));
    BiasLayer learned = layer(BiasLayer::new, "type: 'Bias'");
    learned.setUp(list(x), tops(1));
    assertValues(new double[] {0, 0, 0}, learned.blobs().get(0), 0);
  }
}
