package org.kaffee.layers.common;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.kaffee.layers.common.LayerFixture.*;
import static org.kaffee.testing.DoubleLayers.*;

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
    List<Blob> top = forward(s, 1, x, f);
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
    // the same seed gives both copies the same random scale and bias
    assertInPlaceMatchesOutOfPlace(() -> {
      org.kaffee.core.Rng.seed(3);
      return layer(ScaleLayer::new, p);
    }, 3, 4, 2, 3, 2);
  }

  @Test
  void biasByHandAndGradients() {
    BiasLayer b = layer(BiasLayer::new, "type: 'Bias' bias_param { axis: -1 }");
    Blob x = x();
    Blob bias = TestBlobs.of(new double[] {100, 200}, 2);
    List<Blob> top = forward(b, 1, x, bias);
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
