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

class Im2colLayerTest {
  private static Im2colLayer im2col(String p) {
    Im2colLayer l = new Im2colLayer(layer("name: \"i\" type: \"Im2col\" convolution_param { " + p + " }"));
    l.setDataType(DataType.DOUBLE);
    return l;
  }

  @Test
  void forwardByHand() {
    Im2colLayer l = im2col("kernel_size: 2");
    Blob in = TestBlobs.of(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 1, 3, 3);
    List<Blob> top = tops(1);
    l.setUp(List.of(in), top);
    l.forward(List.of(in), top);
    assertArrayEquals(new int[] {1, 4, 2, 2}, top.get(0).shape());
    assertValues(new double[] {1, 2, 4, 5, 2, 3, 5, 6, 4, 5, 7, 8, 5, 6, 8, 9}, top.get(0), 0);
  }

  @Test
  void paddingReadsZeros() {
    Im2colLayer l = im2col("kernel_size: 3 pad: 1 stride: 2");
    Blob in = TestBlobs.of(new double[] {1, 2, 3, 4}, 1, 1, 2, 2);
    List<Blob> top = tops(1);
    l.setUp(List.of(in), top);
    l.forward(List.of(in), top);
    assertArrayEquals(new int[] {1, 9, 1, 1}, top.get(0).shape());
    assertValues(new double[] {0, 0, 0, 0, 1, 2, 0, 3, 4}, top.get(0), 0);
  }

  @Test
  void gradientDilatedRectangular() {
    new GradientChecker(1e-2, 1e-2).checkGradient(
        im2col("kernel_h: 2 kernel_w: 3 stride_h: 2 stride_w: 1 pad_h: 1 pad_w: 0 dilation: 2"),
        List.of(TestBlobs.gaussian(41, 1, 2, 2, 5, 6)), tops(1));
  }

  @Test
  void gradientNd() {
    new GradientChecker(1e-2, 1e-2).checkGradient(im2col("kernel_size: 2 pad: 1 stride: 2"),
        List.of(TestBlobs.gaussian(42, 1, 1, 2, 3, 3, 2)), tops(1));
  }
}
