package org.kaffee.layers.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kaffee.testing.DoubleLayers.forward;
import static org.kaffee.layers.loss.LossTests.param;
import static org.kaffee.layers.loss.LossTests.scalar;
import static org.kaffee.testing.DoubleLayers.tops;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kaffee.core.Blob;
import org.kaffee.core.KaffeeException;
import org.kaffee.testing.TestBlobs;

class ContrastiveAccuracyLayerTest {
  // Four pairs with distances 5, 1, 0.5, 2.
  private static final Blob FEAT = TestBlobs.of(new double[] {0, 0, 1, 1, 0, 0, 2, 2}, 4, 2);
  private static final Blob FEAT_P =
      TestBlobs.of(new double[] {3, 4, 1, 2, 0.3, 0.4, 2, 0}, 4, 2);
  private static final Blob SIM = TestBlobs.of(new double[] {0, 1, 1, 1}, 4);

  private static ContrastiveAccuracyLayer layer(String extra) {
    return new ContrastiveAccuracyLayer(
        param("name: 'cacc' type: 'ContrastiveAccuracy' " + extra));
  }

  private static List<Blob> run(String extra, Blob a, Blob b, Blob sim, int nTops) {
    return forward(layer(extra), nTops, a, b, sim);
  }

  /** Accuracy at margin 2.5 on the four pairs as [4, 2, 1, 1] features, with these labels. */
  private static double accuracyOn4dPairs(double... sim) {
    Blob a = TestBlobs.of(TestBlobs.data(FEAT), 4, 2, 1, 1);
    Blob b = TestBlobs.of(TestBlobs.data(FEAT_P), 4, 2, 1, 1);
    List<Blob> top = run("contrastive_accuracy_param { margin: 2.5 }", a, b,
        TestBlobs.of(sim, 4, 1, 1, 1), 1);
    return scalar(top.get(0));
  }

  @Test
  void defaultMarginIsOne() {
    // margin 1: predicted similar only for d < 1 -> pair 2. Labels 0,1,1,1:
    // pair 0 (d 5, dissimilar) right; pair 1 (d 1, not < 1, similar) wrong;
    // pair 2 right; pair 3 (d 2) wrong.
    assertEquals(0.5, scalar(run("", FEAT, FEAT_P, SIM, 1).get(0)), 1e-12);
    assertEquals(0, run("", FEAT, FEAT_P, SIM, 1).get(0).numAxes());
  }

  @Test
  void severalMargins() {
    String[] margins = {"0.4", "1.5", "2.5", "6"};
    double[] expected = {0.25, 0.75, 1.0, 0.75};
    for (int i = 0; i < margins.length; i++) {
      List<Blob> top = run("contrastive_accuracy_param { margin: " + margins[i] + " }", FEAT,
          FEAT_P, SIM, 1);
      assertEquals(expected[i], scalar(top.get(0)), 1e-12, "margin " + margins[i]);
    }
  }

  @Test
  void fourDimensionalShapesAndNonBinaryLabels() {
    assertEquals(1.0, accuracyOn4dPairs(0, 1, 1.7, -2), 1e-12);
  }

  @Test
  void fractionalLabelsTruncateAsContrastiveLossDoes() {
    assertEquals(0.75, accuracyOn4dPairs(0, 1, 0.5, -2), 1e-12);
  }

  @Test
  void secondTopIsTheMeanDistance() {
    List<Blob> top = run("", FEAT, FEAT_P, SIM, 2);
    assertEquals((5 + 1 + 0.5 + 2) / 4.0, scalar(top.get(1)), 1e-12);
    assertEquals(0, top.get(1).numAxes());
  }

  @Test
  void clearErrorsNamingTheLayer() {
    Blob wrong = TestBlobs.of(new double[6], 3, 2);
    KaffeeException e = assertThrows(KaffeeException.class,
        () -> run("", FEAT, wrong, SIM, 1));
    assertTrue(e.getMessage().startsWith("layer cacc (ContrastiveAccuracy): bottoms 0 (feat)"
        + " and 1 (feat_p) must have the same shape"), e.getMessage());
    Blob sim3 = TestBlobs.of(new double[3], 3);
    e = assertThrows(KaffeeException.class, () -> run("", FEAT, FEAT_P, sim3, 1));
    assertTrue(e.getMessage().startsWith("layer cacc (ContrastiveAccuracy): bottom 2 (sim)"),
        e.getMessage());
    e = assertThrows(KaffeeException.class,
        () -> layer("").setUp(List.of(FEAT, FEAT_P), tops(1)));
    assertTrue(e.getMessage().contains("cacc") && e.getMessage().contains("3 bottom"),
        e.getMessage());
    ContrastiveAccuracyLayer l = layer("");
    List<Blob> top = tops(1);
    l.setUp(List.of(FEAT, FEAT_P, SIM), top);
    e = assertThrows(KaffeeException.class,
        () -> l.backward(top, new boolean[] {true, false, false}, List.of(FEAT, FEAT_P, SIM)));
    assertTrue(e.getMessage().contains("no gradient"), e.getMessage());
    l.backward(top, new boolean[] {false, false, false}, List.of(FEAT, FEAT_P, SIM));
    assertFalse(l.allowForceBackward(0));
  }
}
