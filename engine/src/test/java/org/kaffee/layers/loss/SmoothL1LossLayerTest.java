package org.kaffee.layers.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.kaffee.layers.loss.LossTests.checkExhaustive;
import static org.kaffee.layers.loss.LossTests.dbl;
import static org.kaffee.layers.loss.LossTests.loss;
import static org.kaffee.layers.loss.LossTests.param;
import static org.kaffee.testing.DoubleLayers.tops;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kaffee.core.Blob;
import org.kaffee.core.KaffeeException;
import org.kaffee.testing.GradientChecker;
import org.kaffee.testing.TestBlobs;

class SmoothL1LossLayerTest {
  /** prediction - target, none within the checker's reach of |d| = 1 or 1/4 once weighted. */
  private static final double[] DELTA = {-2.5, -0.6, -0.2, 0.3, 0.8, 1.7, 3.1, -1.4, 0.05, 2.2};
  private static final double[] INSIDE = {1, 0.5, 2, 1, 0.5, 1, 0.25, 1, 2, 0.5};

  private static SmoothL1LossLayer smoothL1(double sigma) {
    return dbl(new SmoothL1LossLayer(param("name: 's' type: 'SmoothL1Loss' smooth_l1_loss_param { sigma: "
        + sigma + " }")));
  }

  @Test
  void quadraticNearZeroLinearBeyond() {
    Blob prediction = TestBlobs.of(new double[] {0.5, 3}, 2, 1);
    Blob target = TestBlobs.of(new double[] {0, 0}, 2, 1);
    SmoothL1LossLayer l = smoothL1(1);
    List<Blob> top = tops(1);
    l.setUp(List.of(prediction, target), top);
    l.forwardWithLoss(List.of(prediction, target), top);
    // (0.5 * 0.25 + (3 - 0.5)) / 2 items
    assertEquals(1.3125, LossTests.scalar(top.get(0)), 1e-12);
    l.backward(top, new boolean[] {true, true}, List.of(prediction, target));
    assertArrayEquals(new double[] {0.25, 0.5}, TestBlobs.diff(prediction), 1e-12);
    assertArrayEquals(new double[] {-0.25, -0.5}, TestBlobs.diff(target), 1e-12);
  }

  @Test
  void sigmaNarrowsTheQuadraticPart() {
    // sigma 2: |d| = 0.2 < 1/4 costs 0.5 * 4 * 0.04, |d| = 1 costs 1 - 0.125
    double value = loss(smoothL1(2), TestBlobs.of(new double[] {0.2, 1}, 1, 2), TestBlobs.of(new double[2], 1, 2));
    assertEquals(0.08 + 0.875, value, 1e-12);
  }

  @Test
  void insideWeightsScaleTheDifferenceOutsideWeightsTheCost() {
    Blob p = TestBlobs.of(new double[] {4, 0.5}, 1, 2);
    Blob t = TestBlobs.of(new double[] {0, 0}, 1, 2);
    Blob inside = TestBlobs.of(new double[] {0.1, 4}, 1, 2);
    Blob outside = TestBlobs.of(new double[] {3, 0.5}, 1, 2);
    // d = (0.4, 2): 3 * 0.5 * 0.16 + 0.5 * (2 - 0.5)
    assertEquals(0.24 + 0.75, loss(smoothL1(1), p, t, inside, outside), 1e-12);
  }

  private static List<Blob> bottoms() {
    Blob prediction = TestBlobs.gaussian(1701, 1, 2, 5);
    double[] target = TestBlobs.data(prediction);
    for (int i = 0; i < target.length; i++) {
      target[i] -= DELTA[i];
    }
    return List.of(prediction, TestBlobs.of(target, 2, 5), TestBlobs.of(INSIDE, 2, 5),
        TestBlobs.uniform(3, 0.5, 2, 2, 5));
  }

  @Test
  void gradientWithWeights() {
    for (int b = 0; b < 2; b++) {
      checkExhaustive(new GradientChecker(1e-2, 1e-3), smoothL1(1), bottoms(), tops(1), b);
      checkExhaustive(new GradientChecker(1e-2, 1e-3), smoothL1(2), bottoms(), tops(1), b);
    }
  }

  @Test
  void gradientWithoutWeights() {
    checkExhaustive(new GradientChecker(1e-2, 1e-3), smoothL1(1), bottoms().subList(0, 2), tops(1), -1);
  }

  @Test
  void threeBottomsAreRejected() {
    assertThrows(KaffeeException.class, () -> loss(smoothL1(1), bottoms().subList(0, 3).toArray(new Blob[0])));
  }
}
