package org.kaffee.export;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.kaffee.onnx.proto.Onnx.NodeProto;
import org.kaffee.proto.Caffe.ConvolutionParameter;
import org.kaffee.proto.Caffe.LRNParameter;
import org.kaffee.proto.Caffe.PoolingParameter;

/** Convolution, Deconvolution, Pooling and LRN as ONNX nodes. */
final class VisionExports {
  private VisionExports() {}

  static void register(Map<String, Consumer<LayerNode>> exports) {
    exports.put("Convolution", n -> convolution(n, "Conv"));
    exports.put("Deconvolution", n -> convolution(n, "ConvTranspose"));
    exports.put("Pooling", VisionExports::pooling);
    exports.put("LRN", VisionExports::lrn);
  }

  private static void convolution(LayerNode n, String op) {
    convolution(n, op, n.param.getConvolutionParam().getGroup());
  }

  /** A convolution of {@code group} groups (the depthwise fork types: one per channel). */
  static void convolution(LayerNode n, String op, int group) {
    ConvolutionParameter p = n.param.getConvolutionParam();
    if (p.getAxis() != 1) {
      throw n.unsupported("axis " + p.getAxis());
    }
    Geometry g = Geometry.of(p, n.bottomShapes.get(0).length - 2);
    List<String> in = new ArrayList<>(List.of(n.in(0), n.weight(0)));
    if (p.getBiasTerm()) {
      in.add(n.weight(1));
    }
    n.op(op, in, n.out(0))
        .addAttribute(OnnxGraph.ints("kernel_shape", g.kernel()))
        .addAttribute(OnnxGraph.ints("strides", g.stride()))
        .addAttribute(OnnxGraph.ints("pads", g.symmetricPads()))
        .addAttribute(OnnxGraph.ints("dilations", g.dilation()))
        .addAttribute(OnnxGraph.integer("group", group));
  }

  private static void pooling(LayerNode n) {
    PoolingParameter p = n.param.getPoolingParam();
    boolean max = p.getPool() == PoolingParameter.PoolMethod.MAX;
    if (!max && p.getPool() != PoolingParameter.PoolMethod.AVE) {
      throw n.unsupported("pool " + p.getPool());
    }
    if (n.tops() > 1) {
      throw n.unsupported("the max-index top");
    }
    if (p.getGlobalPooling()) {
      n.unary(max ? "GlobalMaxPool" : "GlobalAveragePool");
      return;
    }
    int[] in = n.bottomShapes.get(0);
    int[] out = n.topShapes.get(0);
    int[] spatialIn = {in[2], in[3]};
    int[] spatialOut = {out[2], out[3]};
    Geometry g = Geometry.of(p);
    if (max) {
      maxPool(n, n.in(0), g, spatialIn, spatialOut, n.out(0));
    } else {
      averagePool(n, n.in(0), g, spatialIn, spatialOut, n.out(0));
    }
  }

  /** Padding never wins a max: Caffe's windows are ONNX's with the end pads ceil rounding adds. */
  private static void maxPool(LayerNode n, String input, Geometry g, int[] in, int[] out, String output) {
    window(n.op("MaxPool", List.of(input), output), g, pads(n, g, in, out));
  }

  /**
   * ONNX pools with the zeros of the padding counted (count_include_pad), dividing by the whole
   * kernel. Caffe divides by the window clipped to the padded bottom, so windows that ceil
   * rounding lets run past it get a smaller divisor: a constant map of kernel / Caffe's divisor
   * puts that right. (Explicit Pad + count_include_pad 0 would say the same, but ONNX Runtime
   * folds such a Pad into the pooling's pads and then leaves the zeros out of the divisor.)
   */
  static void averagePool(LayerNode n, String input, Geometry g, int[] in, int[] out, String output) {
    long[] pads = pads(n, g, in, out);
    float[] correction = divisorCorrection(g, in, out);
    String pooled = correction == null ? output : n.temp("pooled");
    window(n.op("AveragePool", List.of(input), pooled), g, pads)
        .addAttribute(OnnxGraph.integer("count_include_pad", 1));
    if (correction != null) {
      n.op("Mul", List.of(pooled, n.constant("divisor_correction", correction, 1, 1, out[0], out[1])), output);
    }
  }

