package org.kaffee.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kaffee.core.KaffeeException;
import org.kaffee.core.Net;
import org.kaffee.io.NetFiles;
import org.kaffee.io.ProtoFiles;
import org.kaffee.onnx.proto.Onnx.ModelProto;
import org.kaffee.onnx.proto.Onnx.NodeProto;
import org.kaffee.proto.Caffe.NetParameter;
import org.kaffee.proto.Caffe.Phase;

/** Exported models give Kaffee's outputs in ONNX Runtime; layers without ONNX form are named. */
class OnnxExportTest {

  /**
   * The example deploy nets at batch 2, random weights: every blob, the logits before the
   * Softmax among them, within a relative 1e-3 (a probability of 1e-3 among 1000 classes must
   * agree to 1e-6, not to an absolute 1e-4; ResNet-18's convolutions after batch norm differ by
   * up to 1.4e-4 of 1 % of their largest value, the summation order of float32 sums).
   */
  @ParameterizedTest
  @ValueSource(strings = {"models/lenet/lenet_deploy.prototxt", "models/deploy/caffenet_deploy.prototxt",
      "models/deploy/googlenet_deploy.prototxt", "models/deploy/resnet18_deploy.prototxt"})
  void deployNetsMatchOnnxRuntime(String file) throws Exception {
    NetParameter.Builder param = NetFiles.readNetText(Path.of(file)).toBuilder();
    param.getLayerBuilderList().stream().filter(l -> l.getType().equals("Input"))
        .forEach(l -> l.getInputParamBuilder().getShapeBuilder(0).setDim(0, 2));
    Net net = Net.forPhase(param.build(), Phase.TEST, 0, List.of());
    OnnxRuntimeCheck.randomizeWeights(net, 1);
    List<String> compared = OnnxRuntimeCheck.assertSameBlobs(net, -1, 1, 1e-3);
    int softmax = net.layers().stream().map(l -> l.type()).toList().indexOf("Softmax");
    String logits = net.blobNames().get(net.bottomIds(softmax).get(0));
    assertTrue(compared.contains(logits) && compared.contains("prob"), "logits " + logits + " not in " + compared);
    assertTrue(compared.size() >= net.layers().size() / 3, compared.size() + " blobs compared: " + compared);
  }

  @Test
  void ceilRoundedPoolingWithPaddingMatches() throws Exception {
    // 7x7 and 6x6 inputs: kernel 3 stride 2 pad 1 adds a ceil window on 6x6; kernel 2 stride 2
    // on 7 rows adds one that starts in the last row; AVE divides by the padded, clipped window.
    String net = OnnxCases.input("data", 2, 3, 7, 6)
        + pool("max_a", "data", "MAX", 3, 2, 1) + pool("ave_a", "data", "AVE", 3, 2, 1)
        + pool("max_b", "data", "MAX", 2, 2, 0) + pool("ave_b", "data", "AVE", 2, 2, 0)
        + pool("ave_c", "data", "AVE", 3, 3, 2) + pool("max_c", "data", "MAX", 3, 1, 1)
        + "layer { name: 'g' type: 'Pooling' bottom: 'data' top: 'g' pooling_param { pool: AVE global_pooling: true } }";
    OnnxCases.check(net, -1, 1);
  }

  @Test
  void normalisationAndElementwiseLayersMatch() throws Exception {
    String net = OnnxCases.input("data", 2, 6, 5, 5)
        + "layer { name: 'lrn_a' type: 'LRN' bottom: 'data' top: 'lrn_a' lrn_param { local_size: 5 alpha: 0.3 beta: 0.75 k: 2 } }"
        + "layer { name: 'lrn_w' type: 'LRN' bottom: 'data' top: 'lrn_w' lrn_param { local_size: 3 alpha: 0.5 beta: 0.75 norm_region: WITHIN_CHANNEL } }"
        + "layer { name: 'bn' type: 'BatchNorm' bottom: 'data' top: 'bn' batch_norm_param { eps: 0.001 } }"
        + "layer { name: 'sc' type: 'Scale' bottom: 'bn' top: 'bn' scale_param { bias_term: true } }"
        + "layer { name: 'pr' type: 'PReLU' bottom: 'bn' top: 'pr' }"
        + "layer { name: 'el' type: 'ELU' bottom: 'pr' top: 'el' elu_param { alpha: 0.7 } }"
        + "layer { name: 'lr' type: 'ReLU' bottom: 'data' top: 'lr' relu_param { negative_slope: 0.1 } }"
        + "layer { name: 'sum' type: 'Eltwise' bottom: 'lr' bottom: 'el' bottom: 'lrn_a' top: 'sum' eltwise_param { coeff: 0.5 coeff: -2 coeff: 1 } }"
        + "layer { name: 'prod' type: 'Eltwise' bottom: 'lrn_w' bottom: 'sum' top: 'prod' eltwise_param { operation: PROD } }"
        + "layer { name: 'max' type: 'Eltwise' bottom: 'lrn_w' bottom: 'sum' top: 'max' eltwise_param { operation: MAX } }"
        + "layer { name: 'sig' type: 'Sigmoid' bottom: 'max' top: 'sig' }"
        + "layer { name: 'th' type: 'TanH' bottom: 'prod' top: 'th' }"
        + "layer { name: 'ab' type: 'AbsVal' bottom: 'th' top: 'ab' }"
        + "layer { name: 'bnll' type: 'BNLL' bottom: 'ab' top: 'bnll' }"
        + "layer { name: 'pw' type: 'Power' bottom: 'sig' top: 'pw' power_param { power: 2 scale: 3 shift: 0.5 } }"
        + "layer { name: 'ex' type: 'Exp' bottom: 'sig' top: 'ex' exp_param { base: 2 scale: 0.5 shift: 0.1 } }"
        + "layer { name: 'lg' type: 'Log' bottom: 'pw' top: 'lg' log_param { base: 10 scale: 2 shift: 1 } }"
        + "layer { name: 'cl' type: 'Clip' bottom: 'data' top: 'cl' clip_param { min: -0.2 max: 0.3 } }";
    OnnxCases.check(net, -1, 1);
  }

