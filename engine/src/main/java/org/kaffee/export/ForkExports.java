package org.kaffee.export;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.kaffee.core.Blob;
import org.kaffee.proto.Caffe.InterpParameter;
import org.kaffee.proto.Caffe.NormalizeParameter;
import org.kaffee.proto.Caffe.ROIPoolingParameter;

/**
 * The layers of Caffe's forks that have a faithful ONNX form, as opset-13 nodes (DetectionOutput
 * in {@link DetectionOutputExport}). Without one: SmoothL1Loss and MultiBoxLoss (training losses), Upsample with a
 * mask bottom (SegNet's unpooling: Caffe's per-plane mask would need MaxUnpool's whole-tensor
 * indices, not written yet) and DetectionOutput with adaptive NMS (nms_param.eta < 1).
 */
final class ForkExports {
  private ForkExports() {}

  static void register(Map<String, Consumer<LayerNode>> exports) {
    exports.put("ReLU6", ForkExports::relu6);
    exports.put("DepthwiseConvolution", ForkExports::depthwise);
    exports.put("ConvolutionDepthwise", ForkExports::depthwise);
    exports.put("ShuffleChannel", ForkExports::shuffleChannel);
    exports.put("Permute", n -> n.unary("Transpose").addAttribute(OnnxGraph.ints("perm", permutation(n))));
    exports.put("Axpy", ForkExports::axpy);
    exports.put("Normalize", ForkExports::normalize);
    exports.put("Interp", ForkExports::interp);
    exports.put("Upsample", ForkExports::upsample);
    exports.put("ROIPooling", ForkExports::roiPooling);
    exports.put("PriorBox", ForkExports::priorBox);
    exports.put("DetectionOutput", DetectionOutputExport::export);
  }

  /** min(max(x, 0), 6) + slope * min(x, 0). */
  private static void relu6(LayerNode n) {
    float slope = n.param.getRelu6Param().getNegativeSlope();
    List<String> clip = List.of(n.in(0), n.constant("zero", new float[] {0}), n.constant("six", new float[] {6}));
    if (slope == 0) {
      n.op("Clip", clip, n.out(0));
      return;
    }
    String clipped = n.temp("clipped");
    n.op("Clip", clip, clipped);
    String negative = n.temp("negative");
    n.op("Min", List.of(n.in(0), n.constant("zero", new float[] {0})), negative);
    String leak = n.temp("leak");
    n.op("Mul", List.of(negative, n.constant("slope", new float[] {slope})), leak);
    n.op("Add", List.of(clipped, leak), n.out(0));
  }

  private static void depthwise(LayerNode n) {
    VisionExports.convolution(n, "Conv", n.bottomShapes.get(0)[1]);
  }

  /** [N, g, C/g, rest] transposed to [N, C/g, g, rest], back to the bottom's shape. */
  private static void shuffleChannel(LayerNode n) {
    int[] shape = n.bottomShapes.get(0);
    int group = n.param.getShuffleChannelParam().getGroup();
    int[] grouped = new int[shape.length + 1];
    grouped[0] = shape[0];
    grouped[1] = group;
    grouped[2] = shape[1] / group;
    System.arraycopy(shape, 2, grouped, 3, shape.length - 2);
    String split = n.temp("grouped");
    CommonExports.reshape(n, n.in(0), split, grouped);
    long[] perm = new long[grouped.length];
    for (int i = 0; i < perm.length; i++) {
      perm[i] = i == 1 ? 2 : i == 2 ? 1 : i;
    }
    String swapped = n.temp("swapped");
    n.op("Transpose", List.of(split), swapped).addAttribute(OnnxGraph.ints("perm", perm));
    CommonExports.reshape(n, swapped, n.out(0), shape);
  }

  /** Permute's order with the axes it leaves out appended, as the layer does. */
  private static long[] permutation(LayerNode n) {
    List<Integer> order = new ArrayList<>(n.param.getPermuteParam().getOrderList());
    for (int axis = 0; axis < n.bottomShapes.get(0).length; axis++) {
      if (!order.contains(axis)) {
        order.add(axis);
      }
    }
    return order.stream().mapToLong(Integer::longValue).toArray();
  }

  /** a x + y with a reshaped to [N, C, 1, ...] to broadcast over x's plane. */
  private static void axpy(LayerNode n) {
    int[] x = n.bottomShapes.get(1);
    int[] scaleShape = new int[x.length];
    Arrays.fill(scaleShape, 1);
    scaleShape[0] = x[0];
    scaleShape[1] = x[1];
    String scale = n.temp("scale");
    CommonExports.reshape(n, n.in(0), scale, scaleShape);
    String scaled = n.temp("scaled");
    n.op("Mul", List.of(scale, n.in(1)), scaled);
    n.op("Add", List.of(scaled, n.in(2)), n.out(0));
  }

