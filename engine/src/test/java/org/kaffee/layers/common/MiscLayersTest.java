package org.kaffee.layers.common;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.kaffee.layers.common.LayerFixture.*;
import static org.kaffee.testing.DoubleLayers.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kaffee.core.Blob;
import org.kaffee.core.KaffeeException;
import org.kaffee.testing.GradientChecker;
import org.kaffee.testing.TestBlobs;

/** Softmax, ArgMax, BatchReindex, Filter, Tile, Reduction, MVN, Embed. */
class MiscLayersTest {
  @Test
  void softmaxSumsToOneOverTheAxis() {
    SoftmaxLayer s = layer(SoftmaxLayer::new, "type: 'Softmax'");
    Blob x = TestBlobs.gaussian(1, 3, 2, 4, 3);
    List<Blob> top = forward(s, 1, x);
    double[] y = TestBlobs.data(top.get(0));
    double[] xs = TestBlobs.data(x);
    for (int n = 0; n < 2; n++) {
      for (int i = 0; i < 3; i++) {
        double sum = 0;
        double z = 0;
        for (int c = 0; c < 4; c++) {
          sum += y[(n * 4 + c) * 3 + i];
          z += Math.exp(xs[(n * 4 + c) * 3 + i]);
        }
        assertEquals(1, sum, 1e-12);
        assertEquals(Math.exp(xs[n * 12 + i]) / z, y[n * 12 + i], 1e-12);
      }
    }
    Blob big = TestBlobs.of(new double[] {1000, 1000}, 1, 2);
    run(s, list(big), top);
    assertValues(new double[] {0.5, 0.5}, top.get(0), 1e-12);
  }

