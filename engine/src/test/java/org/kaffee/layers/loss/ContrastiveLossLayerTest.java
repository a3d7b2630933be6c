package org.kaffee.layers.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

class ContrastiveLossLayerTest {
  private static ContrastiveLossLayer layer(String extra) {
    return dbl(new ContrastiveLossLayer(param("name: 'c' type: 'ContrastiveLoss' " + extra)));
  }

  private static final Blob A = TestBlobs.of(new double[] {0, 0, 1, 1, 0, 0}, 3, 2, 1, 1);
  private static final Blob B = TestBlobs.of(new double[] {3, 4, 1, 2, 0.6, 0.8}, 3, 2, 1, 1);
  // distances 5, 1, 1; labels similar, dissimilar, dissimilar
  private static final Blob SIM = TestBlobs.of(new double[] {1, 0, 0}, 3, 1, 1, 1);

  @Test
  void forwardByHand() {
    // similar: d^2 = 25; dissimilar: max(2 - 1, 0)^2 = 1 twice
    assertEquals((25 + 1 + 1) / 3.0 / 2,
        loss(layer("contrastive_loss_param { margin: 2 }"), A, B, SIM), 1e-12);
  }

  @Test
  void legacyVersionUsesSquaredDistanceInTheMargin() {
    // similar: 25; dissimilar: max(3 - 1, 0) twice
    assertEquals((25 + 2 + 2) / 3.0 / 2,
        loss(layer("contrastive_loss_param { margin: 3 legacy_version: true }"), A, B, SIM), 1e-12);
  }

  private static List<Blob> pairs() {
    Blob a = TestBlobs.gaussian(21, 0.5, 8, 4, 1, 1);
    Blob b = TestBlobs.gaussian(22, 0.5, 8, 4, 1, 1);
    Blob sim = TestBlobs.of(new double[] {1, 0, 0, 1, 0, 1, 0, 0}, 8, 1, 1, 1);
    return List.of(a, b, sim);
  }

  @Test
  void gradientBothFeatureBottoms() {
    for (int bottom = 0; bottom < 2; bottom++) {
      checkExhaustive(new GradientChecker(1e-2, 1e-3),
          layer("contrastive_loss_param { margin: 1.5 }"), pairs(), tops(1), bottom);
    }
    assertFalse(layer("").allowForceBackward(2));
  }

  @Test
  void gradientLegacy() {
    for (int bottom = 0; bottom < 2; bottom++) {
      checkExhaustive(new GradientChecker(1e-2, 1e-3),
          layer("contrastive_loss_param { margin: 1.5 legacy_version: true }"), pairs(),
          tops(1), bottom);
    }
  }
}
