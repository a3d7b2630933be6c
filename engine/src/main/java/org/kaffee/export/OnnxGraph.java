package org.kaffee.export;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.kaffee.onnx.proto.Onnx.AttributeProto;
import org.kaffee.onnx.proto.Onnx.AttributeProto.AttributeType;
import org.kaffee.onnx.proto.Onnx.GraphProto;
import org.kaffee.onnx.proto.Onnx.NodeProto;
import org.kaffee.onnx.proto.Onnx.TensorProto;
import org.kaffee.onnx.proto.Onnx.TensorShapeProto;
import org.kaffee.onnx.proto.Onnx.TypeProto;
import org.kaffee.onnx.proto.Onnx.ValueInfoProto;

/**
 * An ONNX graph under construction. Caffe names blobs and lets a layer write its top over its
 * bottom (in-place ReLU, Dropout); ONNX wants every tensor written once. So each Caffe blob maps
 * to the ONNX tensor that holds its current value: the first write keeps the blob's name, a
 * later one gets {@code blob/layer}.
 */
final class OnnxGraph {
  private final GraphProto.Builder graph = GraphProto.newBuilder();
  private final Map<String, String> current = new HashMap<>();
  private final Set<String> used = new HashSet<>();
  /** Outputs whose length along one axis is known only at run time (DetectionOutput's rows). */
  private final Map<String, Map.Entry<Integer, String>> variable = new HashMap<>();

  OnnxGraph(String name) {
    graph.setName(name);
  }

  /** The tensor holding a blob's value now. */
  String read(String blob) {
    String tensor = current.get(blob);
    if (tensor == null) {
      throw new IllegalStateException("blob " + blob + " is read before any layer writes it");
    }
    return tensor;
  }

  /** A new tensor for a layer's top, which from now on holds the blob's value. */
  String write(String blob, String layer) {
    String tensor = fresh(used.contains(blob) ? blob + "/" + layer : blob);
    current.put(blob, tensor);
    return tensor;
  }

  /** A tensor name no other tensor has, for a node's intermediate results and constants. */
  String fresh(String wanted) {
    String name = wanted;
    for (int i = 1; used.contains(name); i++) {
      name = wanted + "_" + i;
    }
    used.add(name);
    return name;
  }

  void input(String blob, int[] shape) {
    graph.addInput(valueInfo(write(blob, "input"), shape));
  }

  void output(String blob, int[] shape) {
    String tensor = read(blob);
    Map.Entry<Integer, String> axis = variable.get(tensor);
    graph.addOutput(axis == null ? valueInfo(tensor, shape) : valueInfo(tensor, shape, axis.getKey(), axis.getValue()));
  }

  /** Declares {@code axis} of a tensor as of a length known at run time, named {@code name}. */
  void variableAxis(String tensor, int axis, String name) {
    variable.put(tensor, Map.entry(axis, name));
  }

  NodeProto.Builder node(String opType, String name, List<String> inputs, List<String> outputs) {
    return graph.addNodeBuilder().setOpType(opType).setName(fresh(name + ":" + opType))
        .addAllInput(inputs).addAllOutput(outputs);
  }

  /** A float initializer (a weight or a constant), stored little-endian as ONNX's raw data. */
  String floats(String wanted, float[] values, long... dims) {
    String name = fresh(wanted);
    TensorProto.Builder t = graph.addInitializerBuilder().setName(name)
        .setDataType(TensorProto.DataType.FLOAT_VALUE);
    for (long d : dims) {
      t.addDims(d);
    }
    ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(values);
    t.setRawData(ByteString.copyFrom(bytes.array()));
    return name;
  }

  /** A 1-D int64 initializer (shapes, pads, split sizes); returns its name. */
  String int64s(String wanted, long... values) {
    String name = fresh(wanted);
    TensorProto.Builder t = graph.addInitializerBuilder().setName(name)
        .setDataType(TensorProto.DataType.INT64_VALUE).addDims(values.length);
    for (long v : values) {
      t.addInt64Data(v);
    }
    return name;
  }

  GraphProto build() {
    return graph.build();
  }

  static AttributeProto ints(String name, long... values) {
    AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeType.INTS);
    for (long v : values) {
      a.addInts(v);
    }
    return a.build();
  }

  static AttributeProto ints(String name, int[] values) {
    long[] wide = new long[values.length];
    for (int i = 0; i < values.length; i++) {
      wide[i] = values[i];
    }
    return ints(name, wide);
  }

  static AttributeProto integer(String name, long value) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeType.INT).setI(value).build();
  }

  static AttributeProto text(String name, String value) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeType.STRING)
        .setS(com.google.protobuf.ByteString.copyFromUtf8(value)).build();
  }

  static AttributeProto real(String name, float value) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeType.FLOAT).setF(value).build();
  }

  /** A float tensor of a fixed shape, as graph inputs and outputs declare it. */
  static ValueInfoProto valueInfo(String name, int[] shape) {
    return valueInfo(name, shape, -1, null);
  }

  /** As above, axis {@code variableAxis} (if not -1) a symbolic dimension {@code dimName}. */
  static ValueInfoProto valueInfo(String name, int[] shape, int variableAxis, String dimName) {
    TensorShapeProto.Builder dims = TensorShapeProto.newBuilder();
    for (int i = 0; i < shape.length; i++) {
      if (i == variableAxis) {
        dims.addDimBuilder().setDimParam(dimName);
      } else {
        dims.addDimBuilder().setDimValue(shape[i]);
      }
    }
    return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
        .setTensorType(TypeProto.Tensor.newBuilder()
            .setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(dims))).build();
  }
}