  @Test
  void softmaxOnALargeBlobUsesTheSameFormula() {
    // 2 x 8 x 32 x 32 = 16384 values: the native-op path.
    SoftmaxLayer s = layer(SoftmaxLayer::new, "type: 'Softmax'");
    Blob x = TestBlobs.gaussian(7, 2, 2, 8, 32, 32);
    List<Blob> top = forward(s, 1, x);
    Blob dyBlob = TestBlobs.gaussian(8, 1, 2, 8, 32, 32);
    top.get(0).diff().assign(dyBlob.data());
    s.backward(top, new boolean[] {true}, list(x));
    double[] xs = TestBlobs.data(x);
    double[] y = TestBlobs.data(top.get(0));
    double[] dy = TestBlobs.data(dyBlob);
    double[] dx = TestBlobs.diff(x);
    int inner = 1024;
    for (int n = 0; n < 2; n++) {
      for (int i = 0; i < inner; i += 37) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < 8; c++) {
          max = Math.max(max, xs[(n * 8 + c) * inner + i]);
        }
        double z = 0;
        for (int c = 0; c < 8; c++) {
          z += Math.exp(xs[(n * 8 + c) * inner + i] - max);
        }
        double dot = 0;
        for (int c = 0; c < 8; c++) {
          int k = (n * 8 + c) * inner + i;
          dot += dy[k] * Math.exp(xs[k] - max) / z;
        }
        for (int c = 0; c < 8; c++) {
          int k = (n * 8 + c) * inner + i;
          double p = Math.exp(xs[k] - max) / z;
          assertEquals(p, y[k], 1e-12);
          assertEquals((dy[k] - dot) * p, dx[k], 1e-12);
        }
      }
    }
  }

  @Test
  void softmaxGradient() {
    new GradientChecker(1e-2, 1e-3).checkGradientExhaustive(layer(SoftmaxLayer::new, "type: 'Softmax'"),
        list(TestBlobs.gaussian(2, 1, 2, 3, 2)), tops(1), -1);
    new GradientChecker(1e-2, 1e-3).checkGradient(layer(SoftmaxLayer::new, "type: 'Softmax' softmax_param { axis: -1 }"),
        list(TestBlobs.gaussian(2, 1, 2, 3, 2)), tops(1));
  }

  @Test
  void argmaxVariants() {
    Blob x = TestBlobs.of(new double[] {3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8}, 2, 6);
    ArgMaxLayer a = layer(ArgMaxLayer::new, "type: 'ArgMax'");
    List<Blob> top = forward(a, 1, x);
    assertArrayEquals(new int[] {2, 1, 1}, top.get(0).shape());
    assertValues(new double[] {5, 5}, top.get(0), 0);
    ArgMaxLayer a2 = layer(ArgMaxLayer::new, "type: 'ArgMax' argmax_param { top_k: 2 out_max_val: true }");
    a2.setUp(list(x), top);
    run(a2, list(x), top);
    assertArrayEquals(new int[] {2, 2, 2}, top.get(0).shape());
    // item 1: 8 at 5, then 6 at 1.
    assertValues(new double[] {5, 4, 9, 5, 5, 1, 8, 6}, top.get(0), 0);
    ArgMaxLayer a3 = layer(ArgMaxLayer::new, "type: 'ArgMax' argmax_param { axis: 0 }");
    a3.setUp(list(x), top);
    run(a3, list(x), top);
    assertArrayEquals(new int[] {1, 6}, top.get(0).shape());
    // The tie 5 vs 5 in column 4 goes to the larger index.
    assertValues(new double[] {0, 1, 1, 1, 1, 0}, top.get(0), 0);
    ArgMaxLayer a4 = layer(ArgMaxLayer::new, "type: 'ArgMax' argmax_param { axis: 1 top_k: 2 out_max_val: true }");
    a4.setUp(list(x), top);
    run(a4, list(x), top);
    assertValues(new double[] {9, 5, 8, 6}, top.get(0), 0);
  }

  @Test
  void batchReindexGathersAndScattersBack() {
    BatchReindexLayer r = layer(BatchReindexLayer::new, "type: 'BatchReindex'");
    Blob x = TestBlobs.of(new double[] {1, 2, 3, 4, 5, 6}, 3, 2);
    Blob idx = TestBlobs.of(new double[] {2, 0, 2, 1}, 4);
    List<Blob> top = forward(r, 1, x, idx);
    assertValues(new double[] {5, 6, 1, 2, 5, 6, 3, 4}, top.get(0), 0);
    top.get(0).diff().assign(1);
    r.backward(top, new boolean[] {true, false}, list(x, idx));
    assertDiff(new double[] {1, 1, 1, 1, 2, 2}, x, 0);
    new GradientChecker(1e-2, 1e-3).checkGradient(r, list(TestBlobs.gaussian(1, 1, 3, 2), idx), tops(1), 0);
    Blob bad = TestBlobs.of(new double[] {3}, 1);
    assertThrows(KaffeeException.class, () -> run(r, list(x, bad), top));
  }

  @Test
  void filterKeepsSelectedItems() {
    FilterLayer f = layer(FilterLayer::new, "type: 'Filter'");
    Blob x = TestBlobs.of(new double[] {1, 2, 3, 4, 5, 6}, 3, 2);
    Blob y = TestBlobs.of(new double[] {10, 20, 30}, 3);
    Blob sel = TestBlobs.of(new double[] {1, 0, 1}, 3, 1);
    List<Blob> top = tops(2);
    f.setUp(list(x, y, sel), top);
    assertArrayEquals(new int[] {3, 2}, top.get(0).shape());
    run(f, list(x, y, sel), top);
    assertArrayEquals(new int[] {2, 2}, top.get(0).shape());
    assertValues(new double[] {1, 2, 5, 6}, top.get(0), 0);
    assertValues(new double[] {10, 30}, top.get(1), 0);
    top.get(0).diff().assign(7);
    x.diff().assign(3);
    f.backward(top, new boolean[] {true, false, false}, list(x, y, sel));
    assertDiff(new double[] {7, 7, 0, 0, 7, 7}, x, 0);
    new GradientChecker(1e-2, 1e-3).checkGradient(f,
        list(TestBlobs.gaussian(1, 1, 3, 2), TestBlobs.gaussian(2, 1, 3), sel), tops(2), 0);
  }

  @Test
  void tileRepeatsBlocks() {
    TileLayer t = layer(TileLayer::new, "type: 'Tile' tile_param { axis: 1 tiles: 2 }");
    Blob x = TestBlobs.of(new double[] {1, 2, 3, 4}, 2, 2);
    List<Blob> top = forward(t, 1, x);
    assertArrayEquals(new int[] {2, 4}, top.get(0).shape());
    assertValues(new double[] {1, 2, 1, 2, 3, 4, 3, 4}, top.get(0), 0);
    TileLayer t0 = layer(TileLayer::new, "type: 'Tile' tile_param { axis: 0 tiles: 2 }");
    t0.setUp(list(x), top);
    run(t0, list(x), top);
    assertValues(new double[] {1, 2, 3, 4, 1, 2, 3, 4}, top.get(0), 0);
    new GradientChecker(1e-2, 1e-3).checkGradient(
        layer(TileLayer::new, "type: 'Tile' tile_param { axis: 1 tiles: 3 }"),
        list(TestBlobs.gaussian(1, 1, 2, 2, 3)), tops(1));
  }

  @Test
  void reductionOperations() {
    Blob x = TestBlobs.of(new double[] {1, -2, 3, -4, 5, 6}, 2, 3);
    String[][] cases = {
        {"operation: SUM axis: 1", "2", "7"},
        {"operation: ASUM axis: 1", "6", "15"},
        {"operation: SUMSQ axis: 1", "14", "77"},
        {"operation: MEAN axis: 1 coeff: 3", "2", "7"},
        {"operation: SUM coeff: 0.5", "4.5", ""},
    };
    for (String[] c : cases) {
      ReductionLayer r = layer(ReductionLayer::new, "type: 'Reduction' reduction_param { " + c[0] + " }");
      List<Blob> top = forward(r, 1, x);
      double[] expected = c[2].isEmpty() ? new double[] {Double.parseDouble(c[1])}
          : new double[] {Double.parseDouble(c[1]), Double.parseDouble(c[2])};
      assertValues(expected, top.get(0), 1e-12);
    }
    for (String op : new String[] {"SUM", "ASUM", "SUMSQ", "MEAN"}) {
      new GradientChecker(1e-2, 1e-3).checkGradient(layer(ReductionLayer::new,
          "type: 'Reduction' reduction_param { operation: " + op + " axis: 1 coeff: -1.5 }"),
          list(TestBlobs.gaussian(4, 1, 2, 3, 2)), tops(1));
    }
  }

  @Test
  void mvnNormalises() {
    MVNLayer m = layer(MVNLayer::new, "type: 'MVN'");
    Blob x = TestBlobs.of(new double[] {1, 3, 0, 4, 2, 2, 10, 20}, 2, 2, 2);
    List<Blob> top = forward(m, 1, x);
    assertValues(new double[] {-1, 1, -1, 1, 0, 0, -1, 1}, top.get(0), 1e-6);
    MVNLayer across = layer(MVNLayer::new, "type: 'MVN' mvn_param { across_channels: true normalize_variance: false }");
    across.setUp(list(x), top);
    run(across, list(x), top);
    assertValues(new double[] {-1, 1, -2, 2, -6.5, -6.5, 1.5, 11.5}, top.get(0), 1e-12);
    for (String p : new String[] {"", "mvn_param { across_channels: true }", "mvn_param { normalize_variance: false }"}) {
      new GradientChecker(1e-3, 1e-3).checkGradientExhaustive(layer(MVNLayer::new, "type: 'MVN' " + p),
          list(TestBlobs.gaussian(3, 1, 2, 2, 3)), tops(1), -1);
    }
  }

  @Test
  void embedLooksUpRows() {
    EmbedLayer e = layer(EmbedLayer::new, "type: 'Embed' embed_param { input_dim: 3 num_output: 2 "
        + "weight_filler { type: 'gaussian' } bias_filler { type: 'constant' value: 0.5 } }");
    Blob idx = TestBlobs.of(new double[] {2, 0, 2}, 3);
    List<Blob> top = tops(1);
    e.setUp(list(idx), top);
    assertArrayEquals(new int[] {3, 2}, top.get(0).shape());
    for (int i = 0; i < 6; i++) {
      e.blobs().get(0).dataView().set(i, i);
    }
    run(e, list(idx), top);
    assertValues(new double[] {4.5, 5.5, 0.5, 1.5, 4.5, 5.5}, top.get(0), 1e-12);
    top.get(0).diff().assign(1);
    e.backward(top, new boolean[] {false}, list(idx));
    assertDiff(new double[] {1, 1, 0, 0, 2, 2}, e.blobs().get(0), 0);
    assertDiff(new double[] {3, 3}, e.blobs().get(1), 0);
    Blob bad = TestBlobs.of(new double[] {3}, 1);
    assertThrows(KaffeeException.class, () -> run(e, list(bad), top));
  }

  @Test
  void embedParamGradient() {
    EmbedLayer e = layer(EmbedLayer::new, "type: 'Embed' embed_param { input_dim: 4 num_output: 3 "
        + "weight_filler { type: 'gaussian' } bias_filler { type: 'gaussian' } }");
    Blob idx = TestBlobs.of(new double[] {3, 1, 1, 0, 2, 3}, 2, 3);
    new GradientChecker(1e-2, 1e-3).checkGradient(e, list(idx), tops(1), 1);
  }
}
