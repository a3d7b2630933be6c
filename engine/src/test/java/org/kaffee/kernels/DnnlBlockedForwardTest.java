package org.kaffee.kernels;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_direct;
import static org.bytedeco.dnnl.global.dnnl.dnnl_dilated_convolution_forward_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_forward_training;
import static org.bytedeco.dnnl.global.dnnl.dnnl_goihw;
import static org.bytedeco.dnnl.global.dnnl.dnnl_nchw;
import static org.bytedeco.dnnl.global.dnnl.dnnl_x;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.bytedeco.dnnl.dnnl_convolution_desc_t;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.javacpp.FloatPointer;
import org.junit.jupiter.api.Test;

/** The first-layer forward through blocked layouts against the same convolution on Caffe's plain layouts. */
class DnnlBlockedForwardTest {
  private static final long[] STRIDES = {2, 2};
  private static final long[] DILATES = {0, 0};
  private static final long[] PAD = {3, 3};

  @Test
  void anRgbFirstLayerEqualsThePlainKernel() {
    // GoogLeNet's conv1 in small: 3 channels, 7x7, stride 2, pad 3, 32 outputs (two blocks)
    long n = 2;
    long[] in = {n, 3, 20, 17};
    long[] w = {1, 32, 3, 7, 7};
    long[] out = {n, 32, 10, 9};
    dnnl_memory_desc_t src = Dnnl.desc(dnnl_nchw, in);
    dnnl_memory_desc_t weights = Dnnl.desc(dnnl_goihw, w);
    dnnl_memory_desc_t bias = Dnnl.desc(dnnl_x, 32);
    dnnl_memory_desc_t dst = Dnnl.desc(dnnl_nchw, out);
    DnnlBlockedForward blocked = DnnlBlockedForward.of(src, weights, bias, dst, STRIDES, DILATES, PAD);
    assertNotNull(blocked, "oneDNN's direct kernel should choose blocked layouts here");

    dnnl_convolution_desc_t op = new dnnl_convolution_desc_t();
    Dnnl.check(dnnl_dilated_convolution_forward_desc_init(op, dnnl_forward_training, dnnl_convolution_direct, src,
        weights, bias, dst, STRIDES, DILATES, PAD, PAD), "describe");
    Dnnl.Primitive plain = new Dnnl.Primitive(op, null, DNNL_ARG_SRC, DNNL_ARG_WEIGHTS, DNNL_ARG_BIAS, DNNL_ARG_DST);

    Random r = new Random(5);
    FloatPointer x = random(count(in), r);
    FloatPointer k = random(count(w), r);
    FloatPointer b = random(32, r);
    FloatPointer expected = new FloatPointer(count(out));
    FloatPointer actual = new FloatPointer(count(out));
    plain.run(x, k, b, expected);
    for (int pass = 0; pass < 2; pass++) {  // the second pass reuses the blocked buffers
      blocked.run(x, k, b, actual);
      for (long i = 0; i < count(out); i++) {
        assertEquals(expected.get(i), actual.get(i), 1e-4 * (1 + Math.abs(expected.get(i))), "element " + i);
      }
    }
  }

  @Test
  void onlyFewInputChannelsAndWholeBlocksOfOutputsQualify() {
    assertTrue(DnnlBlockedForward.suits(shape(3, 64, 1)));
    assertTrue(DnnlBlockedForward.suits(shape(1, 32, 1)));
    assertFalse(DnnlBlockedForward.suits(shape(1, 20, 1)), "LeNet's conv1");
    assertFalse(DnnlBlockedForward.suits(shape(16, 64, 1)), "a later layer");
    assertFalse(DnnlBlockedForward.suits(shape(4, 64, 2)), "groups");
  }

  private static ConvolutionShape shape(int channels, int outputs, int group) {
    int[] two = {2, 2};
    return new ConvolutionShape(false, 1, 4, channels, outputs, group, new int[] {3, 3}, two, two,
        new int[] {1, 1}, new int[] {8, 8}, new int[] {4, 4}, true);
  }

  private static long count(long[] dims) {
    long c = 1;
    for (long d : dims) {
      c *= d;
    }
    return c;
  }

  private static FloatPointer random(long count, Random r) {
    FloatPointer p = new FloatPointer(count);
    for (long i = 0; i < count; i++) {
      p.put(i, (float) r.nextGaussian());
    }
    return p;
  }
}