  /** x / sqrt(sum x^2 + eps) over the channels (or the whole image), times the scale. */
  private static void normalize(LayerNode n) {
    NormalizeParameter p = n.param.getNormParam();
    int axes = n.bottomShapes.get(0).length;
    long[] reduce = p.getAcrossSpatial() ? new long[axes - 1] : new long[] {1};
    for (int i = 0; p.getAcrossSpatial() && i < reduce.length; i++) {
      reduce[i] = i + 1;
    }
    String squares = n.temp("squares");
    n.op("ReduceSumSquare", List.of(n.in(0)), squares).addAttribute(OnnxGraph.ints("axes", reduce))
        .addAttribute(OnnxGraph.integer("keepdims", 1));
    String padded = n.temp("padded");
    n.op("Add", List.of(squares, n.constant("eps", new float[] {p.getEps()})), padded);
    String norm = n.temp("norm");
    n.op("Sqrt", List.of(padded), norm);
    String unit = n.temp("unit");
    n.op("Div", List.of(n.in(0), norm), unit);
    int scales = n.layer.blobs().get(0).count();
    String scale = p.getChannelShared() ? n.weight(0, 1) : n.weight(0, n.channelDims(scales));
    n.op("Mul", List.of(unit, scale), n.out(0));
  }

  /** Crop by the negative pads, then Resize with aligned corners to the top's size. */
  private static void interp(LayerNode n) {
    InterpParameter p = n.param.getInterpParam();
    int[] in = n.bottomShapes.get(0);
    String x = n.in(0);
    if (p.getPadBeg() != 0 || p.getPadEnd() != 0) {
      String cropped = n.temp("cropped");
      n.op("Slice", List.of(x, n.graph.int64s(n.name() + "/starts", -p.getPadBeg(), -p.getPadBeg()),
          n.graph.int64s(n.name() + "/ends", in[2] + p.getPadEnd(), in[3] + p.getPadEnd()),
          n.graph.int64s(n.name() + "/axes", 2, 3)), cropped);
      x = cropped;
    }
    long[] sizes = Arrays.stream(n.topShapes.get(0)).asLongStream().toArray();
    n.op("Resize", List.of(x, "", "", n.graph.int64s(n.name() + "/sizes", sizes)), n.out(0))
        .addAttribute(OnnxGraph.text("mode", "linear"))
        .addAttribute(OnnxGraph.text("coordinate_transformation_mode", "align_corners"));
  }

  /** The one-bottom (nearest-neighbour) form: Resize by whole factors, flooring the source index. */
  private static void upsample(LayerNode n) {
    if (n.ins().size() > 1) {
      throw n.unsupported("max-unpooling with a mask bottom (SegNet's Upsample)");
    }
    int[] in = n.bottomShapes.get(0);
    int[] out = n.topShapes.get(0);
    var p = n.param.getUpsampleParam();
    int scaleH = p.hasScaleH() ? p.getScaleH() : p.getScale();
    int scaleW = p.hasScaleW() ? p.getScaleW() : p.getScale();
    if (out[2] != in[2] * scaleH || out[3] != in[3] * scaleW) {
      throw n.unsupported("an output size other than the input times the scale");
    }
    String scales = n.constant("scales", new float[] {1, 1, scaleH, scaleW}, 4);
    n.op("Resize", List.of(n.in(0), "", scales), n.out(0))
        .addAttribute(OnnxGraph.text("mode", "nearest"))
        .addAttribute(OnnxGraph.text("coordinate_transformation_mode", "asymmetric"))
        .addAttribute(OnnxGraph.text("nearest_mode", "floor"));
  }

  /** ONNX's MaxRoiPool is Fast R-CNN's layer; the regions reshaped to R x 5. */
  private static void roiPooling(LayerNode n) {
    ROIPoolingParameter p = n.param.getRoiPoolingParam();
    String rois = n.temp("rois");
    CommonExports.reshape(n, n.in(1), rois, new int[] {n.bottomShapes.get(1)[0], 5});
    n.op("MaxRoiPool", List.of(n.in(0), rois), n.out(0))
        .addAttribute(OnnxGraph.ints("pooled_shape", p.getPooledH(), p.getPooledW()))
        .addAttribute(OnnxGraph.real("spatial_scale", p.getSpatialScale()));
  }

  /** The priors depend on the bottoms' shapes only, which the export fixes: a constant. */
  private static void priorBox(LayerNode n) {
    List<Blob> bottoms = n.bottomShapes.stream().map(Blob::new).toList();
    Blob top = new Blob();
    n.layer.reshape(bottoms, List.of(top));
    n.layer.forward(bottoms, List.of(top));
    long[] dims = Arrays.stream(top.shape()).asLongStream().toArray();
    n.op("Identity", List.of(n.constant("priors", n.values(top), dims)), n.out(0));
  }
}
