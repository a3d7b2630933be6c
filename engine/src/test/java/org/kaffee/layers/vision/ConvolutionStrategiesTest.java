package org.kaffee.layers.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.kaffee.layers.vision.VisionTestUtil.layer;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.kaffee.core.Blob;
import org.kaffee.core.DataView;
import org.kaffee.core.Rng;
import org.kaffee.kernels.ConvolutionStrategy;
import org.nd4j.linalg.api.buffer.DataType;

/** Each convolution strategy against the reference (Caffe's im2col + gemm per image), in float32. */
class ConvolutionStrategiesTest {
  private static final String FILLERS = " weight_filler { type: \"gaussian\" std: 0.5 }"
      + " bias_filler { type: \"gaussian\" std: 0.5 } }";

  private static BaseConvolutionLayer create(String type, String convParam, ConvolutionStrategy strategy) {
    // The same seed gives both layers the same weights.
    Rng.seed(11);
    String text = "name: \"c\" type: \"" + type + "\" convolution_param { " + convParam + FILLERS;
    BaseConvolutionLayer l = type.equals("Convolution") ? new ConvolutionLayer(layer(text))
        : new DeconvolutionLayer(layer(text));
    l.useStrategy(strategy);
    return l;
  }

  @ParameterizedTest(name = "{0} {1} {2} on {3}, {4} bottoms")
  @CsvSource(delimiter = ';', value = {
      "ONEDNN; Convolution; num_output: 4 kernel_size: 3 pad: 1 stride: 2; 2 3 7 6; 1",
      "ONEDNN; Convolution; num_output: 6 kernel_size: 3 pad: 1 stride: 2 group: 2; 2 4 6 5; 1",
      "ONEDNN; Convolution; num_output: 5 kernel_h: 3 kernel_w: 2 pad: 1 stride: 2; 3 2 7 6; 2",
      "ONEDNN; Convolution; num_output: 3 kernel_size: 1 bias_term: false; 2 3 4 5; 1",
      "ONEDNN; Deconvolution; num_output: 3 kernel_size: 4 pad: 1 stride: 2; 2 2 4 5; 1",
      "ONEDNN; Deconvolution; num_output: 6 kernel_size: 3 pad: 1 stride: 2 group: 2; 2 4 3 4; 1",
      "DNNL; Convolution; num_output: 4 kernel_size: 3 pad: 1 stride: 2; 2 3 7 6; 1",
      "DNNL; Convolution; num_output: 3 kernel_h: 3 kernel_w: 2 pad_h: 1 pad_w: 2 stride_h: 2 stride_w: 3; 3 1 8 9; 1",
      "DNNL; Convolution; num_output: 4 kernel_size: 3 bias_term: false; 3 1 6 7; 2",
      "DNNL; Convolution; num_output: 2 kernel_size: 3 dilation: 2 pad: 2; 2 2 7 6; 1",
      "DNNL; Convolution; num_output: 6 kernel_size: 3 pad: 1 stride: 2 group: 2; 3 4 6 5; 1",
      "DNNL; Convolution; num_output: 3 kernel_size: 1; 1 3 4 5; 1",
      "DNNL; Convolution; num_output: 16 kernel_size: 7 pad: 3 stride: 2; 3 3 13 12; 1",
      "DNNL; Convolution; num_output: 32 kernel_size: 3 bias_term: false; 2 1 9 8; 2",
      "DNNL; Convolution; num_output: 20 kernel_size: 5; 5 1 12 11; 1",
      "DNNL; Convolution; num_output: 50 kernel_size: 5; 5 20 9 10; 1",
      "DNNL; Convolution; num_output: 24 kernel_size: 3 pad: 1 group: 2; 3 40 6 7; 1",
      "DNNL; Convolution; num_output: 32 kernel_size: 3 pad: 1 stride: 2 group: 2; 3 64 7 6; 1",
      "DNNL; Convolution; num_output: 16 kernel_size: 5 pad: 2 dilation: 2 bias_term: false; 2 32 9 9; 2",
      "DNNL; Convolution; num_output: 16 kernel_size: 1; 3 16 5 4; 1",
      "DEPTHWISE; Convolution; num_output: 4 kernel_size: 3 pad: 1 stride: 2 group: 4; 2 4 7 6; 1",
      "DEPTHWISE; Convolution; num_output: 6 kernel_h: 3 kernel_w: 2 pad_h: 2 pad_w: 0 stride_h: 1 stride_w: 2 dilation: 2 group: 3; 2 3 8 7; 2",
      "DEPTHWISE; Convolution; num_output: 5 kernel_size: 5 pad: 2 bias_term: false group: 5; 3 5 6 9; 1"})
  void matchesTheReference(ConvolutionStrategy strategy, String type, String convParam, String shapeText,
      int bottoms) {
    int[] shape = java.util.Arrays.stream(shapeText.split(" ")).mapToInt(Integer::parseInt).toArray();
    for (boolean bottomGradient : new boolean[] {true, false}) {
      String what = strategy + " " + convParam + (bottomGradient ? "" : " (params only)");
      Run fast = new Run(create(type, convParam, strategy), shape, bottoms, bottomGradient);
      Run reference = new Run(create(type, convParam, ConvolutionStrategy.IM2COL_GEMM), shape, bottoms,
          bottomGradient);
      assertEquals(strategy, fast.layer.strategy());
      assertEquals(ConvolutionStrategy.IM2COL_GEMM, reference.layer.strategy());
      near(reference.tops, fast.tops, what + ": top");
      near(reference.bottomDiffs, fast.bottomDiffs, what + ": bottom diff");
      near(reference.paramDiffs, fast.paramDiffs, what + ": param diffs");
    }
  }

