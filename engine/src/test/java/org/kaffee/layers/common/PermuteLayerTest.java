package org.kaffee.layers.common;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.kaffee.layers.common.LayerFixture.layer;
import static org.kaffee.testing.DoubleLayers.forward;
import static org.kaffee.testing.DoubleLayers.list;
import static org.kaffee.testing.DoubleLayers.tops;

import org.junit.jupiter.api.Test;
import org.kaffee.core.Blob;
import org.kaffee.core.KaffeeException;
import org.kaffee.testing.GradientChecker;
import org.kaffee.testing.TestBlobs;

class PermuteLayerTest {
  private static PermuteLayer permute(String orders) {
    return layer(PermuteLayer::new, "type: 'Permute' permute_param { " + orders + " }");
  }

  @Test
  void ssdsOrderTurnsNchwIntoNhwc() {
    Blob x = TestBlobs.gaussian(3, 1, 2, 3, 4, 5);
    Blob top = forward(permute("order: 0 order: 2 order: 3 order: 1"), 1, x).get(0);
    assertArrayEquals(new int[] {2, 4, 5, 3}, top.shape());
    double[] in = TestBlobs.data(x);
    double[] out = TestBlobs.data(top);
    for (int n = 0; n < 2; n++) {
      for (int c = 0; c < 3; c++) {
        for (int h = 0; h < 4; h++) {
          for (int w = 0; w < 5; w++) {
            org.junit.jupiter.api.Assertions.assertEquals(in[((n * 3 + c) * 4 + h) * 5 + w],
                out[((n * 4 + h) * 5 + w) * 3 + c]);
          }
        }
      }
    }
  }

  @Test
  void axesTheOrderLeavesOutFollowInTheirOwnOrder() {
    Blob top = forward(permute("order: 2"), 1, TestBlobs.gaussian(3, 1, 2, 3, 4)).get(0);
    assertArrayEquals(new int[] {4, 2, 3}, top.shape());
  }

  @Test
  void noOrderCopies() {
    Blob x = TestBlobs.gaussian(3, 1, 2, 3);
    Blob top = forward(permute(""), 1, x).get(0);
    assertArrayEquals(TestBlobs.data(x), TestBlobs.data(top));
  }

  @Test
  void gradient() {
    new GradientChecker(1e-2, 1e-3).checkGradientExhaustive(permute("order: 0 order: 2 order: 3 order: 1"),
        list(TestBlobs.gaussian(1701, 1, 2, 3, 2, 2)), tops(1), -1);
  }

  @Test
  void badOrdersAreRejected() {
    assertThrows(KaffeeException.class,
        () -> forward(permute("order: 1 order: 1"), 1, TestBlobs.gaussian(3, 1, 2, 3)));
    assertThrows(KaffeeException.class,
        () -> forward(permute("order: 4"), 1, TestBlobs.gaussian(3, 1, 2, 3)));
  }
}
