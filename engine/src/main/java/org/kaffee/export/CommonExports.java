package org.kaffee.export;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.kaffee.proto.Caffe.BatchNormParameter;
import org.kaffee.proto.Caffe.EltwiseParameter;
import org.kaffee.proto.Caffe.InnerProductParameter;

/** The layers that reshape, combine and normalise blobs, and InnerProduct, as ONNX nodes. */
final class CommonExports {
  private CommonExports() {}

  static void register(Map<String, Consumer<LayerNode>> exports) {
    exports.put("InnerProduct", CommonExports::innerProduct);
    exports.put("BatchNorm", CommonExports::batchNorm);
    exports.put("Scale", n -> broadcastOperand(n, "Mul", n.param.getScaleParam().getAxis(),
        n.param.getScaleParam().getNumAxes(), n.param.getScaleParam().getBiasTerm()));
    exports.put("Bias", n -> broadcastOperand(n, "Add", n.param.getBiasParam().getAxis(),
        n.param.getBiasParam().getNumAxes(), false));
    exports.put("Eltwise", CommonExports::eltwise);
    exports.put("Concat", n -> n.op("Concat", n.ins(), n.out(0))
        .addAttribute(OnnxGraph.integer("axis", concatAxis(n))));
    exports.put("Slice", CommonExports::slice);
    exports.put("Split", CommonExports::split);
    exports.put("Flatten", CommonExports::reshapeToTop);
    exports.put("Reshape", CommonExports::reshapeToTop);
    exports.put("Softmax", n -> n.unary("Softmax")
        .addAttribute(OnnxGraph.integer("axis", axis(n, n.param.getSoftmaxParam().getAxis()))));
    exports.put("Silence", n -> { });
  }

  /** Flatten from {@code axis}, Gemm with the weights (Caffe keeps them [out, in]), back to Caffe's shape. */
  private static void innerProduct(LayerNode n) {
    InnerProductParameter p = n.param.getInnerProductParam();
    int axis = axis(n, p.getAxis());
    String flat = n.in(0);
    if (axis != 1 || n.bottomShapes.get(0).length != 2) {
      flat = n.temp("flat");
      n.op("Flatten", List.of(n.in(0)), flat).addAttribute(OnnxGraph.integer("axis", axis));
    }
    List<String> in = new ArrayList<>(List.of(flat, n.weight(0)));
    if (p.getBiasTerm()) {
      in.add(n.weight(1));
    }
    boolean keepsRank = n.topShapes.get(0).length == 2;
    String product = keepsRank ? n.out(0) : n.temp("product");
    n.op("Gemm", in, product).addAttribute(OnnxGraph.integer("transB", p.getTranspose() ? 0 : 1));
    if (!keepsRank) {
      reshape(n, product, n.out(0), n.topShapes.get(0));
    }
  }

  /** Caffe stores sums scaled by a moving-average factor; ONNX wants the mean and variance. */
  private static void batchNorm(LayerNode n) {
    BatchNormParameter p = n.param.getBatchNormParam();
    if (p.hasUseGlobalStats() && !p.getUseGlobalStats()) {
      batchStatistics(n, p.getEps());
      return;
    }
    float factor = n.values(n.layer.blobs().get(2))[0];
    float unscale = factor == 0 ? 0 : 1 / factor;
    float[] mean = n.values(n.layer.blobs().get(0));
    float[] variance = n.values(n.layer.blobs().get(1));
    for (int c = 0; c < mean.length; c++) {
      mean[c] *= unscale;
      variance[c] *= unscale;
    }
    float[] ones = new float[mean.length];
    Arrays.fill(ones, 1f);
    long c = mean.length;
    n.op("BatchNormalization", List.of(n.in(0), n.constant("gamma", ones, c),
        n.constant("beta", new float[mean.length], c), n.constant("mean", mean, c),
        n.constant("variance", variance, c)), n.out(0))
        .addAttribute(OnnxGraph.real("epsilon", p.getEps()));
  }

  /** use_global_stats false: normalise by the batch's own mean and (biased) variance per channel. */
  private static void batchStatistics(LayerNode n, float eps) {
    long[] axes = new long[n.bottomShapes.get(0).length - 1];
    axes[0] = 0;
    for (int a = 1; a < axes.length; a++) {
      axes[a] = a + 1;
    }
    String mean = n.temp("mean");
    n.op("ReduceMean", List.of(n.in(0)), mean).addAttribute(OnnxGraph.ints("axes", axes));
    String centred = n.temp("centred");
    n.op("Sub", List.of(n.in(0), mean), centred);
    String squared = n.temp("squared");
    n.op("Mul", List.of(centred, centred), squared);
    String variance = n.temp("variance");
    n.op("ReduceMean", List.of(squared), variance).addAttribute(OnnxGraph.ints("axes", axes));
    String padded = n.temp("variance_eps");
    n.op("Add", List.of(variance, n.constant("eps", new float[] {eps})), padded);
    String deviation = n.temp("deviation");
    n.op("Sqrt", List.of(padded), deviation);
    n.op("Div", List.of(centred, deviation), n.out(0));
  }

