package org.kaffee.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kaffee.proto.Caffe.FillerParameter;
import org.kaffee.proto.Caffe.FillerParameter.VarianceNorm;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The xavier, msra, positive_unitball and bilinear fillers against Caffe's formulas. The random
 * ones are checked by their sample moments, each within 5 standard errors computed from the
 * sample size and the distribution's own higher moments (a false alarm about once in 10^6 runs;
 * the seed is fixed anyway, so a failure means the formula changed).
 */
class FillerTest {
  private static final double Z = 5;
  /** A convolution's weights: 64 outputs, 50 inputs, 3x3; fan_in 450, fan_out 576. */
  private static final int[] SHAPE = {64, 50, 3, 3};
  private static final int COUNT = 64 * 50 * 9;
  private static final double FAN_IN = 450;
  private static final double FAN_OUT = 576;

  @BeforeEach
  void seed() {
    Rng.seed(1701);
  }

  private static double[] fill(FillerParameter p, int... shape) {
    Blob blob = new Blob(DataType.DOUBLE, shape);
    Filler.fill(p, blob);
    double[] v = new double[blob.count()];
    for (int i = 0; i < v.length; i++) {
      v[i] = blob.dataView().get(i);
    }
    return v;
  }

  private static double mean(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return s / v.length;
  }

  /** Mean of x^2: the variance of a zero-mean distribution. */
  private static double meanSquare(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x * x;
    }
    return s / v.length;
  }

  /**
   * Checks a zero-mean sample against variance {@code var}: the mean within Z sqrt(var/n), the
   * mean square within Z sqrt((m4 - var^2)/n), m4 the distribution's fourth moment.
   */
  private static void assertZeroMeanVariance(double[] v, double var, double m4, String what) {
    int n = v.length;
    double meanTol = Z * Math.sqrt(var / n);
    double varTol = Z * Math.sqrt((m4 - var * var) / n);
    assertEquals(0, mean(v), meanTol, what + ": mean");
    assertEquals(var, meanSquare(v), varTol, what + ": variance");
  }

  private static FillerParameter filler(String type, VarianceNorm norm) {
    return FillerParameter.newBuilder().setType(type).setVarianceNorm(norm).build();
  }

  @Test
  void xavierIsUniformWithVarianceOneOverFan() {
    double[][] fans = {{FAN_IN}, {FAN_OUT}, {(FAN_IN + FAN_OUT) / 2}};
    VarianceNorm[] norms = {VarianceNorm.FAN_IN, VarianceNorm.FAN_OUT, VarianceNorm.AVERAGE};
    for (int k = 0; k < norms.length; k++) {
      double[] v = fill(filler("xavier", norms[k]), SHAPE);
      double a = Math.sqrt(3 / fans[k][0]);
      for (double x : v) {
        assertTrue(Math.abs(x) <= a, "xavier value " + x + " outside [-" + a + ", " + a + "]");
      }
      // uniform(-a, a): variance a^2/3 = 1/fan, fourth moment a^4/5
      assertZeroMeanVariance(v, a * a / 3, Math.pow(a, 4) / 5, "xavier " + norms[k]);
      // and it fills the range: both ends are reached to within 1 % of a
      double min = Double.MAX_VALUE;
      double max = -Double.MAX_VALUE;
      for (double x : v) {
        min = Math.min(min, x);
        max = Math.max(max, x);
      }
      assertEquals(-a, min, 0.01 * a);
      assertEquals(a, max, 0.01 * a);
    }
  }

  @Test
  void msraIsGaussianWithVarianceTwoOverFan() {
    double[] fans = {FAN_IN, FAN_OUT, (FAN_IN + FAN_OUT) / 2};
    VarianceNorm[] norms = {VarianceNorm.FAN_IN, VarianceNorm.FAN_OUT, VarianceNorm.AVERAGE};
    for (int k = 0; k < norms.length; k++) {
      double[] v = fill(filler("msra", norms[k]), SHAPE);
      double var = 2 / fans[k];
      // gaussian: fourth moment 3 var^2
      assertZeroMeanVariance(v, var, 3 * var * var, "msra " + norms[k]);
      // a gaussian, not a uniform: about 31.7 % of the values lie beyond one sigma
      double sigma = Math.sqrt(var);
      long beyond = Arrays.stream(v).filter(x -> Math.abs(x) > sigma).count();
      double p = 0.3173;
      assertEquals(p, (double) beyond / COUNT, Z * Math.sqrt(p * (1 - p) / COUNT), "msra tails");
    }
  }

  @Test
  void positiveUnitballIsUniformDrawsDividedByTheirRowSum() {
    int rows = 200;
    int dim = 50;
    double[] v = fill(FillerParameter.newBuilder().setType("positive_unitball").build(), rows, dim);
    // Caffe: count uniform(0, 1) draws in order, then each row divided by its sum
    Rng.seed(1701);
    Random rng = Rng.global();
    double[] u = new double[rows * dim];
    for (int i = 0; i < u.length; i++) {
      u[i] = rng.nextDouble();
    }
    for (int r = 0; r < rows; r++) {
      double sum = 0;
      double drawn = 0;
      for (int j = 0; j < dim; j++) {
        double x = v[r * dim + j];
        assertTrue(x >= 0 && x <= 1, "value " + x + " outside [0, 1]");
        sum += x;
        drawn += u[r * dim + j];
      }
      assertEquals(1, sum, 1e-12, "row " + r);
      for (int j = 0; j < dim; j++) {
        assertEquals(u[r * dim + j] / drawn, v[r * dim + j], 1e-15, "row " + r + ", element " + j);
      }
    }
    // the draws themselves are uniform(0, 1): centred, variance 1/12, fourth moment 1/80
    double[] centred = Arrays.stream(u).map(x -> x - 0.5).toArray();
    assertZeroMeanVariance(centred, 1.0 / 12, 1.0 / 80, "positive_unitball draws");
  }

  @Test
  void bilinearIsTheUpsamplingKernel() {
    FillerParameter p = FillerParameter.newBuilder().setType("bilinear").build();
    // kernel 4 (factor 2): f = 2, c = 0.75, 1-D weights 1 - |x/f - c|
    assertKernel(fill(p, 2, 3, 4, 4), new double[] {0.25, 0.75, 0.75, 0.25});
    // kernel 5 (factor 3): f = 3, c = 2/3
    assertKernel(fill(p, 1, 1, 5, 5), new double[] {1 / 3.0, 2 / 3.0, 1, 2 / 3.0, 1 / 3.0});
  }

  /** Every k x k plane is the outer product of the 1-D weights. */
  private static void assertKernel(double[] v, double[] w) {
    int k = w.length;
    assertEquals(0, v.length % (k * k));
    for (int i = 0; i < v.length; i++) {
      int x = i % k;
      int y = (i / k) % k;
      assertEquals(w[y] * w[x], v[i], 1e-12, "element " + i);
    }
  }
}
