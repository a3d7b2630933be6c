package org.kaffee.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.kaffee.core.Blob;
import org.kaffee.core.Net;
import org.kaffee.onnx.proto.Onnx.ModelProto;
import org.kaffee.onnx.proto.Onnx.ValueInfoProto;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs a net in Kaffee and its export in ONNX Runtime on the same random input and weights,
 * and compares every output of the net, or every blob of it.
 */
final class OnnxRuntimeCheck {
  private OnnxRuntimeCheck() {}

  /** Random weights (variances positive) so no blob keeps a filler's zeros. */
  static void randomizeWeights(Net net, long seed) {
    Random random = new Random(seed);
    for (var layer : net.layers()) {
      boolean batchNorm = layer.type().equals("BatchNorm");
      for (int b = 0; b < layer.blobs().size(); b++) {
        Blob blob = layer.blobs().get(b);
        float[] values = new float[blob.count()];
        for (int i = 0; i < values.length; i++) {
          double u = random.nextDouble();
          values[i] = (float) (batchNorm && b > 0 ? 0.5 + u : (u - 0.5) * scale(layer.type(), blob));
        }
        fill(blob, values);
      }
    }
  }

  /** Keeps activations near 1 through deep nets: weights about 1/sqrt(fan-in). */
  private static double scale(String type, Blob blob) {
    if (blob.numAxes() < 2 || type.equals("Scale") || type.equals("PReLU")) {
      return 1;
    }
    return 2 * Math.sqrt(3.0 / (blob.count() / blob.shape(0)));
  }

  static void fill(Blob blob, float[] values) {
    blob.data().assign(Nd4j.createFromArray(values).reshape(toLong(blob.shape())));
  }