  /** Forward and backward of one layer on seeded inputs and top gradients; keeps the results. */
  private static final class Run {
    final BaseConvolutionLayer layer;
    final List<double[]> tops = new ArrayList<>();
    final List<double[]> bottomDiffs = new ArrayList<>();
    final List<double[]> paramDiffs = new ArrayList<>();

    Run(BaseConvolutionLayer layer, int[] shape, int bottoms, boolean bottomGradient) {
      this.layer = layer;
      Random r = new Random(3);
      List<Blob> bottom = new ArrayList<>();
      List<Blob> top = new ArrayList<>();
      for (int i = 0; i < bottoms; i++) {
        bottom.add(fill(new Blob(DataType.FLOAT, shape), r));
        top.add(new Blob(DataType.FLOAT, 1));
      }
      layer.setUp(bottom, top);
      layer.forward(bottom, top);
      boolean[] propagate = new boolean[bottoms];
      for (int i = 0; i < bottoms; i++) {
        tops.add(top.get(i).data().dup().data().asDouble());
        fill(top.get(i).diffView(), r);
        bottom.get(i).diff().assign(7);
        propagate[i] = bottomGradient;
      }
      // Twice: param gradients accumulate, the bottom gradient is overwritten.
      layer.backward(top, propagate, bottom);
      layer.backward(top, propagate, bottom);
      for (Blob b : bottom) {
        bottomDiffs.add(b.diff().dup().data().asDouble());
      }
      for (Blob p : layer.blobs()) {
        paramDiffs.add(p.diff().dup().data().asDouble());
      }
    }

    private static Blob fill(Blob b, Random r) {
      fill(b.dataView(), r);
      return b;
    }

    private static void fill(DataView v, Random r) {
      for (int i = 0; i < v.length(); i++) {
        v.set(i, r.nextGaussian());
      }
    }
  }

  private static void near(List<double[]> expected, List<double[]> actual, String what) {
    assertEquals(expected.size(), actual.size(), what);
    for (int a = 0; a < expected.size(); a++) {
      assertEquals(expected.get(a).length, actual.get(a).length, what);
      for (int i = 0; i < expected.get(a).length; i++) {
        double e = expected.get(a)[i];
        assertEquals(e, actual.get(a)[i], 1e-4 * Math.max(1, Math.abs(e)), what + " " + a + " element " + i);
      }
    }
  }

  @Test
  void chosenStrategyFollowsShapeAndPrecision() {
    assertEquals(ConvolutionStrategy.DNNL, chosen("num_output: 4 kernel_size: 5", DataType.FLOAT, 1));
    assertEquals(ConvolutionStrategy.DNNL, chosen("num_output: 4 kernel_size: 5", DataType.FLOAT, 3));
    assertEquals(ConvolutionStrategy.IM2COL_GEMM, chosen("num_output: 4 kernel_size: 5", DataType.DOUBLE, 3));
    assertEquals(ConvolutionStrategy.DNNL, chosen("num_output: 4 kernel_size: 3 dilation: 2 group: 2",
        DataType.FLOAT, 4));
  }

  private static ConvolutionStrategy chosen(String convParam, DataType type, int channels) {
    ConvolutionLayer l = new ConvolutionLayer(layer("name: \"c\" type: \"Convolution\" convolution_param { "
        + convParam + " }"));
    l.setDataType(type);
    l.setUp(List.of(new Blob(type, 2, channels, 9, 8)), List.of(new Blob(type, 1)));
    return l.strategy();
  }
}
