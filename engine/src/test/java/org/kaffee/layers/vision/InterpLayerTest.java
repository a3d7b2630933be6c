package org.kaffee.layers.vision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.kaffee.testing.DoubleLayers.assertValues;
import static org.kaffee.testing.DoubleLayers.forward;
import static org.kaffee.testing.DoubleLayers.list;
import static org.kaffee.testing.DoubleLayers.tops;

import org.junit.jupiter.api.Test;
import org.kaffee.core.Blob;
import org.kaffee.core.KaffeeException;
import org.kaffee.testing.DoubleLayers;
import org.kaffee.testing.GradientChecker;
import org.kaffee.testing.TestBlobs;

class InterpLayerTest {
  private static InterpLayer interp(String p) {
    return DoubleLayers.fromText(InterpLayer::new, "interp", "type: 'Interp' interp_param { " + p + " }");
  }

  private static Blob ramp(int h, int w) {
    double[] v = new double[h * w];
    for (int i = 0; i < v.length; i++) {
      v[i] = i;
    }
    return TestBlobs.of(v, 1, 1, h, w);
  }

  @Test
  void zoomPutsNewPixelsBetweenTheOldCorners() {
    Blob top = forward(interp("zoom_factor: 2"), 1, ramp(2, 2)).get(0);
    assertValues(new double[] {0, 0.5, 1, 1, 1.5, 2, 2, 2.5, 3}, top, 1e-7);
  }

  @Test
  void shrinkKeepsEveryOtherPixelWithAlignedCorners() {
    Blob top = forward(interp("shrink_factor: 2"), 1, ramp(5, 5)).get(0);
    assertValues(new double[] {0, 2, 4, 10, 12, 14, 20, 22, 24}, top, 1e-6);
  }

  @Test
  void explicitSizeAndASecondBottom() {
    // 2 x 4 from 2 x 3: columns at 0, 2/3, 4/3, 2
    Blob top = forward(interp("height: 2 width: 4"), 1, ramp(2, 3)).get(0);
    assertValues(new double[] {0, 2 / 3.0, 4 / 3.0, 2, 3, 11 / 3.0, 13 / 3.0, 5}, top, 1e-6);
    Blob sized = forward(interp(""), 1, ramp(2, 3), TestBlobs.gaussian(1, 1, 1, 7, 2, 4)).get(0);
    assertValues(TestBlobs.data(top), sized, 0);
  }

  @Test
  void negativePadsCrop() {
    Blob top = forward(interp("height: 2 width: 2 pad_beg: -1 pad_end: -1"), 1, ramp(4, 4)).get(0);
    assertValues(new double[] {5, 6, 9, 10}, top, 1e-7);
  }

  @Test
  void shrinkThenZoom() {
    Blob top = forward(interp("shrink_factor: 2 zoom_factor: 3"), 1, ramp(5, 5)).get(0);
    assertArrayEquals(new int[] {1, 1, 7, 7}, top.shape());
  }

  @Test
  void gradient() {
    new GradientChecker(1e-2, 1e-3).checkGradientExhaustive(interp("height: 5 width: 3"),
        list(TestBlobs.gaussian(1701, 1, 2, 2, 3, 4)), tops(1), -1);
  }

  @Test
  void positivePadsAndMissingSizesAreRejected() {
    assertThrows(KaffeeException.class, () -> forward(interp("zoom_factor: 2 pad_beg: 1"), 1, ramp(2, 2)));
    assertThrows(KaffeeException.class, () -> forward(interp(""), 1, ramp(2, 2)));
  }
}
