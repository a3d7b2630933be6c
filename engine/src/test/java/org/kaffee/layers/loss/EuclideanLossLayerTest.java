package org.kaffee.layers.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kaffee.layers.loss.LossTests.checkExhaustive;
import static org.kaffee.layers.loss.LossTests.dbl;
import static org.kaffee.layers.loss.LossTests.param;
import static org.kaffee.layers.loss.LossTests.scalar;
import static org.kaffee.testing.DoubleLayers.tops;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kaffee.core.Blob;
import org.kaffee.core.KaffeeException;
import org.kaffee.testing.GradientChecker;
import org.kaffee.testing.TestBlobs;

class EuclideanLossLayerTest {
  private static EuclideanLossLayer layer(String extra) {
    return dbl(new EuclideanLossLayer(param("name: 'e' type: 'EuclideanLoss' " + extra)));
  }

  @Test
  void forwardByHand() {
    Blob a = TestBlobs.of(new double[] {1, 2, 3, 4}, 2, 2);
    Blob b = TestBlobs.of(new double[] {0, 2, 5, 1}, 2, 2, 1, 1);
    List<Blob> top = tops(1);
    EuclideanLossLayer l = layer("");
    l.setUp(List.of(a, b), top);
    l.forwardWithLoss(List.of(a, b), top);
    // (1 + 0 + 4 + 9) / 2 samples / 2
    assertEquals(3.5, scalar(top.get(0)), 1e-12);
    l.backward(top, new boolean[] {true, true}, List.of(a, b));
    assertArrayEquals(new double[] {0.5, 0, -1, 1.5}, TestBlobs.diff(a), 1e-12);
    assertArrayEquals(new double[] {-0.5, 0, 1, -1.5}, TestBlobs.diff(b), 1e-12);
  }

  @Test
  void lossWeightIsApplied() {
    Blob a = TestBlobs.gaussian(1, 1, 3, 4);
    Blob b = TestBlobs.gaussian(2, 1, 3, 4);
    List<Blob> top = tops(1);
    EuclideanLossLayer l = layer("loss_weight: 0.5");
    l.setUp(List.of(a, b), top);
    double weighted = l.forwardWithLoss(List.of(a, b), top);
    assertEquals(0.5 * scalar(top.get(0)), weighted, 1e-12);
  }

  @Test
  void gradientReachesBothBottoms() {
    Blob a = TestBlobs.gaussian(3, 1, 10, 5, 1, 1);
    Blob b = TestBlobs.gaussian(4, 1, 10, 5, 1, 1);
    checkExhaustive(new GradientChecker(1e-2, 1e-3), layer(""), List.of(a, b), tops(1), -1);
    assertTrue(layer("").allowForceBackward(1));
  }

  @Test
  void mismatchedDimensionsAreRejected() {
    Blob a = TestBlobs.gaussian(3, 1, 2, 5);
    Blob b = TestBlobs.gaussian(4, 1, 2, 4);
    KaffeeException e = assertThrows(KaffeeException.class,
        () -> layer("").setUp(List.of(a, b), tops(1)));
    assertTrue(e.getMessage().contains("layer e (EuclideanLoss)"), e.getMessage());
    Blob c = TestBlobs.gaussian(4, 1, 3, 5);
    e = assertThrows(KaffeeException.class, () -> layer("").setUp(List.of(a, c), tops(1)));
    assertTrue(e.getMessage().contains("same first dimension"), e.getMessage());
  }
}