  /**
   * Scale and Bias: the operand (a learned blob, or the second bottom) spans axes
   * [axis, axis + its rank) of the first bottom; trailing 1s make ONNX broadcast it there.
   */
  private static void broadcastOperand(LayerNode n, String op, int axisParam, int numAxes, boolean bias) {
    int[] shape = n.bottomShapes.get(0);
    int axis = axis(n, axisParam);
    int[] operandShape = n.bottomShapes.size() > 1 ? n.bottomShapes.get(1)
        : n.layer.blobs().get(0).shape();
    long[] dims = new long[shape.length - axis];
    Arrays.fill(dims, 1);
    for (int i = 0; i < operandShape.length; i++) {
      dims[i] = operandShape[i];
    }
    String operand;
    if (n.bottomShapes.size() > 1) {
      operand = n.temp("operand");
      n.op("Reshape", List.of(n.in(1), n.graph.int64s(n.name() + "/operand_shape", dims)), operand);
    } else {
      operand = n.weight(0, dims);
    }
    int biasBlob = n.bottomShapes.size() > 1 ? 0 : 1;
    if (!bias) {
      n.op(op, List.of(n.in(0), operand), n.out(0));
      return;
    }
    String scaled = n.temp("scaled");
    n.op(op, List.of(n.in(0), operand), scaled);
    n.op("Add", List.of(scaled, n.weight(biasBlob, dims)), n.out(0));
  }

  private static void eltwise(LayerNode n) {
    EltwiseParameter p = n.param.getEltwiseParam();
    switch (p.getOperation()) {
      case PROD -> n.op("Mul", n.ins(), n.out(0));
      case MAX -> n.op("Max", n.ins(), n.out(0));
      default -> {
        List<String> terms = new ArrayList<>();
        for (int i = 0; i < n.ins().size(); i++) {
          float coeff = p.getCoeffCount() > 0 ? p.getCoeff(i) : 1f;
          if (coeff == 1f) {
            terms.add(n.in(i));
          } else {
            String term = n.temp("term" + i);
            n.op("Mul", List.of(n.in(i), n.constant("coeff" + i, new float[] {coeff})), term);
            terms.add(term);
          }
        }
        n.op("Sum", terms, n.out(0));
      }
    }
  }

  private static int concatAxis(LayerNode n) {
    var p = n.param.getConcatParam();
    return p.hasConcatDim() ? p.getConcatDim() : axis(n, p.getAxis());
  }

  /** Slice's parts along the axis, sized as Kaffee's tops, are ONNX's Split. */
  private static void slice(LayerNode n) {
    var p = n.param.getSliceParam();
    int axis = p.hasSliceDim() ? p.getSliceDim() : axis(n, p.getAxis());
    long[] sizes = new long[n.tops()];
    String[] outs = new String[n.tops()];
    for (int i = 0; i < n.tops(); i++) {
      sizes[i] = n.topShapes.get(i)[axis];
      outs[i] = n.out(i);
    }
    n.op("Split", List.of(n.in(0), n.graph.int64s(n.name() + "/split", sizes)), outs)
        .addAttribute(OnnxGraph.integer("axis", axis));
  }

  /** Caffe's Split copies a blob for each consumer; ONNX tensors may be read many times. */
  private static void split(LayerNode n) {
    for (int i = 0; i < n.tops(); i++) {
      n.op("Identity", List.of(n.in(0)), n.out(i));
    }
  }

  /** Flatten and Reshape: the net's shapes are known, so reshape to Kaffee's top shape. */
  private static void reshapeToTop(LayerNode n) {
    reshape(n, n.in(0), n.out(0), n.topShapes.get(0));
  }

  static void reshape(LayerNode n, String in, String out, int[] shape) {
    long[] dims = Arrays.stream(shape).asLongStream().toArray();
    n.op("Reshape", List.of(in, n.graph.int64s(n.name() + "/shape", dims)), out);
  }

  private static int axis(LayerNode n, int axis) {
    return axis < 0 ? axis + n.bottomShapes.get(0).length : axis;
  }
}
