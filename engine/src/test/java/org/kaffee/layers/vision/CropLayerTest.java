package org.kaffee.layers.vision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.kaffee.testing.DoubleLayers.assertValues;
import static org.kaffee.layers.vision.VisionTestUtil.layer;
import static org.kaffee.layers.vision.VisionTestUtil.tops;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kaffee.core.Blob;
import org.kaffee.core.KaffeeException;
import org.kaffee.testing.GradientChecker;
import org.kaffee.testing.TestBlobs;
import org.nd4j.linalg.api.buffer.DataType;

class CropLayerTest {
  private static CropLayer crop(String p) {
    CropLayer l = new CropLayer(layer("name: \"c\" type: \"Crop\" crop_param { " + p + " }"));
    l.setDataType(DataType.DOUBLE);
    return l;
  }

  private static double[] range(int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = i;
    }
    return v;
  }

  @Test
  void cropsSpatialAxesWithPerAxisOffsets() {
    CropLayer l = crop("axis: 2 offset: 1 offset: 2");
    Blob a = TestBlobs.of(range(20), 1, 1, 4, 5);
    Blob b = new Blob(DataType.DOUBLE, 1, 1, 2, 3);
    List<Blob> top = tops(1);
    l.setUp(List.of(a, b), top);
    l.forward(List.of(a, b), top);
    assertArrayEquals(new int[] {1, 1, 2, 3}, top.get(0).shape());
    assertValues(new double[] {7, 8, 9, 12, 13, 14}, top.get(0), 0);
    top.get(0).diff().assign(1);
    l.backward(top, new boolean[] {true, false}, List.of(a, b));
    double[] g = TestBlobs.diff(a);
    double[] expected = new double[20];
    for (int i : new int[] {7, 8, 9, 12, 13, 14}) {
      expected[i] = 1;
    }
    assertArrayEquals(expected, g, 0);
  }

  @Test
  void singleOffsetAppliesToAllAxesFromAxis() {
    CropLayer l = crop("axis: 1 offset: 1");
    Blob a = TestBlobs.of(range(2 * 3 * 3), 2, 3, 3);
    Blob b = new Blob(DataType.DOUBLE, 7, 2, 1);
    List<Blob> top = tops(1);
    l.setUp(List.of(a, b), top);
    l.forward(List.of(a, b), top);
    assertArrayEquals(new int[] {2, 2, 1}, top.get(0).shape());
    assertValues(new double[] {4, 7, 13, 16}, top.get(0), 0);
  }

  @Test
  void rejectsCropPastTheEnd() {
    CropLayer l = crop("axis: 2 offset: 3");
    Blob a = new Blob(DataType.DOUBLE, 1, 1, 4, 4);
    Blob b = new Blob(DataType.DOUBLE, 1, 1, 2, 2);
    org.junit.jupiter.api.Assertions.assertThrows(KaffeeException.class, () -> l.setUp(List.of(a, b), tops(1)));
  }

  @Test
  void gradient() {
    CropLayer l = crop("axis: 1 offset: 1 offset: 0 offset: 2");
    Blob a = TestBlobs.gaussian(31, 1, 2, 4, 3, 5);
    Blob b = TestBlobs.gaussian(32, 1, 2, 2, 3, 2);
    new GradientChecker(1e-2, 1e-3).checkGradient(l, List.of(a, b), tops(1), 0);
  }
}
