package org.kaffee.layers.detection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kaffee.core.Blob;
import org.kaffee.core.KaffeeException;
import org.kaffee.testing.DoubleLayers;
import org.kaffee.testing.GradientChecker;
import org.kaffee.testing.TestBlobs;

class MultiBoxLossLayerTest {
  /** Prior A = [0, 0, .5, .5] and B = [.5, .5, 1, 1], variances .1 .1 .2 .2. */
  private static final double[] TWO_PRIORS = {0, 0, 0.5, 0.5, 0.5, 0.5, 1, 1, 0.1, 0.1, 0.2, 0.2, 0.1, 0.1, 0.2, 0.2};
  /** One box of class 1 on image 0, [.1, 0, .5, .5]: IoU 0.8 with A, none with B. */
  private static final double[] ONE_BOX = {0, 1, 0, 0.1, 0, 0.5, 0.5, 0};

  private static MultiBoxLossLayer layer(String p) {
    return DoubleLayers.fromText(MultiBoxLossLayer::new, "mbox_loss",
        "type: 'MultiBoxLoss' multibox_loss_param { num_classes: 2 " + p + " }");
  }

  private static List<Blob> twoPriors(double[] loc, double[] conf) {
    return DoubleLayers.list(TestBlobs.of(loc, 1, 8), TestBlobs.of(conf, 1, 4), TestBlobs.of(TWO_PRIORS, 1, 2, 8),
        TestBlobs.of(ONE_BOX, 1, 1, 1, 8));
  }

  private static double forwardBackward(MultiBoxLossLayer l, List<Blob> bottom) {
    List<Blob> top = DoubleLayers.tops(1);
    l.setUp(bottom, top);
    double loss = l.forwardWithLoss(bottom, top);
    l.backward(top, new boolean[] {true, true, false, false}, bottom);
    return loss;
  }

  @ParameterizedTest
  @ValueSource(strings = {"mining_type: NONE", "mining_type: MAX_NEGATIVE"})
  void oneMatchedPriorByHand(String mining) {
    // A's target offsets (CORNER): ((.1 - 0) / .1, 0, 0, 0) = (1, 0, 0, 0); its prediction
    // (.5, .2, -2, 0) differs by (-.5, .2, -2, 0): smooth L1 .125 + .02 + 1.5 + 0 = 1.645.
    // Scores: A (0, 0) for class 1 costs ln 2; B (0, ln 3) for the background costs ln 4.
    // VALID divides by the one match. (With mining, B is A's one allowed negative.)
    double[] loc = {0.5, 0.2, -2, 0, 0.3, -0.4, 0.1, 0.9};
    double[] conf = {0, 0, 0, Math.log(3)};
    List<Blob> bottom = twoPriors(loc, conf);
    double loss = forwardBackward(layer(mining), bottom);
    assertEquals(1.645 + 3 * Math.log(2), loss, 1e-12);
    assertArrayEquals(new double[] {-0.5, 0.2, -1, 0, 0, 0, 0, 0}, TestBlobs.diff(bottom.get(0)), 1e-12);
    assertArrayEquals(new double[] {0.5, -0.5, -0.75, 0.75}, TestBlobs.diff(bottom.get(1)), 1e-12);
  }

  @Test
  void locWeightAndNormalizationScaleTheTerms() {
    double[] loc = {0.5, 0.2, -2, 0, 0.3, -0.4, 0.1, 0.9};
    double[] conf = {0, 0, 0, Math.log(3)};
    // FULL: 1 image x 2 priors
    double loss = forwardBackward(layer("loc_weight: 3 } loss_param { normalization: FULL"), twoPriors(loc, conf));
    assertEquals((3 * 1.645 + 3 * Math.log(2)) / 2, loss, 1e-12);
  }

  @Test
  void propagateDownFalseInThePrototxtLeavesTheTermOut() {
    MultiBoxLossLayer l = DoubleLayers.fromText(MultiBoxLossLayer::new, "mbox_loss", "type: 'MultiBoxLoss' "
        + "propagate_down: false propagate_down: true propagate_down: false propagate_down: false "
        + "multibox_loss_param { num_classes: 2 }");
    double loss = forwardBackward(l, twoPriors(new double[] {0.5, 0.2, -2, 0, 0, 0, 0, 0},
        new double[] {0, 0, 0, Math.log(3)}));
    assertEquals(3 * Math.log(2), loss, 1e-12);
  }

  @Test
  void anImageWithoutBoxesHasNoPositivesAndWithMiningNoNegatives() {
    List<Blob> bottom = DoubleLayers.list(TestBlobs.of(new double[8], 1, 8), TestBlobs.of(new double[] {0, 1, 2, 0}, 1, 4),
        TestBlobs.of(TWO_PRIORS, 1, 2, 8), TestBlobs.of(new double[] {-1, -1, -1, -1, -1, -1, -1, -1}, 1, 1, 1, 8));
    assertEquals(0, forwardBackward(layer(""), bottom), 0);
    // without mining every prior is a background example: ln(1 + e) + ln(1 + e^-2), VALID -> 1
    double expected = Math.log(1 + Math.E) + Math.log(1 + Math.exp(-2));
    assertEquals(expected, forwardBackward(layer("mining_type: NONE"), bottom), 1e-12);
  }

