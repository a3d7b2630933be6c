package org.kaffee.layers.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kaffee.layers.loss.LossTests.checkExhaustive;
import static org.kaffee.layers.loss.LossTests.dbl;
import static org.kaffee.testing.DoubleLayers.forward;
import static org.kaffee.layers.loss.LossTests.loss;
import static org.kaffee.layers.loss.LossTests.param;
import static org.kaffee.layers.loss.LossTests.scalar;
import static org.kaffee.testing.DoubleLayers.tops;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kaffee.core.Blob;
import org.kaffee.core.KaffeeException;
import org.kaffee.testing.GradientChecker;
import org.kaffee.testing.TestBlobs;

class SoftmaxWithLossLayerTest {
  private static final String TYPE = "name: 'loss' type: 'SoftmaxWithLoss' ";

  private static SoftmaxWithLossLayer layer(String extra) {
    return dbl(new SoftmaxWithLossLayer(param(TYPE + extra)));
  }

  /** -log softmax(x)[label], computed directly. */
  private static double nll(double[] logits, int label) {
    double sum = 0;
    for (double v : logits) {
      sum += Math.exp(v);
    }
    return -(logits[label] - Math.log(sum));
  }

  @Test
  void twoSamplesByHand() {
    Blob x = TestBlobs.of(new double[] {1, 2, 3, 0, 0, 0}, 2, 3);
    Blob y = TestBlobs.of(new double[] {2, 0}, 2);
    List<Blob> top = forward(layer(""), 1, x, y);
    double expected = (-Math.log(Math.exp(3) / (Math.exp(1) + Math.exp(2) + Math.exp(3)))
        + Math.log(3)) / 2;
    assertEquals(expected, scalar(top.get(0)), 1e-12);
    assertEquals(0, top.get(0).numAxes());
  }

  @Test
  void ignoredLabelsAreLeftOutAndValidDividesByTheRest() {
    Blob x = TestBlobs.of(new double[] {1, 2, 3, 0, 0, 0, 5, -1, 0.5}, 3, 3);
    Blob y = TestBlobs.of(new double[] {2, 1, 0}, 3);
    SoftmaxWithLossLayer l = layer("loss_param { ignore_label: 1 }");
    List<Blob> top = forward(l, 1, x, y);
    double expected = (nll(new double[] {1, 2, 3}, 2) + nll(new double[] {5, -1, 0.5}, 0)) / 2;
    assertEquals(expected, scalar(top.get(0)), 1e-12);
    // The ignored sample gets no gradient.
    l.backward(top, new boolean[] {true, false}, List.of(x, y));
    double[] g = TestBlobs.diff(x);
    assertArrayEquals(new double[] {0, 0, 0}, new double[] {g[3], g[4], g[5]}, 0);
    assertTrue(Math.abs(g[0]) > 0);
  }

