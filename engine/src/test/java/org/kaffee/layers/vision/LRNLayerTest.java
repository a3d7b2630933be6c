package org.kaffee.layers.vision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.kaffee.testing.DoubleLayers.assertValues;
import static org.kaffee.layers.vision.VisionTestUtil.layer;
import static org.kaffee.layers.vision.VisionTestUtil.tops;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.kaffee.core.Blob;
import org.kaffee.core.DataView;
import org.kaffee.proto.Caffe.LRNParameter;
import org.kaffee.proto.Caffe.LRNParameter.NormRegion;
import org.kaffee.testing.GradientChecker;
import org.kaffee.testing.TestBlobs;
import org.nd4j.linalg.api.buffer.DataType;

class LRNLayerTest {
  private static LRNLayer lrn(String p) {
    LRNLayer l = new LRNLayer(layer("name: \"n\" type: \"LRN\" lrn_param { " + p + " }"));
    l.setDataType(DataType.DOUBLE);
    return l;
  }

  @Test
  void acrossChannelsByHand() {
    // alpha / size = 1, beta 1, k 1: scale_c = 1 + sum of squares of channels c-1..c+1.
    LRNLayer l = lrn("local_size: 3 alpha: 3 beta: 1 k: 1");
    Blob in = TestBlobs.of(new double[] {1, 2, 3}, 1, 3, 1, 1);
    List<Blob> top = tops(1);
    l.setUp(List.of(in), top);
    l.forward(List.of(in), top);
    assertValues(new double[] {1 / 6.0, 2 / 15.0, 3 / 14.0}, top.get(0), 1e-12);
  }

  @Test
  void acrossChannelsDefaultParams() {
    // local_size 5, alpha 1, beta 0.75, k 1 on 1x2 channels: scale = 1 + (1 + 4) / 5 = 2.
    LRNLayer l = lrn("");
    Blob in = TestBlobs.of(new double[] {1, 2}, 1, 2, 1, 1);
    List<Blob> top = tops(1);
    l.setUp(List.of(in), top);
    l.forward(List.of(in), top);
    assertValues(new double[] {Math.pow(2, -0.75), 2 * Math.pow(2, -0.75)}, top.get(0), 1e-12);
  }

  @Test
  void withinChannelByHand() {
    // size 3 window padded by 1 on a 1x2 image: divisor 9, sum 5, scale = 1 + 9 * 5 / 9 = 6.
    LRNLayer l = lrn("local_size: 3 alpha: 9 beta: 1 k: 7 norm_region: WITHIN_CHANNEL");
    Blob in = TestBlobs.of(new double[] {1, 2}, 1, 1, 1, 2);
    List<Blob> top = tops(1);
    l.setUp(List.of(in), top);
    l.forward(List.of(in), top);
    assertValues(new double[] {1 / 6.0, 2 / 6.0}, top.get(0), 1e-12);
  }

  @Test
  void gradientAcrossChannels() {
    new GradientChecker(1e-2, 1e-2).checkGradientExhaustive(lrn(""),
        List.of(TestBlobs.gaussian(21, 1, 2, 7, 3, 3)), tops(1), -1);
  }

  @Test
  void gradientAcrossChannelsLargeRegion() {
    new GradientChecker(1e-2, 1e-2).checkGradient(lrn("local_size: 15 alpha: 2 beta: 0.6 k: 2"),
        List.of(TestBlobs.gaussian(22, 1, 2, 7, 2, 2)), tops(1));
  }

  @Test
  void gradientWithinChannel() {
    new GradientChecker(1e-2, 1e-2).checkGradientExhaustive(
        lrn("local_size: 3 alpha: 0.9 beta: 0.75 norm_region: WITHIN_CHANNEL"),
        List.of(TestBlobs.gaussian(23, 1, 2, 2, 4, 5)), tops(1), -1);
  }

