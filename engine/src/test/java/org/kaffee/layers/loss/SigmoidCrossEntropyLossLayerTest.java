package org.kaffee.layers.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.kaffee.layers.loss.LossTests.checkExhaustive;
import static org.kaffee.layers.loss.LossTests.dbl;
import static org.kaffee.layers.loss.LossTests.param;
import static org.kaffee.layers.loss.LossTests.scalar;
import static org.kaffee.testing.DoubleLayers.tops;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kaffee.core.Blob;
import org.kaffee.testing.GradientChecker;
import org.kaffee.testing.TestBlobs;

class SigmoidCrossEntropyLossLayerTest {
  private static SigmoidCrossEntropyLossLayer layer(String extra) {
    return dbl(new SigmoidCrossEntropyLossLayer(
        param("name: 's' type: 'SigmoidCrossEntropyLoss' " + extra)));
  }

  /** The plain formula -[t log s + (1 - t) log(1 - s)], summed over non-ignored targets. */
  private static double[] plain(Blob x, Blob t, int ignore) {
    double[] xs = TestBlobs.data(x);
    double[] ts = TestBlobs.data(t);
    double loss = 0;
    int valid = 0;
    for (int i = 0; i < xs.length; i++) {
      if ((int) ts[i] == ignore) {
        continue;
      }
      double s = 1 / (1 + Math.exp(-xs[i]));
      loss -= ts[i] * Math.log(s) + (1 - ts[i]) * Math.log(1 - s);
      valid++;
    }
    return new double[] {loss, valid};
  }

  @Test
  void defaultNormalizationIsBatchSize() {
    Blob x = TestBlobs.gaussian(51, 2, 4, 3);
    Blob t = TestBlobs.uniform(52, 0, 1, 4, 3);
    List<Blob> top = tops(1);
    SigmoidCrossEntropyLossLayer l = layer("");
    l.setUp(List.of(x, t), top);
    l.forwardWithLoss(List.of(x, t), top);
    assertEquals(plain(x, t, Integer.MIN_VALUE)[0] / 4, scalar(top.get(0)), 1e-10);
  }

  @Test
  void byHandOneElement() {
    Blob x = TestBlobs.of(new double[] {0, 2}, 1, 2);
    Blob t = TestBlobs.of(new double[] {1, 0}, 1, 2);
    List<Blob> top = tops(1);
    SigmoidCrossEntropyLossLayer l = layer("");
    l.setUp(List.of(x, t), top);
    l.forwardWithLoss(List.of(x, t), top);
    assertEquals(Math.log(2) + Math.log(1 + Math.exp(2)), scalar(top.get(0)), 1e-12);
  }

  private static Blob targetsWithIgnored() {
    double[] v = new double[12];
    for (int i = 0; i < 12; i++) {
      v[i] = i % 4 == 0 ? -1 : (i % 3 == 0 ? 1 : 0);
    }
    return TestBlobs.of(v, 3, 4);
  }

  @ParameterizedTest
  @ValueSource(strings = {"FULL", "VALID", "BATCH_SIZE", "NONE"})
  void ignoreLabelAndNormalizationModes(String mode) {
    Blob x = TestBlobs.gaussian(53, 2, 3, 4);
    Blob t = targetsWithIgnored();
    List<Blob> top = tops(1);
    String p = "loss_param { ignore_label: -1 normalization: " + mode + " }";
    SigmoidCrossEntropyLossLayer l = layer(p);
    l.setUp(List.of(x, t), top);
    l.forwardWithLoss(List.of(x, t), top);
    double[] ref = plain(x, t, -1);
    double norm = switch (mode) {
      case "FULL" -> 12;
      case "VALID" -> ref[1];
      case "BATCH_SIZE" -> 3;
      default -> 1;
    };
    assertEquals(ref[0] / norm, scalar(top.get(0)), 1e-10);
    checkExhaustive(new GradientChecker(1e-2, 1e-3), layer(p), List.of(x, t), tops(1), 0);
  }

  @Test
  void legacyNormalizeTrueMeansValid() {
    Blob x = TestBlobs.gaussian(54, 2, 3, 4);
    Blob t = targetsWithIgnored();
    List<Blob> top = tops(1);
    SigmoidCrossEntropyLossLayer l = layer("loss_param { ignore_label: -1 normalize: true }");
    l.setUp(List.of(x, t), top);
    l.forwardWithLoss(List.of(x, t), top);
    double[] ref = plain(x, t, -1);
    assertEquals(ref[0] / ref[1], scalar(top.get(0)), 1e-10);
  }

  @Test
  void gradientWithSoftTargets() {
    Blob x = TestBlobs.gaussian(55, 2, 5, 2, 2);
    Blob t = TestBlobs.uniform(56, 0, 1, 5, 2, 2);
    checkExhaustive(new GradientChecker(1e-2, 1e-3), layer(""), List.of(x, t), tops(1), 0);
  }
}
