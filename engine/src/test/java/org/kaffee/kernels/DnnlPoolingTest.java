package org.kaffee.kernels;

import static org.bytedeco.dnnl.global.dnnl.dnnl_nChw16c;
import static org.bytedeco.dnnl.global.dnnl.dnnl_nChw8c;
import static org.bytedeco.dnnl.global.dnnl.dnnl_nchw;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.kaffee.core.Blob;
import org.kaffee.core.DataView;
import org.kaffee.proto.Caffe.PoolingParameter.PoolMethod;
import org.kaffee.testing.TestBlobs;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * oneDNN pooling in each layout its kernels may run in (plain nchw, and the channel blocks that
 * AVX2's and AVX-512's JIT kernels read) against Caffe's loops ({@link PoolingStrategy#JAVA_LOOPS}).
 * The layer tests cover the layout the machine picks; this one forces each, so the reorders
 * around the blocked kernels are tested on every machine.
 */
class DnnlPoolingTest {
  private static final int[] LAYOUTS = {dnnl_nchw, dnnl_nChw8c, dnnl_nChw16c};

  /** {num, channels, height, width}: LeNet-like channel counts that fill no whole block (20, 3), and one that does. */
  private static final int[][] BOTTOMS = {{3, 20, 12, 12}, {2, 3, 13, 10}, {1, 16, 7, 7}};

  /** {kernelH, kernelW, strideH, strideW, padH, padW}. */
  private static final int[][] MAX_WINDOWS = {{2, 2, 2, 2, 0, 0}, {3, 3, 2, 2, 0, 0}, {3, 3, 1, 1, 1, 1},
      {3, 3, 2, 2, 1, 1}, {3, 2, 2, 3, 1, 0}};

  /** AVE windows oneDNN serves: no pad (the divisor counts the image only), or no window past H + pad. */
  private static final int[][] AVE_WINDOWS = {{2, 2, 2, 2, 0, 0}, {3, 3, 2, 2, 0, 0}, {3, 3, 1, 1, 1, 1},
      {2, 3, 2, 3, 0, 0}};

  private static PoolingShape shape(int[] bottom, int[] window) {
    int pooledH = PoolingShape.outSize(bottom[2], window[4], window[0], window[2], true);
    int pooledW = PoolingShape.outSize(bottom[3], window[5], window[1], window[3], true);
    return new PoolingShape(bottom[0], bottom[1], bottom[2], bottom[3], window[0], window[1], window[2], window[3],
        window[4], window[5], pooledH, pooledW);
  }

  /** The float32 bottom: small integers, so that windows hold ties and every sum is exact in float. */
  private static Blob bottom(int[] dims, long seed) {
    Blob b = new Blob(DataType.FLOAT, dims);
    Random r = new Random(seed);
    DataView v = b.dataView();
    for (int i = 0; i < b.count(); i++) {
      v.set(i, r.nextInt(5) - 2);
    }
    return b;
  }

  /** {top data, bottom diff} of one forward and backward, the top diff a distinct small integer per output. */
  private static double[][] run(PoolMethod method, PoolingShape s, Blob in, PoolingStrategy strategy, int layout) {
    Pooling loops = new Pooling(method);
    DnnlPooling dnnl = strategy == PoolingStrategy.DNNL ? new DnnlPooling(s, method, layout) : null;
    loops.reshape(s, PoolingStrategy.JAVA_LOOPS, DataType.FLOAT);
    Blob top = new Blob(DataType.FLOAT, s.num(), s.channels(), s.pooledH(), s.pooledW());
    double[][] result = null;
    for (int pass = 0; pass < 2; pass++) { // the second pass reuses the blocked buffers and workspace
      if (dnnl != null) {
        dnnl.forward(in, top);
      } else {
        loops.forward(in, top, null, null);
      }
      DataView g = top.diffView();
      for (int i = 0; i < top.count(); i++) {
        g.set(i, i % 7 + 1 + pass);
      }
      if (dnnl != null) {
        dnnl.backward(top, in);
      } else {
        loops.backward(top, in);
      }
      result = new double[][] {TestBlobs.data(top), TestBlobs.diff(in)};
    }
    return result;
  }

  private static void matchesLoops(PoolMethod method, int[][] windows, double tolerance) {
    for (int layout : LAYOUTS) {
      for (int[] dims : BOTTOMS) {
        for (int[] window : windows) {
          PoolingShape s = shape(dims, window);
          Blob in = bottom(dims, 11);
          double[][] expected = run(method, s, in, PoolingStrategy.JAVA_LOOPS, 0);
          double[][] actual = run(method, s, in, PoolingStrategy.DNNL, layout);
          String what = method + " " + s + " in layout " + layout;
          assertArrayEquals(expected[0], actual[0], tolerance, "top of " + what);
          assertArrayEquals(expected[1], actual[1], tolerance, "bottom diff of " + what);
        }
      }
    }
  }

