package org.kaffee.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.kaffee.core.Blob;
import org.kaffee.core.Net;
import org.kaffee.onnx.proto.Onnx.ModelProto;
import org.kaffee.onnx.proto.Onnx.ValueInfoProto;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs a net in Kaffee and its export in ONNX Runtime on the same random input and weights,
 * and compares every output of the net.
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
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      try (OrtSession session = env.createSession(model.toByteArray(), options)) {
        Map<String, OnnxTensor> feeds = new HashMap<>();
        for (var e : inputs.entrySet()) {
          feeds.put(e.getKey(), OnnxTensor.createTensor(env, FloatBuffer.wrap(e.getValue()),
              toLong(net.blobByName(e.getKey()).shape())));
        }
        try (OrtSession.Result result = session.run(feeds)) {
          List<String> names = net.outputBlobNames();
          for (int i = 0; i < names.size(); i++) {
            String tensorName = model.getGraph().getOutput(i).getName();
            OnnxTensor tensor = (OnnxTensor) result.get(tensorName).orElseThrow();
            Blob expected = net.outputBlobs().get(i);
            assertArrayEquals(toLong(expected.shape()), tensor.getInfo().getShape(),
                "shape of output " + names.get(i));
            float[] actual = new float[expected.count()];
            tensor.getFloatBuffer().get(actual);
            assertClose(names.get(i), values(expected), actual, tolerance);
          }
        } finally {
          feeds.values().forEach(OnnxTensor::close);
        }
      }
    }
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

  static float[] values(Blob blob) {
    return Arrays.copyOf(blob.data().castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c').data().asFloat(),
        blob.count());
  }

  static long[] toLong(int[] shape) {
    return Arrays.stream(shape).asLongStream().toArray();
  }
}