  @Test
  void shapeLayersAndInnerProductMatch() throws Exception {
    String net = OnnxCases.input("data", 2, 4, 3, 5)
        + "layer { name: 'sl' type: 'Slice' bottom: 'data' top: 'a' top: 'b' top: 'c' slice_param { axis: 1 slice_point: 1 slice_point: 3 } }"
        + "layer { name: 'cat' type: 'Concat' bottom: 'c' bottom: 'a' top: 'cat' }"
        + "layer { name: 'dc' type: 'Deconvolution' bottom: 'b' top: 'dc' convolution_param { num_output: 3 kernel_size: 3 stride: 2 pad: 1 } }"
        + "layer { name: 'cv' type: 'Convolution' bottom: 'cat' top: 'cv' convolution_param { num_output: 4 kernel_h: 2 kernel_w: 3 pad_w: 1 group: 2 } }"
        + "layer { name: 'fl' type: 'Flatten' bottom: 'cv' top: 'fl' }"
        + "layer { name: 'ip' type: 'InnerProduct' bottom: 'fl' top: 'ip' inner_product_param { num_output: 7 } }"
        + "layer { name: 'ip2' type: 'InnerProduct' bottom: 'dc' top: 'ip2' inner_product_param { num_output: 3 axis: 2 } }"
        + "layer { name: 'rs' type: 'Reshape' bottom: 'ip2' top: 'rs' reshape_param { shape { dim: 0 dim: -1 } } }"
        + "layer { name: 'sm' type: 'Softmax' bottom: 'ip' top: 'sm' }"
        + "layer { name: 'sm2' type: 'Softmax' bottom: 'dc' top: 'sm2' softmax_param { axis: 2 } }"
        + "layer { name: 'dr' type: 'Dropout' bottom: 'rs' top: 'rs' }";
    OnnxCases.check(net, -1, 1);
  }

  @Test
  void aLayerWithoutOnnxFormIsNamed() {
    Net net = OnnxCases.build(OnnxCases.input("data", 1, 3, 4, 4)
        + "layer { name: 'best' type: 'ArgMax' bottom: 'data' top: 'best' }");
    KaffeeException e = assertThrows(KaffeeException.class, () -> OnnxExporter.export(net));
    assertTrue(e.getMessage().contains("'best'") && e.getMessage().contains("ArgMax"), e.getMessage());
  }

  @Test
  void writesOpset13ModelThatReadsBack(@org.junit.jupiter.api.io.TempDir Path dir) {
    Net net = OnnxCases.build(OnnxCases.input("data", 1, 1, 4, 4)
        + "layer { name: 'r' type: 'ReLU' bottom: 'data' top: 'data' }"
        + "layer { name: 'p' type: 'Pooling' bottom: 'data' top: 'p' pooling_param { kernel_size: 2 stride: 2 } }");
    Path file = dir.resolve("m.onnx");
    OnnxExporter.write(net, file);
    ModelProto model = ProtoFiles.readBinary(file, ModelProto.newBuilder(), "ONNX model").build();
    assertEquals(13, model.getOpsetImport(0).getVersion());
    assertEquals(List.of("Relu", "MaxPool"), model.getGraph().getNodeList().stream().map(NodeProto::getOpType).toList());
    // the in-place ReLU writes a new tensor, which the pooling reads
    assertEquals(model.getGraph().getNode(0).getOutput(0), model.getGraph().getNode(1).getInput(0));
    assertEquals("data", model.getGraph().getInput(0).getName());
  }


  private static String pool(String name, String bottom, String method, int kernel, int stride, int pad) {
    return String.format("layer { name: '%s' type: 'Pooling' bottom: '%s' top: '%s' pooling_param {"
        + " pool: %s kernel_size: %d stride: %d pad: %d } }", name, bottom, name, method, kernel, stride, pad);
  }
}