  /** kernel size / Caffe's divisor for every output position, or null when all are 1. */
  private static float[] divisorCorrection(Geometry g, int[] in, int[] out) {
    float[] correction = new float[out[0] * out[1]];
    boolean needed = false;
    int kernelSize = g.kernel()[0] * g.kernel()[1];
    for (int y = 0; y < out[0]; y++) {
      for (int x = 0; x < out[1]; x++) {
        int size = clippedWindow(g, 0, y, in[0]) * clippedWindow(g, 1, x, in[1]);
        correction[y * out[1] + x] = (float) kernelSize / size;
        needed |= size != kernelSize;
      }
    }
    return needed ? correction : null;
  }

  /** Caffe's window length along an axis: from its padded start to at most the end padding. */
  private static int clippedWindow(Geometry g, int axis, int index, int length) {
    int start = index * g.stride()[axis] - g.pad()[axis];
    int end = Math.min(start + g.kernel()[axis], length + g.pad()[axis]);
    return end - start;
  }

  /** Caffe's pad before each axis; after it, what floor rounding needs to give Caffe's output size. */
  private static long[] pads(LayerNode n, Geometry g, int[] in, int[] out) {
    long[] pads = new long[4];
    for (int a = 0; a < 2; a++) {
      pads[a] = g.pad()[a];
      pads[a + 2] = endPad(n, g, a, in[a] + g.pad()[a], out[a]);
    }
    return pads;
  }

  private static long endPad(LayerNode n, Geometry g, int axis, int paddedBegin, int out) {
    int k = g.kernel()[axis];
    int s = g.stride()[axis];
    long end = Math.max(0, (long) (out - 1) * s + k - paddedBegin);
    if ((paddedBegin + end - k) / s + 1 != out) {
      throw n.unsupported("a pooling geometry whose output size floor rounding cannot reach");
    }
    return end;
  }

  private static NodeProto.Builder window(NodeProto.Builder node, Geometry g, long[] pads) {
    return node.addAttribute(OnnxGraph.ints("kernel_shape", g.kernel()))
        .addAttribute(OnnxGraph.ints("strides", g.stride()))
        .addAttribute(OnnxGraph.ints("pads", pads));
  }

  /**
   * ACROSS_CHANNELS is ONNX's LRN (both divide alpha by the window size). WITHIN_CHANNEL is what
   * Caffe builds it from: x / (1 + alpha * avepool(x^2))^beta over a size x size window.
   */
  private static void lrn(LayerNode n) {
    LRNParameter p = n.param.getLrnParam();
    if (p.getNormRegion() == LRNParameter.NormRegion.ACROSS_CHANNELS) {
      n.unary("LRN").addAttribute(OnnxGraph.integer("size", p.getLocalSize()))
          .addAttribute(OnnxGraph.real("alpha", p.getAlpha()))
          .addAttribute(OnnxGraph.real("beta", p.getBeta()))
          .addAttribute(OnnxGraph.real("bias", p.getK()));
      return;
    }
    int size = p.getLocalSize();
    int pad = (size - 1) / 2;
    Geometry g = new Geometry(new int[] {size, size}, new int[] {1, 1}, new int[] {pad, pad}, new int[] {1, 1});
    int[] shape = n.bottomShapes.get(0);
    int[] spatial = {shape[2], shape[3]};
    String x = n.in(0);
    String squared = n.temp("squared");
    n.op("Mul", List.of(x, x), squared);
    String pooled = n.temp("pooled");
    averagePool(n, squared, g, spatial, spatial, pooled);
    String scaled = n.temp("scaled");
    n.op("Mul", List.of(pooled, n.constant("alpha", new float[] {p.getAlpha()})), scaled);
    String shifted = n.temp("shifted");
    n.op("Add", List.of(scaled, n.constant("one", new float[] {1f})), shifted);
    String denominator = n.temp("denominator");
    n.op("Pow", List.of(shifted, n.constant("minus_beta", new float[] {-p.getBeta()})), denominator);
    n.op("Mul", List.of(x, denominator), n.out(0));
  }
}
