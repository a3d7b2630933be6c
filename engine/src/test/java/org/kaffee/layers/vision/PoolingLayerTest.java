package org.kaffee.layers.vision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kaffee.testing.DoubleLayers.assertValues;
import static org.kaffee.layers.vision.VisionTestUtil.layer;
import static org.kaffee.layers.vision.VisionTestUtil.tops;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kaffee.core.Blob;
import org.kaffee.core.Rng;
import org.kaffee.kernels.PoolingShape;
import org.kaffee.kernels.PoolingStrategy;
import org.kaffee.testing.GradientChecker;
import org.kaffee.testing.TestBlobs;
import org.nd4j.linalg.api.buffer.DataType;

class PoolingLayerTest {
  private static PoolingLayer pool(String poolParam, String phase) {
    PoolingLayer l = new PoolingLayer(layer("name: \"p\" type: \"Pooling\" phase: " + phase
        + " pooling_param { " + poolParam + " }"));
    l.setDataType(DataType.DOUBLE);
    return l;
  }

  private static double[] range(int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = i + 1;
    }
    return v;
  }

  private static double[] ones(int n) {
    double[] v = new double[n];
    java.util.Arrays.fill(v, 1);
    return v;
  }

  @Test
  void maxCeilCaseWithMask() {
    // 4x4 pooled 3x3 stride 2: ceil((4 - 3) / 2) + 1 = 2, the last windows are clipped.
    PoolingLayer l = pool("pool: MAX kernel_size: 3 stride: 2", "TRAIN");
    Blob in = TestBlobs.of(range(16), 1, 1, 4, 4);
    List<Blob> top = tops(2);
    l.setUp(List.of(in), top);
    l.forward(List.of(in), top);
    assertArrayEquals(new int[] {1, 1, 2, 2}, top.get(0).shape());
    assertValues(new double[] {11, 12, 15, 16}, top.get(0), 0);
    assertValues(new double[] {10, 11, 14, 15}, top.get(1), 0);
    top.get(0).diff().assign(1);
    l.backward(top, new boolean[] {true}, List.of(in));
    double[] g = TestBlobs.diff(in);
    double[] expected = new double[16];
    expected[10] = expected[11] = expected[14] = expected[15] = 1;
    assertArrayEquals(expected, g, 0);
  }

  @Test
  void outputSizeDropsWindowStartingInPadding() {
    assertEquals(3, PoolingShape.outSize(5, 1, 2, 2, true));
    assertEquals(3, PoolingShape.outSize(4, 1, 3, 2, true));
    assertEquals(2, PoolingShape.outSize(4, 0, 3, 2, true));
    assertEquals(1, PoolingShape.outSize(4, 0, 3, 2, false));
    assertEquals(14, PoolingShape.outSize(28, 0, 2, 2, true));
  }

  @Test
  void aveDivisorCountsPadding() {
    // 3x3 ones, kernel 3, stride 1, pad 1: every window is 3x3 including padding, divisor 9.
    PoolingLayer l = pool("pool: AVE kernel_size: 3 stride: 1 pad: 1", "TEST");
    Blob in = TestBlobs.of(ones(9), 1, 1, 3, 3);
    List<Blob> top = tops(1);
    l.setUp(List.of(in), top);
    l.forward(List.of(in), top);
    assertValues(new double[] {4 / 9.0, 6 / 9.0, 4 / 9.0, 6 / 9.0, 1, 6 / 9.0, 4 / 9.0, 6 / 9.0, 4 / 9.0},
        top.get(0), 1e-12);
  }

  @Test
  void aveCeilWindowClippedToHeightPlusPad() {
    // 4x4 ones, kernel 3, stride 2, pad 1 -> 3x3; the last window spans rows 3..4 (H + pad = 5),
    // so its divisor is 2 per axis while only row 3 holds data.
    PoolingLayer l = pool("pool: AVE kernel_size: 3 stride: 2 pad: 1", "TEST");
    Blob in = TestBlobs.of(ones(16), 1, 1, 4, 4);
    List<Blob> top = tops(1);
    l.setUp(List.of(in), top);
    l.forward(List.of(in), top);
    double[] valid = {2, 3, 1};
    double[] pooled = {3, 3, 2};
    double[] expected = new double[9];
    for (int y = 0; y < 3; y++) {
      for (int x = 0; x < 3; x++) {
        expected[y * 3 + x] = valid[y] * valid[x] / (pooled[y] * pooled[x]);
      }
    }
    assertValues(expected, top.get(0), 1e-12);
  }

  @Test
  void globalPoolingAndRectangularKernel() {
    PoolingLayer l = pool("pool: AVE global_pooling: true", "TEST");
    Blob in = TestBlobs.of(range(12), 1, 2, 2, 3);
    List<Blob> top = tops(1);
    l.setUp(List.of(in), top);
    l.forward(List.of(in), top);
    assertValues(new double[] {3.5, 9.5}, top.get(0), 1e-12);
    PoolingLayer r = pool("pool: MAX kernel_h: 2 kernel_w: 1 stride_h: 1 stride_w: 2", "TEST");
    List<Blob> rt = tops(1);
    r.setUp(List.of(in), rt);
    r.forward(List.of(in), rt);
    assertArrayEquals(new int[] {1, 2, 1, 2}, rt.get(0).shape());
    assertValues(new double[] {4, 6, 10, 12}, rt.get(0), 0);
  }

  @Test
  void stochasticTestIsValueWeightedAverage() {
    PoolingLayer l = pool("pool: STOCHASTIC kernel_size: 2 stride: 2", "TEST");
    Blob in = TestBlobs.of(new double[] {1, 2, 3, 4}, 1, 1, 2, 2);
    List<Blob> top = tops(1);
    l.setUp(List.of(in), top);
    l.forward(List.of(in), top);
    assertValues(new double[] {30.0 / 10.0}, top.get(0), 1e-6);
  }

  @Test
  void stochasticTrainPicksAWindowValue() {
    Rng.seed(3);
    PoolingLayer l = pool("pool: STOCHASTIC kernel_size: 3 stride: 2", "TRAIN");
    Blob in = TestBlobs.uniform(4, 0.1, 1, 2, 3, 6, 5);
    List<Blob> top = tops(1);
    l.setUp(List.of(in), top);
    l.forward(List.of(in), top);
    double[] x = TestBlobs.data(in);
    double[] y = TestBlobs.data(top.get(0));
    int ph = top.get(0).height();
    int pw = top.get(0).width();
    for (int plane = 0; plane < 6; plane++) {
      for (int py = 0; py < ph; py++) {
        for (int px = 0; px < pw; px++) {
          double v = y[(plane * ph + py) * pw + px];
          boolean found = false;
          for (int h = py * 2; h < Math.min(py * 2 + 3, 6); h++) {
            for (int w = px * 2; w < Math.min(px * 2 + 3, 5); w++) {
              found |= x[plane * 30 + h * 5 + w] == v;
            }
          }
          assertTrue(found, "plane " + plane + " window " + py + "," + px);
        }
      }
    }
  }

  @Test
  void gradientMaxPadded() {
    PoolingLayer l = pool("pool: MAX kernel_size: 3 stride: 2 pad: 1", "TRAIN");
    new GradientChecker(1e-4, 1e-2).checkGradientExhaustive(l,
        List.of(TestBlobs.gaussian(11, 1, 2, 2, 5, 4)), tops(1), -1);
  }

  @Test
  void gradientMaxWithMaskTop() {
    PoolingLayer l = pool("pool: MAX kernel_h: 3 kernel_w: 2 stride_h: 2 stride_w: 1", "TRAIN");
    new GradientChecker(1e-4, 1e-2).checkGradient(l, List.of(TestBlobs.gaussian(12, 1, 1, 2, 6, 5)), tops(2));
  }

  @Test
  void gradientAveCeilPadded() {
    PoolingLayer l = pool("pool: AVE kernel_size: 3 stride: 2 pad: 1", "TRAIN");
    new GradientChecker(1e-2, 1e-3).checkGradientExhaustive(l,
        List.of(TestBlobs.gaussian(13, 1, 1, 2, 6, 5)), tops(1), -1);
  }

  @Test
  void gradientAveRectangularPad() {
    PoolingLayer l = pool("pool: AVE kernel_h: 3 kernel_w: 2 pad_h: 1 pad_w: 1 stride: 2", "TRAIN");
    new GradientChecker(1e-2, 1e-3).checkGradient(l, List.of(TestBlobs.gaussian(14, 1, 2, 2, 5, 5)), tops(1));
  }

  @Test
  void gradientStochasticTrain() {
    PoolingLayer l = pool("pool: STOCHASTIC kernel_size: 3 stride: 2", "TRAIN");
    new GradientChecker(1e-4, 1e-2).checkGradient(l, List.of(TestBlobs.uniform(15, 0.1, 1, 2, 2, 5, 5)), tops(1));
  }

  /** Forward and backward of one layer on {@code in} with a fixed top gradient: {top data, bottom diff}. */
  private static double[][] run(String poolParam, Blob in, PoolingStrategy strategy) {
    PoolingLayer l = pool(poolParam, "TRAIN");
    l.setDataType(in.dataType());
    l.useStrategy(strategy);
    List<Blob> top = List.of(new Blob(in.dataType(), 1));
    l.setUp(List.of(in), top);
    l.forward(List.of(in), top);
    top.get(0).diff().assign(TestBlobs.gaussian(7, 1, top.get(0).shape()).data().castTo(in.dataType()));
    l.backward(top, new boolean[] {true}, List.of(in));
    return new double[][] {TestBlobs.data(top.get(0)), TestBlobs.diff(in)};
  }

  @Test
  void nativePathMatchesJavaLoops() {
    matchesJavaLoops(PoolingStrategy.NATIVE_OPS, DataType.DOUBLE, 1e-12, 1e-12,
        "pool: MAX kernel_size: 2 stride: 2",
        "pool: MAX kernel_size: 3 stride: 2",
        "pool: MAX kernel_size: 3 stride: 1 pad: 1",
        "pool: MAX kernel_size: 3 stride: 2 pad: 1",
        "pool: MAX kernel_h: 3 kernel_w: 2 stride_h: 2 stride_w: 3 pad_h: 1 pad_w: 0",
        "pool: AVE kernel_size: 3 stride: 2",
        "pool: AVE kernel_size: 3 stride: 1 pad: 1",
        "pool: AVE kernel_size: 5 stride: 3 pad: 2",
        "pool: AVE global_pooling: true",
        "pool: MAX global_pooling: true");
  }

  @Test
  void onednnMaxMatchesJavaLoopsInFloat32() {
    // overlapping windows add their gradients in another order: a float32 rounding apart
    matchesJavaLoops(PoolingStrategy.DNNL, DataType.FLOAT, 0, 1e-5,
        "pool: MAX kernel_size: 2 stride: 2",
        "pool: MAX kernel_size: 3 stride: 2",
        "pool: MAX kernel_size: 3 stride: 1 pad: 1",
        "pool: MAX kernel_size: 3 stride: 2 pad: 1",
        "pool: MAX kernel_h: 3 kernel_w: 2 stride_h: 2 stride_w: 3 pad_h: 1 pad_w: 0",
        "pool: MAX kernel_size: 3 stride: 2 round_mode: FLOOR",
        "pool: MAX global_pooling: true");
  }

  @Test
  void onednnAveMatchesJavaLoopsInFloat32() {
    // only where oneDNN's divisor is Caffe's (no pad, or no window reaching past H + pad) and
    // every window holds image values
    matchesJavaLoops(PoolingStrategy.DNNL, DataType.FLOAT, 1e-6, 1e-6,
        "pool: AVE kernel_size: 2 stride: 2",
        "pool: AVE kernel_size: 3 stride: 2",
        "pool: AVE kernel_size: 3 stride: 1 pad: 1",
        "pool: AVE kernel_h: 2 kernel_w: 3 stride_h: 2 stride_w: 3",
        "pool: AVE global_pooling: true");
  }

  /** Top and bottom diff of {@code strategy} against the Java loops, on blobs of {@code type}. */
  private static void matchesJavaLoops(PoolingStrategy strategy, DataType type, double topTolerance,
      double diffTolerance, String... params) {
    int[][] shapes = {{2, 3, 12, 12}, {3, 2, 13, 10}, {1, 1, 4, 7}};
    for (String p : params) {
      for (int[] shape : shapes) {
        Blob in = new Blob(type, shape);
        in.data().assign(TestBlobs.gaussian(5, 1, shape).data().castTo(type));
        double[][] fast = run(p, in, strategy);
        double[][] loops = run(p, in, PoolingStrategy.JAVA_LOOPS);
        String what = p + " on " + java.util.Arrays.toString(shape);
        assertArrayEquals(loops[0], fast[0], topTolerance, "top of " + what);
        assertArrayEquals(loops[1], fast[1], diffTolerance, "bottom diff of " + what);
      }
    }
  }

  @Test
  void chosenStrategyFollowsMethodTopsAndPrecision() {
    assertEquals(PoolingStrategy.DNNL, chosen("pool: MAX kernel_size: 2 stride: 2", 1, DataType.FLOAT));
    assertEquals(PoolingStrategy.DNNL, chosen("pool: AVE kernel_size: 3 stride: 2", 1, DataType.FLOAT));
    // 6x6 pad 1: the last window reaches past H + pad, whose divisor oneDNN does not have
    assertEquals(PoolingStrategy.NATIVE_OPS, chosen("pool: AVE kernel_size: 3 stride: 2 pad: 1", 1, DataType.FLOAT));
    assertEquals(PoolingStrategy.NATIVE_OPS, chosen("pool: MAX kernel_size: 2 stride: 2", 1, DataType.DOUBLE));
    assertEquals(PoolingStrategy.JAVA_LOOPS, chosen("pool: MAX kernel_size: 2 stride: 2", 2, DataType.FLOAT));
    assertEquals(PoolingStrategy.JAVA_LOOPS, chosen("pool: STOCHASTIC kernel_size: 2 stride: 2", 1, DataType.FLOAT));
  }

  private static PoolingStrategy chosen(String poolParam, int tops, DataType type) {
    PoolingLayer l = pool(poolParam, "TEST");
    l.setDataType(type);
    List<Blob> top = new java.util.ArrayList<>();
    for (int i = 0; i < tops; i++) {
      top.add(new Blob(type, 1));
    }
    l.setUp(List.of(new Blob(type, 1, 2, 6, 6)), top);
    return l.strategy();
  }
}
