package org.kaffee.layers.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.kaffee.layers.vision.VisionTestUtil.layer;
import static org.kaffee.layers.vision.VisionTestUtil.tops;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kaffee.core.Blob;
import org.kaffee.core.KaffeeException;
import org.kaffee.core.LayerRegistry;
import org.kaffee.kernels.ConvolutionStrategy;
import org.kaffee.testing.DoubleLayers;
import org.kaffee.testing.GradientChecker;
import org.kaffee.testing.TestBlobs;
import org.nd4j.linalg.api.buffer.DataType;

class DepthwiseConvolutionLayerTest {
  private static BaseConvolutionLayer create(String type, String convParam) {
    BaseConvolutionLayer l = (BaseConvolutionLayer) LayerRegistry.create(layer("name: 'dw' type: '" + type
        + "' convolution_param { " + convParam + " weight_filler { type: 'gaussian' std: 0.5 }"
        + " bias_filler { type: 'gaussian' std: 0.5 } }"));
    l.setDataType(DataType.DOUBLE);
    return l;
  }

  @Test
  void eachChannelIsFilteredByItsOwnKernel() {
    BaseConvolutionLayer l = create("DepthwiseConvolution", "num_output: 2 kernel_size: 2 bias_term: false");
    // channel 0: 1..9, channel 1: all 1; kernels: [[1, 0], [0, -1]] and [[2, 2], [2, 2]]
    Blob in = TestBlobs.of(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 1, 1, 1, 1, 1, 1, 1, 1, 1}, 1, 2, 3, 3);
    List<Blob> top = tops(1);
    l.setUp(List.of(in), top);
    l.blobs().get(0).data().assign(TestBlobs.of(new double[] {1, 0, 0, -1, 2, 2, 2, 2}, 2, 1, 2, 2).data());
    l.forward(List.of(in), top);
    DoubleLayers.assertValues(new double[] {-4, -4, -4, -4, 8, 8, 8, 8}, top.get(0), 1e-12);
    assertEquals(ConvolutionStrategy.DEPTHWISE, l.strategy());
  }

  @Test
  void bothForkTypesAreTheSameLayer() {
    Blob in = TestBlobs.gaussian(5, 1, 2, 3, 5, 5);
    List<Blob> a = tops(1);
    List<Blob> b = tops(1);
    org.kaffee.core.Rng.seed(9);
    BaseConvolutionLayer first = create("DepthwiseConvolution", "num_output: 3 kernel_size: 3 pad: 1");
    first.setUp(List.of(in), a);
    first.forward(List.of(in), a);
    org.kaffee.core.Rng.seed(9);
    BaseConvolutionLayer second = create("ConvolutionDepthwise", "num_output: 3 kernel_size: 3 pad: 1 group: 3");
    second.setUp(List.of(in), b);
    second.forward(List.of(in), b);
    DoubleLayers.assertValues(TestBlobs.data(a.get(0)), b.get(0), 0);
    assertEquals("ConvolutionDepthwise", second.type());
  }

  @Test
  void bvlcConvolutionWithAGroupPerChannelUsesTheDepthwiseKernel() {
    BaseConvolutionLayer l = create("Convolution", "num_output: 4 kernel_size: 3 group: 4");
    l.setUp(List.of(TestBlobs.gaussian(5, 1, 1, 4, 5, 5)), tops(1));
    assertEquals(ConvolutionStrategy.DEPTHWISE, l.strategy());
  }

  @Test
  void gradientStridePad() {
    BaseConvolutionLayer l = create("DepthwiseConvolution", "num_output: 3 kernel_size: 3 pad: 1 stride: 2");
    new GradientChecker(1e-2, 1e-3).checkGradient(l, List.of(TestBlobs.gaussian(1701, 1, 2, 3, 5, 4)), tops(1));
  }

  @Test
  void gradientMultiplierDilation() {
    BaseConvolutionLayer l = create("ConvolutionDepthwise",
        "num_output: 4 kernel_h: 2 kernel_w: 3 dilation: 2 pad_w: 1");
    new GradientChecker(1e-2, 1e-3).checkGradient(l, List.of(TestBlobs.gaussian(1701, 1, 2, 2, 6, 5)), tops(1));
  }

  @Test
  void aGroupOtherThanTheChannelsIsRejected() {
    BaseConvolutionLayer l = create("DepthwiseConvolution", "num_output: 4 kernel_size: 3 group: 2");
    assertThrows(KaffeeException.class, () -> l.setUp(List.of(TestBlobs.gaussian(5, 1, 1, 4, 5, 5)), tops(1)));
  }
}
