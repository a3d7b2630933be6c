package org.kaffee.layers.vision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.kaffee.testing.DoubleLayers.assertValues;
import static org.kaffee.testing.DoubleLayers.forward;
import static org.kaffee.testing.DoubleLayers.list;
import static org.kaffee.testing.DoubleLayers.tops;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kaffee.core.Blob;
import org.kaffee.core.KaffeeException;
import org.kaffee.testing.DoubleLayers;
import org.kaffee.testing.GradientChecker;
import org.kaffee.testing.TestBlobs;

class UpsampleLayerTest {
  private static UpsampleLayer upsample(String p) {
    return DoubleLayers.fromText(UpsampleLayer::new, "up", "type: 'Upsample' upsample_param { " + p + " }");
  }

  @Test
  void oneBottomRepeatsEachValueInAScaleByScaleBlock() {
    Blob top = forward(upsample("scale: 2"), 1, TestBlobs.of(new double[] {1, 2, 3, 4}, 1, 1, 2, 2)).get(0);
    assertValues(new double[] {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4}, top, 0);
  }

  @Test
  void oneBottomGradientSumsEachBlock() {
    new GradientChecker(1e-2, 1e-3).checkGradientExhaustive(upsample("scale_h: 2 scale_w: 3"),
        list(TestBlobs.gaussian(1701, 1, 2, 2, 2, 3)), tops(1), -1);
  }

  @Test
  void aMaskPutsEachValueWhereThePoolingFoundIt() {
    Blob values = TestBlobs.of(new double[] {5, 6, 7, 8}, 1, 1, 2, 2);
    Blob mask = TestBlobs.of(new double[] {0, 3, 10, 15}, 1, 1, 2, 2);
    UpsampleLayer layer = upsample("scale: 2");
    List<Blob> top = forward(layer, 1, values, mask);
    assertValues(new double[] {5, 0, 0, 6, 0, 0, 0, 0, 0, 0, 7, 0, 0, 0, 0, 8}, top.get(0), 0);
    double[] dy = new double[16];
    for (int i = 0; i < 16; i++) {
      dy[i] = i + 0.5;
    }
    top.get(0).diff().assign(TestBlobs.of(dy, 1, 1, 4, 4).data());
    layer.backward(top, new boolean[] {true, false}, list(values, mask));
    assertArrayEquals(new double[] {0.5, 3.5, 10.5, 15.5}, TestBlobs.diff(values), 0);
  }

  @Test
  void padOutAndExplicitSizes() {
    Blob values = TestBlobs.gaussian(1, 1, 1, 2, 2, 2);
    Blob mask = TestBlobs.of(new double[] {0, 1, 2, 3, 0, 1, 2, 3}, 1, 2, 2, 2);
    assertArrayEquals(new int[] {1, 2, 3, 4},
        forward(upsample("scale: 2 pad_out_h: true"), 1, values, mask).get(0).shape());
    assertArrayEquals(new int[] {1, 2, 5, 3},
        forward(upsample("upsample_h: 5 upsample_w: 3"), 1, values, mask).get(0).shape());
  }

  @Test
  void aMaskOutsideTheOutputIsRejected() {
    Blob values = TestBlobs.gaussian(1, 1, 1, 1, 2, 2);
    Blob mask = TestBlobs.of(new double[] {0, 1, 2, 16}, 1, 1, 2, 2);
    assertThrows(KaffeeException.class, () -> forward(upsample("scale: 2"), 1, values, mask));
  }

  @Test
  void maskGradient() {
    Blob mask = TestBlobs.of(new double[] {0, 3, 9, 14, 1, 2, 12, 15}, 1, 2, 2, 2);
    new GradientChecker(1e-2, 1e-3).checkGradientExhaustive(upsample("scale: 2"),
        list(TestBlobs.gaussian(1701, 1, 1, 2, 2, 2), mask), tops(1), 0);
  }
}