  /** Caffe's checker settings; mining and matching do not change within a step of 1e-2 here. */
  @ParameterizedTest
  @ValueSource(strings = {"", "code_type: CENTER_SIZE match_type: BIPARTITE mining_type: NONE",
      "conf_loss_type: LOGISTIC loc_loss_type: L2 code_type: CORNER_SIZE",
      "share_location: false mining_type: NONE overlap_threshold: 0.3",
      "use_prior_for_matching: false code_type: CENTER_SIZE overlap_threshold: 0.3",
      "mining_type: HARD_EXAMPLE sample_size: 4 overlap_threshold: 0.3"})
  void gradients(String p) {
    for (int b = 0; b < 2; b++) {
      MultiBoxLossLayer l = DoubleLayers.fromText(MultiBoxLossLayer::new, "mbox_loss",
          "type: 'MultiBoxLoss' multibox_loss_param { num_classes: 3 " + p + " }");
      new GradientChecker(1e-2, 1e-3).checkGradientExhaustive(l, SixPriors.bottoms(p.contains("share_location: false")),
          DoubleLayers.tops(1), b);
    }
  }

  private static KaffeeException rejected(String p, List<Blob> bottom) {
    return assertThrows(KaffeeException.class, () -> {
      MultiBoxLossLayer l = DoubleLayers.fromText(MultiBoxLossLayer::new, "mbox_loss",
          "type: 'MultiBoxLoss' multibox_loss_param { " + p + " }");
      forwardBackward(l, bottom);
    });
  }

  @Test
  void badConfigurationsAreNamed() {
    List<Blob> ok = twoPriors(new double[8], new double[4]);
    String[][] cases = {
        {"", "num_classes"},
        {"num_classes: 2 share_location: false", "share_location"},
        {"num_classes: 2 background_label_id: 2", "background_label_id 2"},
        {"num_classes: 3 map_object_to_agnostic: true", "map_object_to_agnostic"},
        {"num_classes: 2 mining_type: HARD_EXAMPLE sample_size: 0", "sample_size"},
        {"num_classes: 2 do_neg_mining: false", "do_neg_mining"},
        {"num_classes: 3", "3 classes"},
    };
    for (String[] c : cases) {
      KaffeeException e = rejected(c[0], ok);
      assertTrue(e.getMessage().startsWith("layer mbox_loss (MultiBoxLoss): ") && e.getMessage().contains(c[1]),
          c[0] + " -> " + e.getMessage());
    }
  }

  @Test
  void badGroundTruthIsNamed() {
    double[][] rows = {{0, 0, 0, 0.1, 0, 0.5, 0.5, 0}, {0, 5, 0, 0.1, 0, 0.5, 0.5, 0}, {3, 1, 0, 0.1, 0, 0.5, 0.5, 0}};
    String[] named = {"background label 0", "label 5", "image 3"};
    for (int i = 0; i < rows.length; i++) {
      List<Blob> bottom = DoubleLayers.list(TestBlobs.of(new double[8], 1, 8), TestBlobs.of(new double[4], 1, 4),
          TestBlobs.of(TWO_PRIORS, 1, 2, 8), TestBlobs.of(rows[i], 1, 1, 1, 8));
      KaffeeException e = rejected("num_classes: 2", bottom);
      assertTrue(e.getMessage().contains("ground truth (bottom 3)") && e.getMessage().contains(named[i]),
          e.getMessage());
    }
    List<Blob> flat = DoubleLayers.list(TestBlobs.of(new double[8], 1, 8), TestBlobs.of(new double[4], 1, 4),
        TestBlobs.of(TWO_PRIORS, 1, 2, 8), TestBlobs.of(new double[] {0, 1, 0, 0.1, 0.2, 0.1, 0.5, 0}, 1, 1, 1, 8));
    assertTrue(rejected("num_classes: 2 code_type: CENTER_SIZE", flat).getMessage().contains("no area"));
  }

  @Test
  void thePriorsAndGroundTruthGetNoGradient() {
    MultiBoxLossLayer l = layer("");
    List<Blob> bottom = twoPriors(new double[8], new double[4]);
    List<Blob> top = DoubleLayers.tops(1);
    l.setUp(bottom, top);
    l.forwardWithLoss(bottom, top);
    KaffeeException e = assertThrows(KaffeeException.class,
        () -> l.backward(top, new boolean[] {true, true, false, true}, bottom));
    assertTrue(e.getMessage().contains("ground truth (bottom 3)"), e.getMessage());
    assertTrue(!l.allowForceBackward(2) && !l.allowForceBackward(3) && l.allowForceBackward(0));
  }
}
