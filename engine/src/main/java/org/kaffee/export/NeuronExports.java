package org.kaffee.export;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.kaffee.proto.Caffe.ClipParameter;
import org.kaffee.proto.Caffe.ExpParameter;
import org.kaffee.proto.Caffe.LogParameter;
import org.kaffee.proto.Caffe.PReLUParameter;
import org.kaffee.proto.Caffe.PowerParameter;

/** The element-wise layers as ONNX nodes. */
final class NeuronExports {
  private NeuronExports() {}

  static void register(Map<String, Consumer<LayerNode>> exports) {
    exports.put("ReLU", NeuronExports::relu);
    exports.put("PReLU", NeuronExports::prelu);
    exports.put("ELU", n -> n.unary("Elu").addAttribute(OnnxGraph.real("alpha", n.param.getEluParam().getAlpha())));
    exports.put("Sigmoid", n -> n.unary("Sigmoid"));
    exports.put("TanH", n -> n.unary("Tanh"));
    exports.put("AbsVal", n -> n.unary("Abs"));
    exports.put("BNLL", n -> n.unary("Softplus"));
    exports.put("Dropout", n -> n.unary("Identity"));
    exports.put("Power", NeuronExports::power);
    exports.put("Exp", NeuronExports::exp);
    exports.put("Log", NeuronExports::log);
    exports.put("Clip", NeuronExports::clip);
  }

  private static void relu(LayerNode n) {
    float slope = n.param.getReluParam().getNegativeSlope();
    if (slope == 0) {
      n.unary("Relu");
    } else {
      n.unary("LeakyRelu").addAttribute(OnnxGraph.real("alpha", slope));
    }
  }

  /** Caffe's slopes are one per channel (or one shared); ONNX broadcasts them from the right. */
  private static void prelu(LayerNode n) {
    PReLUParameter p = n.param.getPreluParam();
    int slopes = n.layer.blobs().get(0).count();
    String slope = p.getChannelShared() ? n.weight(0, 1) : n.weight(0, n.channelDims(slopes));
    n.op("PRelu", List.of(n.in(0), slope), n.out(0));
  }

  /** (shift + scale x)^power, skipping the steps that change nothing. */
  private static void power(LayerNode n) {
    PowerParameter p = n.param.getPowerParam();
    String x = affine(n, n.in(0), p.getScale(), p.getShift());
    if (p.getPower() != 1) {
      String out = n.out(0);
      n.op("Pow", List.of(x, n.constant("power", new float[] {p.getPower()})), out);
    } else {
      n.op("Identity", List.of(x), n.out(0));
    }
  }

  /** base^(shift + scale x) = e^(ln(base) (shift + scale x)); base -1 means e. */
  private static void exp(LayerNode n) {
    ExpParameter p = n.param.getExpParam();
    double lnBase = p.getBase() == -1 ? 1 : Math.log(p.getBase());
    String x = affine(n, n.in(0), (float) (lnBase * p.getScale()), (float) (lnBase * p.getShift()));
    n.op("Exp", List.of(x), n.out(0));
  }

  /** log_base(shift + scale x) = ln(shift + scale x) / ln(base). */
  private static void log(LayerNode n) {
    LogParameter p = n.param.getLogParam();
    String x = affine(n, n.in(0), p.getScale(), p.getShift());
    if (p.getBase() == -1) {
      n.op("Log", List.of(x), n.out(0));
      return;
    }
    String ln = n.temp("ln");
    n.op("Log", List.of(x), ln);
    float inverse = (float) (1 / Math.log(p.getBase()));
    n.op("Mul", List.of(ln, n.constant("inverse_ln_base", new float[] {inverse})), n.out(0));
  }

  private static void clip(LayerNode n) {
    ClipParameter p = n.param.getClipParam();
    n.op("Clip", List.of(n.in(0), n.constant("min", new float[] {p.getMin()}),
        n.constant("max", new float[] {p.getMax()})), n.out(0));
  }

  /** shift + scale x as Mul and Add nodes, leaving out the ones that are identities. */
  private static String affine(LayerNode n, String x, float scale, float shift) {
    String result = x;
    if (scale != 1) {
      String scaled = n.temp("scaled");
      n.op("Mul", List.of(result, n.constant("scale", new float[] {scale})), scaled);
      result = scaled;
    }
    if (shift != 0) {
      String shifted = n.temp("shifted");
      n.op("Add", List.of(result, n.constant("shift", new float[] {shift})), shifted);
      result = shifted;
    }
    return result;
  }
}