  static float[] randomInput(Blob blob, Random random, double low, double high) {
    float[] values = new float[blob.count()];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (low + (high - low) * random.nextDouble());
    }
    fill(blob, values);
    return values;
  }

  /** Compares one blob's values in Kaffee and in ONNX Runtime. */
  private interface Comparison {
    void check(String blob, float[] kaffee, float[] onnx);
  }

  /**
   * Sets random inputs, runs both, and checks each output within {@code tolerance} times the
   * output's largest magnitude (at least 1).
   */
  static void assertSameOutputs(Net net, double low, double high, double tolerance) throws OrtException {
    assertSameOutputs(net, Map.of(), low, high, tolerance);
  }

  /** As above, with the inputs named in {@code given} set to those values instead of random ones. */
  static void assertSameOutputs(Net net, Map<String, float[]> given, double low, double high, double tolerance)
      throws OrtException {
    ModelProto model = OnnxExporter.export(net);
    Map<String, String> tensors = new LinkedHashMap<>();
    List<String> names = net.outputBlobNames();
    for (int i = 0; i < names.size(); i++) {
      tensors.put(names.get(i), model.getGraph().getOutput(i).getName());
    }
    compare(net, model, given, tensors, low, high, (blob, kaffee, onnx) -> assertClose(blob, kaffee, onnx, tolerance));
  }

  /**
   * Sets random inputs, runs both, and checks every blob of the net, not only its outputs:
   * the logits before a Softmax and every intermediate blob become extra outputs of the ONNX
   * graph (an in-place top is compared as its last layer leaves it). Each element must lie
   * within {@code relative} of its own magnitude; elements below 1 % of their blob's largest
   * magnitude are held to {@code relative} times that 1 %, since sums of opposite signs leave
   * them no relative precision in float32. Returns the blobs compared.
   */
  static List<String> assertSameBlobs(Net net, double low, double high, double relative) throws OrtException {
    ModelProto.Builder model = OnnxExporter.export(net).toBuilder();
    Set<String> declared = new HashSet<>();
    model.getGraph().getOutputList().forEach(o -> declared.add(o.getName()));
    Map<String, String> tensors = finalTensors(net, model.getGraph().getInputList());
    for (var e : tensors.entrySet()) {
      if (!declared.contains(e.getValue())) {
        model.getGraphBuilder().addOutput(OnnxGraph.valueInfo(e.getValue(), net.blobByName(e.getKey()).shape()));
      }
    }
    compare(net, model.build(), Map.of(), tensors, low, high, (blob, kaffee, onnx) -> assertRelative(blob, kaffee, onnx,
        relative));
    return List.copyOf(tensors.keySet());
  }

  /**
   * Blob to the ONNX tensor holding its value after the last layer that writes it (the
   * exporter names a blob's first tensor after the blob and each later one {@code blob/layer}).
   */
  private static Map<String, String> finalTensors(Net net, List<ValueInfoProto> inputs) {
    Map<String, String> tensors = new LinkedHashMap<>();
    Map<String, Integer> writes = new HashMap<>();
    for (int layer = 0; layer < net.layers().size(); layer++) {
      for (int top : net.topIds(layer)) {
        String blob = net.blobNames().get(top);
        int count = writes.merge(blob, 1, Integer::sum);
        tensors.put(blob, count == 1 ? blob : blob + "/" + net.layerNames().get(layer));
      }
    }
    inputs.forEach(input -> tensors.remove(input.getName()));
    return tensors;
  }

  private static void compare(Net net, ModelProto model, Map<String, float[]> given, Map<String, String> tensors,
      double low, double high, Comparison comparison) throws OrtException {
    Random random = new Random(7);
    Map<String, float[]> inputs = new HashMap<>();
    for (ValueInfoProto input : model.getGraph().getInputList()) {
      Blob blob = net.blobByName(input.getName());
      if (given.containsKey(input.getName())) {
        fill(blob, given.get(input.getName()));
        inputs.put(input.getName(), given.get(input.getName()));
      } else {
        inputs.put(input.getName(), randomInput(blob, random, low, high));
      }
    }
    net.forward();
    Map<String, Output> outputs = run(net, model, inputs, tensors.values());
    for (var e : tensors.entrySet()) {
      Output output = outputs.get(e.getValue());
      Blob expected = net.blobByName(e.getKey());
      assertArrayEquals(toLong(expected.shape()), output.shape(), "shape of " + e.getKey());
      comparison.check(e.getKey(), values(expected), output.values());
    }
  }

  /** One tensor ONNX Runtime computed. */
  record Output(long[] shape, float[] values) {
  }

  /** Runs the model in ONNX Runtime on the inputs (each shaped as the net's blob of that name); the named tensors. */
  static Map<String, Output> run(Net net, ModelProto model, Map<String, float[]> inputs, Collection<String> wanted)
      throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    Map<String, Output> outputs = new HashMap<>();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      try (OrtSession session = env.createSession(model.toByteArray(), options)) {
        Map<String, OnnxTensor> feeds = new HashMap<>();
        for (var e : inputs.entrySet()) {
          feeds.put(e.getKey(), OnnxTensor.createTensor(env, FloatBuffer.wrap(e.getValue()),
              toLong(net.blobByName(e.getKey()).shape())));
        }
        try (OrtSession.Result result = session.run(feeds)) {
          for (String name : wanted) {
            OnnxTensor tensor = (OnnxTensor) result.get(name).orElseThrow(
                () -> new AssertionError("the ONNX graph has no output tensor " + name));
            float[] values = new float[tensor.getFloatBuffer().remaining()];
            tensor.getFloatBuffer().get(values);
            outputs.put(name, new Output(tensor.getInfo().getShape(), values));
          }
        } finally {
          feeds.values().forEach(OnnxTensor::close);
        }
      }
    }
    return outputs;
  }

  private static void assertClose(String name, float[] expected, float[] actual, double tolerance) {
    double largest = 1;
    for (float v : expected) {
      largest = Math.max(largest, Math.abs(v));
    }
    double allowed = tolerance * largest;
    for (int i = 0; i < expected.length; i++) {
      double difference = Math.abs(expected[i] - actual[i]);
      int at = i;
      assertTrue(difference <= allowed, () -> String.format("%s: element %d is %s in Kaffee, %s in"
          + " ONNX Runtime (difference %.3g > %.3g)", name, at, expected[at], actual[at], difference, allowed));
    }
  }

  private static void assertRelative(String name, float[] expected, float[] actual, double relative) {
    double largest = 0;
    for (float v : expected) {
      largest = Math.max(largest, Math.abs(v));
    }
    double floor = 0.01 * largest;
    for (int i = 0; i < expected.length; i++) {
      double difference = Math.abs(expected[i] - actual[i]);
      double allowed = relative * Math.max(Math.abs(expected[i]), floor);
      int at = i;
      assertTrue(difference <= allowed, () -> String.format("%s: element %d is %s in Kaffee, %s in ONNX Runtime"
          + " (relative difference %.3g > %.3g)", name, at, expected[at], actual[at],
          difference / Math.max(Math.abs(expected[at]), floor), relative));
    }
  }

  static float[] values(Blob blob) {
    return Arrays.copyOf(blob.data().castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c').data().asFloat(),
        blob.count());
  }

  static long[] toLong(int[] shape) {
    return Arrays.stream(shape).asLongStream().toArray();
  }
}
