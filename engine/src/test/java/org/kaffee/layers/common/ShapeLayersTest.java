package org.kaffee.layers.common;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kaffee.layers.common.LayerFixture.*;
import static org.kaffee.testing.DoubleLayers.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kaffee.core.Blob;
import org.kaffee.core.KaffeeException;
import org.kaffee.testing.GradientChecker;
import org.kaffee.testing.TestBlobs;

/** Flatten, Reshape, Silence, Split, Parameter. */
class ShapeLayersTest {
  private static int[] shapeAfter(String text, int... in) {
    ReshapeLayer r = layer(ReshapeLayer::new, "type: 'Reshape' reshape_param { " + text + " }");
    List<Blob> top = tops(1);
    r.setUp(list(TestBlobs.gaussian(1, 1, in)), top);
    return top.get(0).shape();
  }

  @Test
  void flattenDefaultAndAxes() {
    FlattenLayer f = layer(FlattenLayer::new, "type: 'Flatten'");
    Blob x = TestBlobs.gaussian(1, 1, 2, 2, 3, 3);
    List<Blob> top = tops(1);
    f.setUp(list(x), top);
    assertArrayEquals(new int[] {2, 18}, top.get(0).shape());
    assertTrue(top.get(0).sharesDataWith(x));
    FlattenLayer f2 = layer(FlattenLayer::new, "type: 'Flatten' flatten_param { axis: 2 }");
    f2.setUp(list(x), top);
    assertArrayEquals(new int[] {2, 2, 9}, top.get(0).shape());
    FlattenLayer f3 = layer(FlattenLayer::new, "type: 'Flatten' flatten_param { axis: 0 end_axis: 1 }");
    f3.setUp(list(x), top);
    assertArrayEquals(new int[] {4, 3, 3}, top.get(0).shape());
  }

  @Test
  void flattenGradientPassesThrough() {
    FlattenLayer f = layer(FlattenLayer::new, "type: 'Flatten'");
    new GradientChecker(1e-2, 1e-3).checkGradientEltwise(f, list(TestBlobs.gaussian(1, 1, 2, 3, 2)), tops(1));
  }

  @Test
  void reshapeCopiesAndInfersDims() {
    assertArrayEquals(new int[] {2, 12, 2}, shapeAfter("shape { dim: 0 dim: -1 dim: 2 }", 2, 4, 3, 2));
    assertArrayEquals(new int[] {2, 4, 6}, shapeAfter("axis: 2 num_axes: -1 shape { dim: 6 }", 2, 4, 3, 2));
    assertArrayEquals(new int[] {2, 4, 1, 3, 2}, shapeAfter("axis: 2 num_axes: 0 shape { dim: 1 }", 2, 4, 3, 2));
    assertArrayEquals(new int[] {2, 4, 3, 2, 1}, shapeAfter("axis: -1 num_axes: 0 shape { dim: 1 }", 2, 4, 3, 2));
    assertArrayEquals(new int[] {8, 6}, shapeAfter("shape { dim: -1 dim: 6 }", 2, 4, 3, 2));
    assertArrayEquals(new int[] {2, 3, 8}, shapeAfter("axis: 1 shape { dim: 3 dim: -1 }", 2, 4, 3, 2));
    assertThrows(KaffeeException.class, () -> shapeAfter("shape { dim: 5 dim: -1 }", 2, 4, 3, 2));
    assertThrows(KaffeeException.class, () -> shapeAfter("shape { dim: -1 dim: -1 }", 2, 4));
  }

  @Test
  void reshapeSharesDataAndDiff() {
    ReshapeLayer r = layer(ReshapeLayer::new, "type: 'Reshape' reshape_param { shape { dim: -1 } }");
    Blob x = TestBlobs.gaussian(1, 1, 2, 3);
    List<Blob> top = forward(r, 1, x);
    assertValues(TestBlobs.data(x), top.get(0), 0);
    top.get(0).diff().assign(3);
    assertEquals(3.0, x.diffView().get(5));
  }

  @Test
  void silenceZeroesBottomDiffs() {
    SilenceLayer s = layer(SilenceLayer::new, "type: 'Silence'");
    Blob a = TestBlobs.gaussian(1, 1, 2, 3);
    Blob b = TestBlobs.gaussian(1, 1, 4);
    a.diff().assign(5);
    b.diff().assign(5);
    List<Blob> none = forward(s, 0, a, b);
    s.backward(none, new boolean[] {true, false}, list(a, b));
    assertDiff(new double[6], a, 0);
    assertEquals(5.0, b.diffView().get(0));
  }

  @Test
  void splitSumsTopGradients() {
    SplitLayer s = layer(SplitLayer::new, "type: 'Split'");
    Blob x = TestBlobs.gaussian(1, 1, 2, 3);
    List<Blob> top = forward(s, 2, x);
    assertValues(TestBlobs.data(x), top.get(1), 0);
    new GradientChecker(1e-2, 1e-3).checkGradientEltwise(s, list(x), tops(3));
  }

  @Test
  void parameterExposesItsBlobAsTop() {
    ParameterLayer p = layer(ParameterLayer::new, "type: 'Parameter' parameter_param { shape { dim: 2 dim: 3 } }");
    List<Blob> top = tops(1);
    p.setUp(list(), top);
    assertArrayEquals(new int[] {2, 3}, top.get(0).shape());
    assertArrayEquals(new int[] {2, 3}, p.blobs().get(0).shape());
    p.blobs().get(0).dataView().set(4, 7);
    run(p, list(), top);
    assertEquals(7.0, top.get(0).dataView().get(4));
    top.get(0).diff().assign(2);
    assertEquals(2.0, p.blobs().get(0).diffView().get(1));
    new GradientChecker(1e-2, 1e-3).checkGradient(p, list(), tops(1));
  }
}
