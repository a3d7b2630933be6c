package org.kaffee.layers.detection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kaffee.io.ProtoFiles;
import org.kaffee.proto.Caffe.MultiBoxLossParameter;

/** Which priors become positives (PriorMatcher) and which negatives (ExampleMining). */
class PriorMatchingTest {
  /** P0 [0,0,.5,.5], P1 [.1,0,.6,.5], P2 [.5,.5,1,1], P3 [0,.5,.5,1]; variances unused. */
  private static final double[] PRIORS = {0, 0, 0.5, 0.5, 0.1, 0, 0.6, 0.5, 0.5, 0.5, 1, 1, 0, 0.5, 0.5, 1,
      1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
  /** g0 = P0 (IoU .667 with P1); g1 [.45,.5,1,1] (IoU .909 with P2, .05 with P3). */
  private static final GroundTruth G0 = new GroundTruth(0, 1, new Box(0, 0, 0.5, 0.5), false);
  private static final GroundTruth G1 = new GroundTruth(0, 1, new Box(0.45, 0.5, 1, 1), false);
  /** g2 [0,0,.5,.45]: IoU .9 with P0 (taken by g0), .61 with P1. */
  private static final GroundTruth G2 = new GroundTruth(0, 2, new Box(0, 0, 0.5, 0.45), false);

  private static MultiBoxLossParameter param(String text) {
    return ProtoFiles.parseText("num_classes: 3 " + text, "test", MultiBoxLossParameter.newBuilder()).build();
  }

  private static Matches match(String p, GroundTruth... gt) {
    List<Box> priors = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      priors.add(new Box(PRIORS[i * 4], PRIORS[i * 4 + 1], PRIORS[i * 4 + 2], PRIORS[i * 4 + 3]));
    }
    return new PriorMatcher(param(p)).match(List.of(gt), 0, priors, PRIORS, new double[16]);
  }

  @Test
  void bipartiteGivesEachBoxOneBestPrior() {
    Matches m = match("match_type: BIPARTITE", G0, G1);
    assertArrayEquals(new int[] {0, -1, 1, -1}, m.indices().get(-1));
    assertArrayEquals(new double[] {1, 2.0 / 3, 0.25 / 0.275, 0.025 / 0.5}, m.overlaps().get(-1), 1e-12);
  }

  @Test
  void bipartiteTakesTheBestPairFirstSoALaterBoxGetsItsNextBest() {
    assertArrayEquals(new int[] {0, 2, 1, -1}, match("match_type: BIPARTITE", G0, G1, G2).indices().get(-1));
  }

  @Test
  void perPredictionAlsoMatchesPriorsAboveTheThreshold() {
    assertArrayEquals(new int[] {0, 0, 1, -1}, match("", G0, G1).indices().get(-1));
    assertArrayEquals(new int[] {0, -1, 1, -1}, match("overlap_threshold: 0.7", G0, G1).indices().get(-1));
  }

  @Test
  void perClassLocationsKeepTheirOwnLabelsMatches() {
    Matches m = match("share_location: false", G0, G1, G2);
    assertEquals(List.of(1, 2), List.copyOf(m.indices().keySet()));
    assertArrayEquals(new int[] {0, -1, 1, -1}, m.indices().get(1));
    assertArrayEquals(new int[] {-1, 2, -1, -1}, m.indices().get(2));
  }

  @Test
  void crossBoundaryPriorsCanBeIgnored() {
    List<Box> priors = List.of(new Box(-0.1, 0, 0.5, 0.5), new Box(0.1, 0, 0.6, 0.5));
    Matches m = new PriorMatcher(param("ignore_cross_boundary_bbox: true")).match(List.of(G0), 0, priors,
        new double[16], new double[8]);
    assertArrayEquals(new int[] {-2, 0}, m.indices().get(-1));
  }

  private static Matches matches(int[] indices, double[] overlaps) {
    Matches m = new Matches();
    m.indices().put(-1, indices);
    m.overlaps().put(-1, overlaps);
    return m;
  }

  @Test
  void maxNegativeTakesTheWorstUnmatchedPriorsBelowNegOverlap() {
    // prior 1 overlaps a box by .6 >= neg_overlap .5: never a negative, however bad its loss
    Matches m = matches(new int[] {0, -1, -1, -1, -1}, new double[] {1, 0.6, 0.1, 0.2, 0});
    double[] loss = {9, 8, 1, 3, 2};
    assertEquals(List.of(3, 4), new ExampleMining(param("neg_pos_ratio: 2")).mine(m, loss, null));
    // one positive times 1.5 truncates to one negative
    assertEquals(List.of(3), new ExampleMining(param("neg_pos_ratio: 1.5")).mine(m, loss, null));
  }

  @Test
  void hardExampleKeepsTheSampleSizeWorstAndUnmatchesTheRest() {
    Matches m = matches(new int[] {0, -1, 1, -1, -1}, new double[5]);
    List<Integer> negatives = new ExampleMining(param("mining_type: HARD_EXAMPLE sample_size: 2"))
        .mine(m, new double[] {1, 8, 9, 3, 2}, null);
    assertEquals(List.of(1), negatives);
    assertArrayEquals(new int[] {-1, -1, 1, -1, -1}, m.indices().get(-1));
  }

  @Test
  void nmsAmongTheMinedKeepsTheWorstOfEachSpot() {
    // one positive (prior 0); unmatched 1..4 with losses 9, 8, 7, 1; priors 1 and 2 overlap by
    // 0.45 / 0.5 = 0.9, prior 3 and 4 lie apart
    Matches m = matches(new int[] {0, -1, -1, -1, -1}, new double[5]);
    double[] loss = {0, 9, 8, 7, 1};
    List<Box> boxes = List.of(new Box(0, 0, 0.2, 0.2), new Box(0, 0, 1, 0.5), new Box(0, 0, 0.9, 0.5),
        new Box(0, 0.6, 0.4, 1), new Box(0.6, 0.6, 1, 1));
    assertEquals(List.of(1, 2), new ExampleMining(param("neg_pos_ratio: 2")).mine(m, loss, boxes));
    // NMS drops prior 2 under prior 1, so the second negative is prior 3
    assertEquals(List.of(1, 3), new ExampleMining(param("neg_pos_ratio: 2 nms_param { nms_threshold: 0.5 top_k: 10 }"))
        .mine(m, loss, boxes));
    // a threshold above their overlap keeps both
    assertEquals(List.of(1, 2), new ExampleMining(param("neg_pos_ratio: 2 nms_param { nms_threshold: 0.95 top_k: 10 }"))
        .mine(m, loss, boxes));
    // top_k 1 leaves one example, fewer than the two wanted
    assertEquals(List.of(1), new ExampleMining(param("neg_pos_ratio: 2 nms_param { nms_threshold: 0.5 top_k: 1 }"))
        .mine(m, loss, boxes));
  }

  @Test
  void nmsAmongTheMinedPassesOverBoxesWithoutArea() {
    List<Box> boxes = List.of(new Box(0, 0, 1, 1), new Box(0.5, 0.5, 0.5, 0.5), new Box(0, 0, 0.5, 0.5));
    assertEquals(List.of(0, 2), Nms.amongMined(boxes, new double[] {3, 2, 1}, 0.5, -1));
  }
}
