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

class ConvolutionLayerTest {
  private static ConvolutionLayer conv(String convParam) {
    ConvolutionLayer l = new ConvolutionLayer(layer("name: \"conv\" type: \"Convolution\" convolution_param { "
        + convParam + " weight_filler { type: \"gaussian\" std: 0.5 } bias_filler { type: \"gaussian\" std: 0.5 } }"));
    l.setDataType(DataType.DOUBLE);
    return l;
  }

  @Test
  void forwardByHandWithPadAndStride() {
    // 1x1x3x3 input 1..9, one 2x2 filter of ones, pad 1 stride 2: output 2x2 = corner sums.
    ConvolutionLayer l = new ConvolutionLayer(layer("name: \"c\" type: \"Convolution\" convolution_param {"
        + " num_output: 1 kernel_size: 2 pad: 1 stride: 2 weight_filler { type: \"constant\" value: 1 }"
        + " bias_filler { type: \"constant\" value: 0.5 } }"));
    l.setDataType(DataType.DOUBLE);
    Blob in = TestBlobs.of(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 1, 3, 3);
    List<Blob> top = tops(1);
    l.setUp(List.of(in), top);
    l.forward(List.of(in), top);
    assertArrayEquals(new int[] {1, 1, 2, 2}, top.get(0).shape());
    // windows: rows -1..0 x cols -1..0 -> 1; cols 1..2 -> 2+3; rows 1..2: 4+7, 5+6+8+9
    assertValues(new double[] {1.5, 5.5, 11.5, 28.5}, top.get(0), 1e-12);
  }

  @Test
  void forwardByHandTwoChannelsTwoGroups() {
    // group 2: output channel g sees only input channel g; 1x1 kernel with weights 2 and 3.
    ConvolutionLayer l = new ConvolutionLayer(layer("name: \"c\" type: \"Convolution\" convolution_param {"
        + " num_output: 2 kernel_size: 1 group: 2 bias_term: false }"));
    l.setDataType(DataType.DOUBLE);
    Blob in = TestBlobs.of(new double[] {1, 2, 3, 4}, 1, 2, 1, 2);
    List<Blob> top = tops(1);
    l.setUp(List.of(in), top);
    l.blobs().get(0).dataView().set(0, 2);
    l.blobs().get(0).dataView().set(1, 3);
    l.forward(List.of(in), top);
    assertValues(new double[] {2, 4, 9, 12}, top.get(0), 1e-12);
  }

  @Test
  void outputShapeUsesFloorAndDilation() {
    ConvolutionLayer l = conv("num_output: 3 kernel_size: 3 stride: 2 dilation: 2 pad: 1");
    Blob in = TestBlobs.gaussian(1, 1, 2, 2, 8, 9);
    List<Blob> top = tops(1);
    l.setUp(List.of(in), top);
    // (8 + 2 - 5) / 2 + 1 = 3, (9 + 2 - 5) / 2 + 1 = 4
    assertArrayEquals(new int[] {2, 3, 3, 4}, top.get(0).shape());
  }

  @Test
  void gradientPadStride() {
    Rng.seed(1701);
    ConvolutionLayer l = conv("num_output: 2 kernel_size: 3 stride: 2 pad: 1");
    Blob in = TestBlobs.gaussian(2, 1, 1, 2, 5, 4);
    new GradientChecker(1e-2, 1e-3).checkGradient(l, List.of(in), tops(1));
  }

  @Test
  void gradientGroupRectangularDilation() {
    Rng.seed(1701);
    ConvolutionLayer l = conv("num_output: 4 kernel_h: 3 kernel_w: 2 stride_h: 1 stride_w: 2 pad_h: 2 pad_w: 0"
        + " group: 2 dilation: 2");
    Blob in = TestBlobs.gaussian(3, 1, 1, 4, 5, 4);
    new GradientChecker(1e-2, 1e-3).checkGradient(l, List.of(in), tops(1));
  }

  @Test
  void gradient1x1TwoBottoms() {
    Rng.seed(1701);
    ConvolutionLayer l = conv("num_output: 2 kernel_size: 1");
    Blob a = TestBlobs.gaussian(4, 1, 1, 3, 2, 2);
    Blob b = TestBlobs.gaussian(5, 1, 1, 3, 2, 2);
    new GradientChecker(1e-2, 1e-3).checkGradient(l, List.of(a, b), tops(2));
  }

  @Test
  void gradient3d() {
    Rng.seed(1701);
    ConvolutionLayer l = conv("num_output: 2 kernel_size: 2 stride: 1 pad: 1");
    Blob in = TestBlobs.gaussian(6, 1, 1, 1, 3, 2, 2);
    new GradientChecker(1e-2, 1e-3).checkGradient(l, List.of(in), tops(1));
  }

  @Test
  void paramGradientsAccumulate() {
    Rng.seed(1701);
    ConvolutionLayer l = conv("num_output: 2 kernel_size: 2");
    Blob in = TestBlobs.gaussian(7, 1, 1, 1, 3, 3);
    List<Blob> top = tops(1);
    l.setUp(List.of(in), top);
    l.forward(List.of(in), top);
    top.get(0).diff().assign(1);
    l.backward(top, new boolean[] {true}, List.of(in));
    double[] once = TestBlobs.diff(l.blobs().get(0));
    double biasOnce = l.blobs().get(1).diffView().get(0);
    l.backward(top, new boolean[] {true}, List.of(in));
    double[] twice = TestBlobs.diff(l.blobs().get(0));
    for (int i = 0; i < once.length; i++) {
      org.junit.jupiter.api.Assertions.assertEquals(2 * once[i], twice[i], 1e-12);
    }
    org.junit.jupiter.api.Assertions.assertEquals(4.0, biasOnce, 1e-12);
    org.junit.jupiter.api.Assertions.assertEquals(8.0, l.blobs().get(1).diffView().get(0), 1e-12);
  }
}