  /**
   * float32 and float64 against Caffe's formulas evaluated per element in double: forward within
   * relative 1e-6 (float32) or 1e-12 (float64); backward within that fraction of the magnitude of
   * its two terms, whose difference may cancel.
   */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "2 3 4 5 | local_size: 5 alpha: 1 beta: 0.75",
      "3 7 5 3 | local_size: 3 alpha: 2 beta: 0.6 k: 2",
      "2 10 3 7 | local_size: 7 alpha: 1.5 beta: 0.75 k: 0.5",
      "1 6 4 4 | local_size: 5 alpha: 0.5 beta: 0.5 k: 2",
      "1 6 4 4 | local_size: 1 alpha: 0.5 beta: 1 k: 3",
      "2 3 5 4 | local_size: 3 alpha: 0.9 beta: 0.75 norm_region: WITHIN_CHANNEL",
      "1 2 6 7 | local_size: 5 alpha: 2 beta: 0.6 norm_region: WITHIN_CHANNEL",
      "1 2 2 3 | local_size: 7 alpha: 1 beta: 0.75 norm_region: WITHIN_CHANNEL",
  })
  void matchesDirectFormula(String shapeText, String params) {
    int[] shape = Arrays.stream(shapeText.trim().split(" ")).mapToInt(Integer::parseInt).toArray();
    for (DataType type : List.of(DataType.FLOAT, DataType.DOUBLE)) {
      double tol = type == DataType.FLOAT ? 1e-6 : 1e-12;
      LRNLayer l = new LRNLayer(layer("name: \"n\" type: \"LRN\" lrn_param { " + params + " }"));
      l.setDataType(type);
      Blob in = random(type, 31, shape);
      Blob top = new Blob(type, 1);
      l.setUp(List.of(in), List.of(top));
      l.forward(List.of(in), List.of(top));
      fill(top.diffView(), 32);
      in.diff().assign(7); // backward must overwrite it
      l.backward(List.of(top), new boolean[] {true}, List.of(in));

      LRNParameter p = l.param().getLrnParam();
      double alpha = p.getAlpha();
      double beta = p.getBeta();
      double[] x = TestBlobs.data(in);
      double[] dy = TestBlobs.diff(top);
      double[] scale = new double[x.length];
      double[] y = new double[x.length];
      boolean across = p.getNormRegion() == NormRegion.ACROSS_CHANNELS;
      int terms = across ? p.getLocalSize() : p.getLocalSize() * p.getLocalSize();
      for (int i = 0; i < x.length; i++) {
        double sum = Arrays.stream(window(shape, i, p)).mapToDouble(j -> x[j] * x[j]).sum();
        scale[i] = (across ? p.getK() : 1) + alpha / terms * sum;
        y[i] = x[i] * Math.pow(scale[i], -beta);
      }
      double[] top1 = TestBlobs.data(top);
      double[] grad = TestBlobs.diff(in);
      double factor = 2 * alpha * beta / terms;
      for (int i = 0; i < x.length; i++) {
        String where = type + " " + params + " element " + i;
        assertEquals(y[i], top1[i], tol * Math.abs(y[i]), where);
        double direct = dy[i] * Math.pow(scale[i], -beta);
        double ratios = 0;
        double magnitude = 0;
        for (int j : window(shape, i, p)) {
          ratios += dy[j] * y[j] / scale[j];
          magnitude += Math.abs(dy[j] * y[j] / scale[j]);
        }
        double expected = direct - factor * x[i] * ratios;
        assertEquals(expected, grad[i], tol * (Math.abs(direct) + factor * Math.abs(x[i]) * magnitude), where);
      }
    }
  }

  /** The flat indices of the elements in element i's window (ACROSS: channels; WITHIN: rows and columns). */
  private static int[] window(int[] shape, int i, LRNParameter p) {
    int half = (p.getLocalSize() - 1) / 2;
    int w = i % shape[3];
    int h = i / shape[3] % shape[2];
    int c = i / (shape[3] * shape[2]) % shape[1];
    int n = i / (shape[3] * shape[2] * shape[1]);
    IntStream.Builder out = IntStream.builder();
    boolean across = p.getNormRegion() == NormRegion.ACROSS_CHANNELS;
    int r = across ? 0 : half;
    for (int c2 = across ? c - half : c; c2 <= (across ? c + half : c); c2++) {
      for (int h2 = h - r; h2 <= h + r; h2++) {
        for (int w2 = w - r; w2 <= w + r; w2++) {
          if (c2 >= 0 && c2 < shape[1] && h2 >= 0 && h2 < shape[2] && w2 >= 0 && w2 < shape[3]) {
            out.add(((n * shape[1] + c2) * shape[2] + h2) * shape[3] + w2);
          }
        }
      }
    }
    return out.build().toArray();
  }

  @Test
  void imagesComeOutTheSameAloneAsInABatch() {
    // A batch is split between the cores; each image's results must not depend on that.
    int[] shape = {3, 8, 4, 5};
    int image = 8 * 4 * 5;
    LRNLayer l = new LRNLayer(layer("name: \"n\" type: \"LRN\" lrn_param { local_size: 5 beta: 0.6 }"));
    Blob in = random(DataType.FLOAT, 41, shape);
    Blob top = new Blob(DataType.FLOAT, 1);
    l.setUp(List.of(in), List.of(top));
    l.forward(List.of(in), List.of(top));
    fill(top.diffView(), 42);
    l.backward(List.of(top), new boolean[] {true}, List.of(in));
    double[] y = TestBlobs.data(top);
    double[] g = TestBlobs.diff(in);
    double[] dy = TestBlobs.diff(top);
    double[] x = TestBlobs.data(in);
    for (int n = 0; n < shape[0]; n++) {
      Blob one = new Blob(DataType.FLOAT, 1, 8, 4, 5);
      Blob oneTop = new Blob(DataType.FLOAT, 1);
      copy(x, n * image, one.dataView());
      l.reshape(List.of(one), List.of(oneTop));
      l.forward(List.of(one), List.of(oneTop));
      copy(dy, n * image, oneTop.diffView());
      l.backward(List.of(oneTop), new boolean[] {true}, List.of(one));
      assertArrayEquals(Arrays.copyOfRange(y, n * image, (n + 1) * image), TestBlobs.data(oneTop), "top of image " + n);
      assertArrayEquals(Arrays.copyOfRange(g, n * image, (n + 1) * image), TestBlobs.diff(one), "diff of image " + n);
    }
  }

  private static Blob random(DataType type, long seed, int... shape) {
    Blob b = new Blob(type, shape);
    fill(b.dataView(), seed);
    return b;
  }

  private static void fill(DataView v, long seed) {
    Random r = new Random(seed);
    for (int i = 0; i < v.length(); i++) {
      v.set(i, r.nextGaussian());
    }
  }

  private static void copy(double[] from, int offset, DataView to) {
    for (int i = 0; i < to.length(); i++) {
      to.set(i, from[offset + i]);
    }
  }
}
