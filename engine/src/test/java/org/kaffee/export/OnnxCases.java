package org.kaffee.export;

import java.util.List;
import org.kaffee.core.Net;
import org.kaffee.io.ProtoFiles;
import org.kaffee.proto.Caffe.NetParameter;
import org.kaffee.proto.Caffe.Phase;

/** Small nets written inline for the export tests, built and checked against ONNX Runtime. */
final class OnnxCases {
  private OnnxCases() {
  }

  /** Builds the net, gives it random weights and compares its outputs with ONNX Runtime's. */
  static void check(String netText, double low, double high) throws Exception {
    Net net = build(netText);
    OnnxRuntimeCheck.randomizeWeights(net, 3);
    OnnxRuntimeCheck.assertSameOutputs(net, low, high, 1e-5);
  }

  /** The TEST-phase net of prototxt layers. */
  static Net build(String text) {
    NetParameter param = ProtoFiles.parseText("name: 'onnx_case' " + text, "case.prototxt",
        NetParameter.newBuilder()).build();
    return Net.forPhase(param, Phase.TEST, 0, List.of());
  }

  /** An Input layer of the given shape. */
  static String input(String name, int... dims) {
    StringBuilder shape = new StringBuilder();
    for (int d : dims) {
      shape.append(" dim: ").append(d);
    }
    return "layer { name: '" + name + "' type: 'Input' top: '" + name + "' input_param { shape {"
        + shape + " } } }";
  }
}
