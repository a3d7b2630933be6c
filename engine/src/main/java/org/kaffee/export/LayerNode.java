package org.kaffee.export;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.KaffeeException;
import org.kaffee.core.Layer;
import org.kaffee.onnx.proto.Onnx.NodeProto;
import org.kaffee.proto.Caffe.LayerParameter;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * One Caffe layer being written as ONNX nodes: its bottoms' tensors (read before any top is
 * written, so in-place layers work), its tops, the shapes Kaffee computed for both, and its
 * weights.
 */
final class LayerNode {
  final OnnxGraph graph;
  final Layer layer;
  final LayerParameter param;
  final List<int[]> bottomShapes;
  final List<int[]> topShapes;
  private final List<String> inputs = new ArrayList<>();
  private final List<String> topBlobs;

  LayerNode(OnnxGraph graph, Layer layer, List<String> bottomBlobs, List<Blob> bottoms,
      List<String> topBlobs, List<Blob> tops) {
    this.graph = graph;
    this.layer = layer;
    this.param = layer.param();
    this.topBlobs = topBlobs;
    this.bottomShapes = bottoms.stream().map(Blob::shape).toList();
    this.topShapes = tops.stream().map(Blob::shape).toList();
    for (String blob : bottomBlobs) {
      inputs.add(graph.read(blob));
    }
  }

  String name() {
    return param.getName();
  }

  String in(int i) {
    return inputs.get(i);
  }

  List<String> ins() {
    return inputs;
  }

  int tops() {
    return topBlobs.size();
  }

  /** The tensor top {@code i} is written to; call once per top, after reading the bottoms. */
  String out(int i) {
    return graph.write(topBlobs.get(i), name());
  }

  /** A tensor for an intermediate result inside this layer's nodes. */
  String temp(String what) {
    return graph.fresh(name() + "/" + what);
  }

  NodeProto.Builder op(String type, List<String> in, String... out) {
    return graph.node(type, name(), in, Arrays.asList(out));
  }

  /** The common case: one op from bottom 0 to top 0. */
  NodeProto.Builder unary(String type) {
    return op(type, List.of(in(0)), out(0));
  }

  /** Learned blob {@code i} as an initializer, in its own shape or the given dims. */
  String weight(int i, long... dims) {
    Blob blob = layer.blobs().get(i);
    long[] shape = dims.length > 0 ? dims : Arrays.stream(blob.shape()).asLongStream().toArray();
    return graph.floats(name() + "/w" + i, values(blob), shape);
  }

  float[] values(Blob blob) {
    return Arrays.copyOf(blob.data().castTo(DataType.FLOAT).dup('c').data().asFloat(), blob.count());
  }

  String constant(String what, float[] values, long... dims) {
    return graph.floats(name() + "/" + what, values, dims);
  }

  /** Shape {@code [C, 1, 1, ...]}: a per-channel vector broadcast over axis 1 of a bottom. */
  long[] channelDims(int channels) {
    long[] dims = new long[bottomShapes.get(0).length - 1];
    Arrays.fill(dims, 1);
    dims[0] = channels;
    return dims;
  }

  KaffeeException unsupported(String what) {
    return new KaffeeException(String.format("layer '%s' (%s): %s has no ONNX equivalent",
        name(), param.getType(), what));
  }
}