  @Test
  void maxInEveryLayoutIsCaffesExactlyTiesIncluded() {
    // exact: the maxima are values of the bottom, and each gradient goes to Caffe's argmax (the
    // first maximum of the window, rows then columns) even where a window holds equal values;
    // sums of small integers are exact in any order
    matchesLoops(PoolMethod.MAX, MAX_WINDOWS, 0);
  }

  @Test
  void aveInEveryLayoutIsCaffes() {
    // averages divide by 4, 9, 6 or the clipped count: a float32 rounding from the double loops
    matchesLoops(PoolMethod.AVE, AVE_WINDOWS, 1e-6);
  }

  @Test
  void gaussianMaxIsCaffesExactlyInTheBlockedLayout() {
    int[] dims = {4, 20, 24, 24}; // LeNet's pool1 on 4 images
    PoolingShape s = shape(dims, MAX_WINDOWS[0]);
    Blob in = new Blob(DataType.FLOAT, dims);
    in.data().assign(TestBlobs.gaussian(3, 1, dims).data().castTo(DataType.FLOAT));
    double[][] expected = run(PoolMethod.MAX, s, in, PoolingStrategy.JAVA_LOOPS, 0);
    for (int layout : LAYOUTS) {
      double[][] actual = run(PoolMethod.MAX, s, in, PoolingStrategy.DNNL, layout);
      assertArrayEquals(expected[0], actual[0], 0, "top in layout " + layout);
      assertArrayEquals(expected[1], actual[1], 0, "bottom diff in layout " + layout);
    }
  }

  @Test
  void theLayoutChosenForTheBenchNetsRunsAJitKernel() {
    // LeNet's pools, CaffeNet's and GoogLeNet's overlapping MAX pools, GoogLeNet's AVE pool5
    Object[][] cases = {
        {PoolMethod.MAX, new int[] {64, 20, 24, 24}, new int[] {2, 2, 2, 2, 0, 0}},
        {PoolMethod.MAX, new int[] {64, 50, 8, 8}, new int[] {2, 2, 2, 2, 0, 0}},
        {PoolMethod.MAX, new int[] {10, 96, 55, 55}, new int[] {3, 3, 2, 2, 0, 0}},
        {PoolMethod.MAX, new int[] {10, 192, 28, 28}, new int[] {3, 3, 1, 1, 1, 1}},
        {PoolMethod.AVE, new int[] {10, 1024, 7, 7}, new int[] {7, 7, 1, 1, 0, 0}}};
    for (Object[] c : cases) {
      PoolingShape s = shape((int[]) c[1], (int[]) c[2]);
      String implementation = new DnnlPooling(s, (PoolMethod) c[0]).implementation();
      assertFalse(Dnnl.isReference(implementation), c[0] + " " + s + " runs " + implementation);
    }
  }

  @Test
  void referenceImplementationsAreRecognised() {
    for (String name : new String[] {"simple_nchw:any", "ref:any", "gemm:ref", "simple:any"}) {
      assertTrue(Dnnl.isReference(name), name);
    }
    for (String name : new String[] {"jit:avx2", "jit:avx512_core", "x64:gemm:jit", "jit:uni", "jit:blk"}) {
      assertFalse(Dnnl.isReference(name), name);
    }
  }

  @Test
  void aveIsServedWhereOneDnnHasCaffesDivisor() {
    int[] bottom = {1, 1, 6, 6};
    assertTrue(DnnlPooling.serves(PoolMethod.AVE, shape(bottom, new int[] {3, 3, 2, 2, 0, 0})), "no pad");
    assertTrue(DnnlPooling.serves(PoolMethod.AVE, shape(bottom, new int[] {3, 3, 1, 1, 1, 1})), "no window clipped");
    assertFalse(DnnlPooling.serves(PoolMethod.AVE, shape(bottom, new int[] {3, 3, 2, 2, 1, 1})),
        "pad and a last window past H + pad");
    // 12 wide, kernel 2, stride 3: ceil rounding adds a last window at column 12, past the image
    assertFalse(DnnlPooling.serves(PoolMethod.AVE, shape(new int[] {1, 1, 6, 12}, new int[] {2, 2, 2, 3, 0, 0})),
        "a window wholly past the image");
    assertFalse(DnnlPooling.serves(PoolMethod.STOCHASTIC, shape(bottom, new int[] {2, 2, 2, 2, 0, 0})));
    assertTrue(DnnlPooling.serves(PoolMethod.MAX, shape(bottom, new int[] {3, 3, 2, 2, 1, 1})));
    assertEquals(4, shape(bottom, new int[] {3, 3, 2, 2, 1, 1}).pooledH());
    assertTrue(Arrays.stream(AVE_WINDOWS).allMatch(w -> Arrays.stream(BOTTOMS).allMatch(
        b -> DnnlPooling.serves(PoolMethod.AVE, shape(b, w)))), "every AVE case above");
  }
}