  /** Expected loss for [N, C, H, W] logits (axis 1) under each mode, written out plainly. */
  private static double expected(Blob x, Blob y, String mode, int ignore) {
    int n = x.shape(0);
    int c = x.shape(1);
    int inner = x.count(2);
    double[] d = TestBlobs.data(x);
    double[] lab = TestBlobs.data(y);
    double loss = 0;
    int valid = 0;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < inner; j++) {
        int label = (int) lab[i * inner + j];
        if (label == ignore) {
          continue;
        }
        double[] logits = new double[c];
        for (int k = 0; k < c; k++) {
          logits[k] = d[(i * c + k) * inner + j];
        }
        loss += nll(logits, label);
        valid++;
      }
    }
    double norm = switch (mode) {
      case "FULL" -> n * inner;
      case "VALID" -> valid;
      case "BATCH_SIZE" -> n;
      default -> 1;
    };
    return loss / Math.max(norm, 1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"FULL", "VALID", "BATCH_SIZE", "NONE"})
  void normalizationModesForwardAndGradient(String mode) {
    Blob x = TestBlobs.gaussian(11, 1, 2, 4, 2, 3);
    Blob y = LossTests.labels(12, 4, 2, 1, 2, 3);
    SoftmaxWithLossLayer l = layer("loss_param { ignore_label: 3 normalization: " + mode + " }");
    assertEquals(expected(x, y, mode, 3), loss(l, x, y), 1e-10);
    checkExhaustive(new GradientChecker(1e-2, 1e-3), layer("loss_param { ignore_label: 3 "
        + "normalization: " + mode + " }"), List.of(x, y), tops(1), 0);
  }

  @Test
  void gradientWithoutIgnoreLabel() {
    Blob x = TestBlobs.gaussian(5, 1, 5, 4, 2);
    Blob y = LossTests.labels(10, 4, 5, 2);
    checkExhaustive(new GradientChecker(1e-2, 1e-3), layer(""), List.of(x, y), tops(1), 0);
  }

  @Test
  void legacyNormalizeFalseMeansBatchSizeAndTrueMeansValid() {
    Blob x = TestBlobs.gaussian(3, 1, 2, 3, 4);
    Blob y = LossTests.labels(8, 3, 2, 4);
    assertEquals(expected(x, y, "BATCH_SIZE", 0),
        loss(layer("loss_param { ignore_label: 0 normalize: false }"), x, y), 1e-10);
    assertEquals(expected(x, y, "VALID", 0),
        loss(layer("loss_param { ignore_label: 0 normalize: true }"), x, y), 1e-10);
    // normalization, when given, wins over normalize.
    assertEquals(expected(x, y, "FULL", 0),
        loss(layer("loss_param { ignore_label: 0 normalize: false normalization: FULL }"), x, y),
        1e-10);
  }

  @Test
  void everyLabelIgnoredGivesZeroNotNaN() {
    Blob x = TestBlobs.gaussian(3, 1, 2, 3);
    Blob y = TestBlobs.of(new double[] {1, 1}, 2);
    assertEquals(0, loss(layer("loss_param { ignore_label: 1 }"), x, y));
  }

  @Test
  void secondTopHoldsTheProbabilities() {
    Blob x = TestBlobs.of(new double[] {1, 2, 3, 0, 0, 0}, 2, 3);
    Blob y = TestBlobs.of(new double[] {2, 0}, 2);
    SoftmaxWithLossLayer l = layer("");
    List<Blob> top = forward(l, 2, x, y);
    double z = Math.exp(1) + Math.exp(2) + Math.exp(3);
    assertArrayEquals(new int[] {2, 3}, top.get(1).shape());
    assertArrayEquals(new double[] {Math.exp(1) / z, Math.exp(2) / z, Math.exp(3) / z,
        1 / 3.0, 1 / 3.0, 1 / 3.0}, TestBlobs.data(top.get(1)), 1e-12);
    assertEquals(0, l.loss(1));
  }

  @Test
  void softmaxAxisFromSoftmaxParam() {
    // [N=2, H=3, C=4] with the classes on the last axis.
    Blob x = TestBlobs.gaussian(9, 1, 2, 3, 4);
    Blob y = LossTests.labels(6, 4, 2, 3);
    double actual = loss(layer("softmax_param { axis: -1 }"), x, y);
    double[] d = TestBlobs.data(x);
    double[] lab = TestBlobs.data(y);
    double loss = 0;
    for (int s = 0; s < 6; s++) {
      loss += nll(java.util.Arrays.copyOfRange(d, s * 4, s * 4 + 4), (int) lab[s]);
    }
    assertEquals(loss / 6, actual, 1e-12);
    checkExhaustive(new GradientChecker(1e-2, 1e-3),
        layer("softmax_param { axis: -1 }"), List.of(x, y), tops(1), 0);
  }

  @Test
  void lossWeightScalesLossAndGradient() {
    Blob x = TestBlobs.gaussian(4, 1, 3, 5);
    Blob y = LossTests.labels(3, 5, 3);
    List<Blob> top = tops(1);
    SoftmaxWithLossLayer l = layer("");
    l.setUp(List.of(x, y), top);
    double plain = l.forwardWithLoss(List.of(x, y), top);
    l.backward(top, new boolean[] {true, false}, List.of(x, y));
    double[] g1 = TestBlobs.diff(x);
    SoftmaxWithLossLayer w = layer("loss_weight: 3");
    List<Blob> top3 = tops(1);
    w.setUp(List.of(x, y), top3);
    assertEquals(3 * plain, w.forwardWithLoss(List.of(x, y), top3), 1e-12);
    w.backward(top3, new boolean[] {true, false}, List.of(x, y));
    double[] g3 = TestBlobs.diff(x);
    for (int i = 0; i < g1.length; i++) {
      assertEquals(3 * g1[i], g3[i], 1e-12);
    }
  }

  @Test
  void refusesGradientForLabelsAndMismatchedCounts() {
    Blob x = TestBlobs.gaussian(4, 1, 3, 5);
    Blob y = LossTests.labels(3, 5, 3);
    SoftmaxWithLossLayer l = layer("");
    List<Blob> top = forward(l, 1, x, y);
    KaffeeException e = assertThrows(KaffeeException.class,
        () -> l.backward(top, new boolean[] {true, true}, List.of(x, y)));
    assertTrue(e.getMessage().contains("layer loss (SoftmaxWithLoss)"), e.getMessage());
    assertTrue(e.getMessage().contains("cannot backpropagate to label inputs"), e.getMessage());
    assertTrue(!l.allowForceBackward(1) && l.allowForceBackward(0));
    Blob y4 = LossTests.labels(6, 5, 3, 2);
    e = assertThrows(KaffeeException.class, () -> layer("").setUp(List.of(x, y4), tops(1)));
    assertTrue(e.getMessage().contains("number of labels must match"), e.getMessage());
    Blob bad = TestBlobs.of(new double[] {0, 7, 1}, 3);
    SoftmaxWithLossLayer l2 = layer("");
    l2.setUp(List.of(x, bad), top);
    e = assertThrows(KaffeeException.class, () -> l2.forwardWithLoss(List.of(x, bad), top));
    assertTrue(e.getMessage().contains("label 7"), e.getMessage());
  }

  @Test
  void floatPrecisionMatchesDouble() {
    Blob xd = TestBlobs.gaussian(8, 2, 4, 10);
    Blob yd = LossTests.labels(4, 10, 4);
    Blob xf = new Blob(4, 10);
    Blob yf = new Blob(4);
    xf.data().assign(xd.data());
    yf.data().assign(yd.data());
    List<Blob> td = tops(1);
    List<Blob> tf = List.of(new Blob());
    SoftmaxWithLossLayer ld = layer("");
    ld.setUp(List.of(xd, yd), td);
    SoftmaxWithLossLayer lf = new SoftmaxWithLossLayer(param(TYPE));
    lf.setUp(List.of(xf, yf), tf);
    ld.forwardWithLoss(List.of(xd, yd), td);
    lf.forwardWithLoss(List.of(xf, yf), tf);
    assertEquals(scalar(td.get(0)), scalar(tf.get(0)), 1e-5);
  }
}
