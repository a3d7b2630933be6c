package org.kaffee.layers.neuron;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.function.Function;
import org.kaffee.core.Blob;
import org.kaffee.core.DataView;
import org.kaffee.core.Layer;
import org.kaffee.core.Rng;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.testing.GradientChecker;
import org.kaffee.testing.TestBlobs;
import org.nd4j.linalg.api.buffer.DataType;

/** Shared checks for the element-wise layers. */
final class NeuronTesting {
  private NeuronTesting() {
  }

  static final int[] SHAPE = {2, 3, 4, 5};

  static LayerParameter.Builder param(String type) {
    return LayerParameter.newBuilder().setName("n").setType(type);
  }

  static Layer make(LayerParameter p, DataType type) {
    Layer layer = new NeuronLayers().layers().get(p.getType()).apply(p);
    layer.setDataType(type);
    return layer;
  }

  /** Element-wise gradient check in double on a gaussian bottom. */
  static void gradient(LayerParameter p, GradientChecker checker, Blob bottom) {
    Layer layer = make(p, DataType.DOUBLE);
    Blob top = new Blob(DataType.DOUBLE);
    checker.checkGradientEltwise(layer, List.of(bottom), List.of(top));
  }

  static void gradient(LayerParameter p) {
    gradient(p, new GradientChecker(1e-2, 1e-3), TestBlobs.gaussian(1701, 1.0, SHAPE));
  }

  /** Forward on the given values (double), returning the top values. */
  static double[] forward(LayerParameter p, double... x) {
    Layer layer = make(p, DataType.DOUBLE);
    Blob bottom = TestBlobs.of(x, 1, x.length);
    Blob top = new Blob(DataType.DOUBLE);
    layer.setUp(List.of(bottom), List.of(top));
    layer.forward(List.of(bottom), List.of(top));
    return TestBlobs.data(top);
  }

  /** Checks forward against an expected function of x, value by value. */
  static void forwardMatches(LayerParameter p, Function<Double, Double> expected, double tol,
      double... x) {
    double[] y = forward(p, x);
    for (int i = 0; i < x.length; i++) {
      assertEquals(expected.apply(x[i]), y[i], tol, "x = " + x[i]);
    }
  }

  /** Result of a forward + backward: top values, bottom diff, param diffs. */
  record Pass(double[] top, double[] bottomDiff, double[] paramDiff) {
  }

  /** Forward then backward with a fixed random top diff, in place or not, in a precision. */
  static Pass pass(LayerParameter p, Blob input, boolean inPlace, DataType type) {
    Layer layer = make(p, type);
    Blob bottom = new Blob(type, input.shape());
    copy(input.dataView(), bottom.dataView(), input.count());
    Blob top = inPlace ? bottom : new Blob(type);
    Rng.seed(42);
    layer.setUp(List.of(bottom), List.of(top));
    Rng.seed(7);
    layer.forward(List.of(bottom), List.of(top));
    double[] y = TestBlobs.data(top);
    Blob dy = TestBlobs.gaussian(99, 1.0, input.shape());
    copy(dy.dataView(), top.diffView(), dy.count());
    for (Blob b : layer.blobs()) {
      b.diff().assign(0);
    }
    layer.backward(List.of(top), new boolean[] {true}, List.of(bottom));
    double[] params = layer.blobs().isEmpty() ? new double[0] : TestBlobs.diff(layer.blobs().get(0));
    return new Pass(y, TestBlobs.diff(bottom), params);
  }

  /** In-place forward and backward give the same numbers as separate blobs. */
  static void inPlaceMatches(LayerParameter p) {
    Blob input = TestBlobs.gaussian(5, 1.0, SHAPE);
    Pass separate = pass(p, input, false, DataType.DOUBLE);
    Pass inPlace = pass(p, input, true, DataType.DOUBLE);
    assertArrayEquals(separate.top(), inPlace.top(), 1e-12, "top");
    assertArrayEquals(separate.bottomDiff(), inPlace.bottomDiff(), 1e-12, "bottom diff");
    assertArrayEquals(separate.paramDiff(), inPlace.paramDiff(), 1e-12, "param diff");
  }

  /** float32 gives the double numbers to float precision. */
  static void floatMatchesDouble(LayerParameter p) {
    Blob input = TestBlobs.gaussian(5, 1.0, SHAPE);
    Pass d = pass(p, input, false, DataType.DOUBLE);
    Pass f = pass(p, input, false, DataType.FLOAT);
    assertClose(d.top(), f.top(), "top");
    assertClose(d.bottomDiff(), f.bottomDiff(), "bottom diff");
    assertClose(d.paramDiff(), f.paramDiff(), "param diff");
  }

  private static void assertClose(double[] expected, double[] actual, String what) {
    assertEquals(expected.length, actual.length, what);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], 1e-5 * Math.max(1, Math.abs(expected[i])),
          what + " " + i);
    }
  }

  private static void copy(DataView from, DataView to, int n) {
    for (int i = 0; i < n; i++) {
      to.set(i, from.get(i));
    }
  }
}
