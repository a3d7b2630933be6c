package org.kaffee.layers.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.kaffee.testing.DoubleLayers.assertValues;
import static org.kaffee.testing.DoubleLayers.forward;
import static org.kaffee.testing.DoubleLayers.list;

import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.kaffee.core.Blob;
import org.kaffee.core.Layer;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.testing.DoubleLayers;
import org.kaffee.testing.TestBlobs;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Helpers for the common-layer tests: double-precision layers from prototxt text, named "l"; tops,
 * lists and value checks come from {@link DoubleLayers}.
 */
final class LayerFixture {
  private LayerFixture() {
  }

  static <T extends Layer> T layer(Function<LayerParameter, T> ctor, String text) {
    return DoubleLayers.fromText(ctor, "l", text);
  }

  static Blob top() {
    return new Blob(DataType.DOUBLE);
  }

  static void assertDiff(double[] expected, Blob blob, double tol) {
    double[] actual = TestBlobs.diff(blob);
    assertEquals(expected.length, blob.count(), "count of " + blob);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], tol, "diff element " + i);
    }
  }

  /**
   * Runs a layer out of place, then a second copy in place (top = bottom), on the same gaussian
   * input and top gradient: the in-place top, bottom diff and param diffs must be the
   * out-of-place ones. {@code make} builds each copy (seeding Rng first where fillers are random).
   */
  static void assertInPlaceMatchesOutOfPlace(Supplier<Layer> make, long inputSeed, long diffSeed,
      int... shape) {
    Layer a = make.get();
    Blob xa = TestBlobs.gaussian(inputSeed, 1, shape);
    List<Blob> top = forward(a, 1, xa);
    top.get(0).diff().assign(TestBlobs.gaussian(diffSeed, 1, shape).data());
    a.backward(top, new boolean[] {true}, list(xa));
    Layer b = make.get();
    Blob xb = TestBlobs.gaussian(inputSeed, 1, shape);
    b.setUp(list(xb), list(xb));
    run(b, list(xb), list(xb));
    assertValues(TestBlobs.data(top.get(0)), xb, 1e-12);
    xb.diff().assign(TestBlobs.gaussian(diffSeed, 1, shape).data());
    b.backward(list(xb), new boolean[] {true}, list(xb));
    assertDiff(TestBlobs.diff(xa), xb, 1e-12);
    for (int i = 0; i < a.blobs().size(); i++) {
      assertDiff(TestBlobs.diff(a.blobs().get(i)), b.blobs().get(i), 1e-12);
    }
  }

  /** Runs reshape + forward. */
  static void run(Layer layer, List<Blob> bottom, List<Blob> top) {
    layer.forwardWithLoss(bottom, top);
  }
}
