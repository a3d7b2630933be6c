package org.kaffee.layers.vision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.kaffee.testing.DoubleLayers.assertValues;
import static org.kaffee.layers.vision.VisionTestUtil.layer;
import static org.kaffee.layers.vision.VisionTestUtil.tops;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kaffee.core.Blob;
import org.kaffee.testing.GradientChecker;
import org.kaffee.testing.TestBlobs;
import org.nd4j.linalg.api.buffer.DataType;

class SPPLayerTest {
  private static SPPLayer spp(String p) {
    SPPLayer l = new SPPLayer(layer("name: \"s\" type: \"SPP\" spp_param { " + p + " }"));
    l.setDataType(DataType.DOUBLE);
    return l;
  }

  @Test
  void twoLevelsMaxByHand() {
    double[] v = new double[16];
    for (int i = 0; i < 16; i++) {
      v[i] = i + 1;
    }
    SPPLayer l = spp("pyramid_height: 2 pool: MAX");
    Blob in = TestBlobs.of(v, 1, 1, 4, 4);
    List<Blob> top = tops(1);
    l.setUp(List.of(in), top);
    l.forward(List.of(in), top);
    assertArrayEquals(new int[] {1, 5}, top.get(0).shape());
    assertValues(new double[] {16, 6, 8, 14, 16}, top.get(0), 0);
  }

  @Test
  void oneLevelKeepsPoolingShape() {
    SPPLayer l = spp("pyramid_height: 1 pool: AVE");
    Blob in = TestBlobs.of(new double[] {1, 2, 3, 4, 5, 6}, 1, 2, 1, 3);
    List<Blob> top = tops(1);
    l.setUp(List.of(in), top);
    l.forward(List.of(in), top);
    assertArrayEquals(new int[] {1, 2, 1, 1}, top.get(0).shape());
    assertValues(new double[] {2, 5}, top.get(0), 1e-12);
  }

  @Test
  void outputSizeForThreeLevels() {
    SPPLayer l = spp("pyramid_height: 3");
    List<Blob> top = tops(1);
    l.setUp(List.of(TestBlobs.gaussian(1, 1, 2, 3, 9, 8)), top);
    assertArrayEquals(new int[] {2, 3 * (1 + 4 + 16)}, top.get(0).shape());
  }

  @Test
  void gradientMax() {
    new GradientChecker(1e-4, 1e-2).checkGradient(spp("pyramid_height: 3 pool: MAX"),
        List.of(TestBlobs.gaussian(51, 1, 2, 2, 6, 8)), tops(1));
  }

  @Test
  void gradientAve() {
    new GradientChecker(1e-2, 1e-3).checkGradient(spp("pyramid_height: 3 pool: AVE"),
        List.of(TestBlobs.gaussian(52, 1, 2, 2, 7, 6)), tops(1));
  }
}
