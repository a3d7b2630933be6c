package org.kaffee.layers.common;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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

class ConcatSliceLayerTest {
  private static Blob seq(int start, int... shape) {
    Blob b = TestBlobs.of(new double[0], shape);
    for (int i = 0; i < b.count(); i++) {
      b.dataView().set(i, start + i);
    }
    return b;
  }

  @Test
  void concatAxis1() {
    ConcatLayer c = layer(ConcatLayer::new, "type: 'Concat'");
    Blob a = seq(0, 2, 1, 2);
    Blob b = seq(100, 2, 2, 2);
    List<Blob> top = forward(c, 1, a, b);
    assertArrayEquals(new int[] {2, 3, 2}, top.get(0).shape());
    assertValues(new double[] {0, 1, 100, 101, 102, 103, 2, 3, 104, 105, 106, 107}, top.get(0), 0);
  }

  @Test
  void concatAxis0AndLegacyConcatDim() {
    ConcatLayer c = layer(ConcatLayer::new, "type: 'Concat' concat_param { concat_dim: 0 }");
    Blob a = seq(0, 1, 2);
    Blob b = seq(10, 2, 2);
    List<Blob> top = forward(c, 1, a, b);
    assertArrayEquals(new int[] {3, 2}, top.get(0).shape());
    assertValues(new double[] {0, 1, 10, 11, 12, 13}, top.get(0), 0);
    ConcatLayer neg = layer(ConcatLayer::new, "type: 'Concat' concat_param { axis: -2 }");
    List<Blob> top2 = tops(1);
    neg.setUp(list(a, b), top2);
    assertArrayEquals(new int[] {3, 2}, top2.get(0).shape());
  }

  @Test
  void concatRejectsMismatchedShapes() {
    ConcatLayer c = layer(ConcatLayer::new, "type: 'Concat'");
    assertThrows(KaffeeException.class, () -> c.setUp(list(seq(0, 2, 1, 2), seq(0, 2, 1, 3)), tops(1)));
  }

  @Test
  void concatGradient() {
    ConcatLayer c = layer(ConcatLayer::new, "type: 'Concat' concat_param { axis: 1 }");
    new GradientChecker(1e-2, 1e-3).checkGradientExhaustive(c,
        list(TestBlobs.gaussian(1, 1, 2, 2, 3), TestBlobs.gaussian(2, 1, 2, 1, 3)), tops(1), -1);
    ConcatLayer c0 = layer(ConcatLayer::new, "type: 'Concat' concat_param { axis: 0 }");
    new GradientChecker(1e-2, 1e-3).checkGradient(c0,
        list(TestBlobs.gaussian(1, 1, 1, 2, 3), TestBlobs.gaussian(2, 1, 2, 2, 3)), tops(1));
  }

  @Test
  void sliceAtSlicePointsOnAxis1() {
    SliceLayer s = layer(SliceLayer::new, "type: 'Slice' slice_param { axis: 1 slice_point: 1 slice_point: 3 }");
    Blob x = seq(0, 2, 5, 1);
    List<Blob> top = forward(s, 3, x);
    assertArrayEquals(new int[] {2, 1, 1}, top.get(0).shape());
    assertArrayEquals(new int[] {2, 2, 1}, top.get(1).shape());
    assertArrayEquals(new int[] {2, 2, 1}, top.get(2).shape());
    assertValues(new double[] {0, 5}, top.get(0), 0);
    assertValues(new double[] {1, 2, 6, 7}, top.get(1), 0);
    assertValues(new double[] {3, 4, 8, 9}, top.get(2), 0);
  }

  @Test
  void sliceOnAxis0AndEqualSplitWithLegacySliceDim() {
    SliceLayer s = layer(SliceLayer::new, "type: 'Slice' slice_param { axis: 0 slice_point: 1 }");
    Blob x = seq(0, 3, 2);
    List<Blob> top = forward(s, 2, x);
    assertValues(new double[] {0, 1}, top.get(0), 0);
    assertValues(new double[] {2, 3, 4, 5}, top.get(1), 0);
    SliceLayer eq = layer(SliceLayer::new, "type: 'Slice' slice_param { slice_dim: 1 }");
    Blob y = seq(0, 1, 4);
    List<Blob> top2 = forward(eq, 2, y);
    assertValues(new double[] {0, 1}, top2.get(0), 0);
    assertValues(new double[] {2, 3}, top2.get(1), 0);
    SliceLayer bad = layer(SliceLayer::new, "type: 'Slice' slice_param { axis: 1 }");
    assertThrows(KaffeeException.class, () -> bad.setUp(list(seq(0, 1, 5)), tops(2)));
  }

  @Test
  void sliceGradientOnEveryAxis() {
    SliceLayer s = layer(SliceLayer::new, "type: 'Slice' slice_param { axis: 1 slice_point: 1 slice_point: 3 }");
    new GradientChecker(1e-2, 1e-3).checkGradientExhaustive(s, list(TestBlobs.gaussian(1, 1, 2, 4, 2)), tops(3), -1);
    SliceLayer last = layer(SliceLayer::new, "type: 'Slice' slice_param { axis: -1 }");
    new GradientChecker(1e-2, 1e-3).checkGradient(last, list(TestBlobs.gaussian(1, 1, 2, 2, 4)), tops(2));
  }

  @Test
  void singleTopOrBottomSharesMemory() {
    SliceLayer s = layer(SliceLayer::new, "type: 'Slice'");
    Blob x = seq(0, 2, 3);
    List<Blob> top = tops(1);
    s.setUp(list(x), top);
    assertTrue(top.get(0).sharesDataWith(x));
    ConcatLayer c = layer(ConcatLayer::new, "type: 'Concat'");
    List<Blob> top2 = tops(1);
    c.setUp(list(x), top2);
    assertTrue(top2.get(0).sharesDataWith(x));
  }
}
