package org.kaffee.layers.vision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.kaffee.testing.DoubleLayers.assertValues;
import static org.kaffee.layers.vision.VisionTestUtil.layer;
import static org.kaffee.layers.vision.VisionTestUtil.tops;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kaffee.core.Blob;
import org.kaffee.core.Rng;
import org.kaffee.testing.GradientChecker;
import org.kaffee.testing.TestBlobs;
import org.nd4j.linalg.api.buffer.DataType;

class DeconvolutionLayerTest {
  private static DeconvolutionLayer deconv(String convParam) {
    DeconvolutionLayer l = new DeconvolutionLayer(layer("name: \"d\" type: \"Deconvolution\" convolution_param { "
        + convParam + " weight_filler { type: \"gaussian\" std: 0.5 } bias_filler { type: \"gaussian\" std: 0.5 } }"));
    l.setDataType(DataType.DOUBLE);
    return l;
  }

  @Test
  void forwardByHandStride2FillsBlocks() {
    DeconvolutionLayer l = new DeconvolutionLayer(layer("name: \"d\" type: \"Deconvolution\" convolution_param {"
        + " num_output: 1 kernel_size: 2 stride: 2 weight_filler { type: \"constant\" value: 1 }"
        + " bias_filler { type: \"constant\" value: 0.25 } }"));
    l.setDataType(DataType.DOUBLE);
    Blob in = TestBlobs.of(new double[] {1, 2, 3, 4}, 1, 1, 2, 2);
    List<Blob> top = tops(1);
    l.setUp(List.of(in), top);
    l.forward(List.of(in), top);
    assertArrayEquals(new int[] {1, 1, 4, 4}, top.get(0).shape());
    assertValues(new double[] {1.25, 1.25, 2.25, 2.25, 1.25, 1.25, 2.25, 2.25,
        3.25, 3.25, 4.25, 4.25, 3.25, 3.25, 4.25, 4.25}, top.get(0), 1e-12);
  }

  @Test
  void forwardByHandOverlapWithPad() {
    // 1x3 input, kernel 1x3 of ones, stride 1, pad 1: out width (3-1) + 3 - 2 = 3; each output sums
    // the inputs whose windows cover it.
    DeconvolutionLayer l = new DeconvolutionLayer(layer("name: \"d\" type: \"Deconvolution\" convolution_param {"
        + " num_output: 1 kernel_h: 1 kernel_w: 3 pad_h: 0 pad_w: 1 bias_term: false"
        + " weight_filler { type: \"constant\" value: 1 } }"));
    l.setDataType(DataType.DOUBLE);
    Blob in = TestBlobs.of(new double[] {1, 2, 4}, 1, 1, 1, 3);
    List<Blob> top = tops(1);
    l.setUp(List.of(in), top);
    l.forward(List.of(in), top);
    assertValues(new double[] {3, 7, 6}, top.get(0), 1e-12);
  }

  @Test
  void weightShapeIsChannelsByOutputsPerGroup() {
    DeconvolutionLayer l = deconv("num_output: 6 kernel_size: 3 group: 2");
    l.setUp(List.of(TestBlobs.gaussian(1, 1, 1, 4, 3, 3)), tops(1));
    assertArrayEquals(new int[] {4, 3, 3, 3}, l.blobs().get(0).shape());
  }

  @Test
  void gradientPadStride() {
    Rng.seed(1701);
    DeconvolutionLayer l = deconv("num_output: 2 kernel_size: 3 stride: 2 pad: 1");
    new GradientChecker(1e-2, 1e-3).checkGradient(l, List.of(TestBlobs.gaussian(8, 1, 1, 2, 3, 3)), tops(1));
  }

  @Test
  void gradientGroupDilation() {
    Rng.seed(1701);
    DeconvolutionLayer l = deconv("num_output: 4 kernel_size: 2 stride: 1 dilation: 2 group: 2");
    new GradientChecker(1e-2, 1e-3).checkGradient(l, List.of(TestBlobs.gaussian(9, 1, 1, 2, 3, 2)), tops(1));
  }
}
