package org.kaffee.layers.loss;

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

class MultinomialLogisticLossLayerTest {
  private static MultinomialLogisticLossLayer layer() {
    return dbl(new MultinomialLogisticLossLayer(
        param("name: 'm' type: 'MultinomialLogisticLoss'")));
  }

  @Test
  void forwardByHandWithTheLogThreshold() {
    Blob p = TestBlobs.of(new double[] {0.2, 0.5, 0.3, 0.6, 0.4, 0}, 2, 3);
    Blob y = TestBlobs.of(new double[] {1, 2}, 2, 1, 1, 1);
    List<Blob> top = tops(1);
    MultinomialLogisticLossLayer l = layer();
    l.setUp(List.of(p, y), top);
    l.forwardWithLoss(List.of(p, y), top);
    assertEquals((-Math.log(0.5) - Math.log(1e-20)) / 2, scalar(top.get(0)), 1e-12);
  }

  @Test
  void gradient() {
    Blob p = TestBlobs.uniform(41, 0.2, 1.0, 10, 5, 1, 1);
    Blob y = LossTests.labels(10, 5, 10);
    checkExhaustive(new GradientChecker(1e-2, 1e-3), layer(), List.of(p, y), tops(1), 0);
  }

  @Test
  void needsOneLabelPerSample() {
    Blob p = TestBlobs.uniform(41, 0.2, 1.0, 2, 5);
    Blob y = TestBlobs.of(new double[] {1, 2, 3, 4}, 2, 2);
    KaffeeException e = assertThrows(KaffeeException.class,
        () -> layer().setUp(List.of(p, y), tops(1)));
    assertTrue(e.getMessage().contains("one label per sample"), e.getMessage());
  }
}
