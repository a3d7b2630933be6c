package org.kaffee.layers.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.kaffee.layers.loss.LossTests.checkExhaustive;
import static org.kaffee.layers.loss.LossTests.dbl;
import static org.kaffee.layers.loss.LossTests.loss;
import static org.kaffee.layers.loss.LossTests.param;
import static org.kaffee.testing.DoubleLayers.tops;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kaffee.core.Blob;
import org.kaffee.testing.GradientChecker;
import org.kaffee.testing.TestBlobs;

class HingeLossLayerTest {
  private static HingeLossLayer layer(String extra) {
    return dbl(new HingeLossLayer(param("name: 'h' type: 'HingeLoss' " + extra)));
  }

  private static final Blob X = TestBlobs.of(new double[] {2, -0.5, 0.5, 0.2, 1.5, -3}, 2, 3);
  private static final Blob Y = TestBlobs.of(new double[] {0, 1}, 2);

  @Test
  void l1ByHand() {
    // sample 0 (label 0): max(0,1-2)=0, max(0,1-0.5)=0.5, max(0,1+0.5)=1.5
    // sample 1 (label 1): max(0,1+0.2)=1.2, max(0,1-1.5)=0, max(0,1-3)=0
    assertEquals((0.5 + 1.5 + 1.2) / 2, loss(layer(""), X, Y), 1e-12);
  }

  @Test
  void l2ByHand() {
    assertEquals((0.25 + 2.25 + 1.44) / 2, loss(layer("hinge_loss_param { norm: L2 }"), X, Y), 1e-12);
  }

  @Test
  void gradientL1AndL2() {
    for (String norm : new String[] {"L1", "L2"}) {
      // Large values keep the margins away from the kinks, as Caffe's own test does.
      Blob x = TestBlobs.gaussian(31, 10, 10, 5, 1, 1);
      Blob y = LossTests.labels(10, 5, 10, 1, 1, 1);
      checkExhaustive(new GradientChecker(1e-2, 2e-3, 1701, 1, 0.01),
          layer("hinge_loss_param { norm: " + norm + " }"), List.of(x, y), tops(1), 0);
    }
  }
}
