package org.kaffee.export;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.kaffee.core.KaffeeException;
import org.kaffee.core.Layer;
import org.kaffee.core.Net;
import org.kaffee.io.ProtoFiles;
import org.kaffee.onnx.proto.Onnx.ModelProto;

/**
 * Writes a net (a deploy net with its weights) as an ONNX model of opset 13, which ONNX Runtime
 * and OpenCV's dnn module read. Each Caffe layer becomes one or a few ONNX nodes; the shapes
 * Kaffee computed fix every dimension, the batch included.
 */
public final class OnnxExporter {
  public static final int OPSET = 13;
  /** IR version 7 is the one that came with opset 13. */
  private static final int IR_VERSION = 7;

  private static final Map<String, Consumer<LayerNode>> EXPORTS = new HashMap<>();

  static {
    VisionExports.register(EXPORTS);
    NeuronExports.register(EXPORTS);
    CommonExports.register(EXPORTS);
    ForkExports.register(EXPORTS);
    EXPORTS.put("Input", n -> {
      for (int i = 0; i < n.tops(); i++) {
        n.graph.input(n.param.getTop(i), n.topShapes.get(i));
      }
    });
  }

  private OnnxExporter() {}

  public static ModelProto export(Net net) {
    OnnxGraph graph = new OnnxGraph(net.name().isEmpty() ? "kaffee" : net.name());
    List<String> names = net.blobNames();
    for (int i = 0; i < net.layers().size(); i++) {
      Layer layer = net.layers().get(i);
      Consumer<LayerNode> export = EXPORTS.get(layer.type());
      if (export == null) {
        throw new KaffeeException(String.format(
            "layer '%s' of type %s has no ONNX export (exportable types: %s)",
            layer.name(), layer.type(), String.join(", ", EXPORTS.keySet().stream().sorted().toList())));
      }
      List<String> bottoms = net.bottomIds(i).stream().map(names::get).toList();
      List<String> tops = net.topIds(i).stream().map(names::get).toList();
      export.accept(new LayerNode(graph, layer, bottoms, net.bottomVecs().get(i), tops, net.topVecs().get(i)));
    }
    List<String> outputs = net.outputBlobNames();
    for (int i = 0; i < outputs.size(); i++) {
      graph.output(outputs.get(i), net.outputBlobs().get(i).shape());
    }
    ModelProto.Builder model = ModelProto.newBuilder()
        .setIrVersion(IR_VERSION)
        .setProducerName("kaffee")
        .setGraph(graph.build());
    model.addOpsetImportBuilder().setDomain("").setVersion(OPSET);
    return model.build();
  }

  /** Exports and writes the model atomically (a temp file renamed into place). */
  public static void write(Net net, Path out) {
    ProtoFiles.writeBinary(out, export(net));
  }
}
