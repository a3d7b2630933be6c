package org.kaffee.layers.detection;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.kaffee.log.Glog;
import org.kaffee.proto.Caffe.MultiBoxLossParameter;
import org.kaffee.proto.Caffe.MultiBoxLossParameter.MiningType;

/**
 * SSD's MineHardExamples for one image, given each prior's loss. MAX_NEGATIVE takes, among the
 * unmatched priors overlapping every box by less than neg_overlap, the (int) (positives *
 * neg_pos_ratio) with the highest loss as negatives. HARD_EXAMPLE ranks every prior and keeps
 * the sample_size worst: unmatched ones among them become negatives, matched ones left out
 * stop being positives. Equal losses rank by prior index. With nms_param (a positive
 * nms_threshold) the eligible priors go through {@link Nms#amongMined} by loss first, their
 * boxes the priors (use_prior_for_nms) or the decoded predictions, so that mined examples do not
 * crowd one spot; its top_k is the fork's (unset: 0, which keeps none).
 */
final class ExampleMining {
  private final MiningType type;
  private final float negPosRatio;
  private final double negOverlap;
  private final int sampleSize;
  private final double nmsThreshold;
  private final int nmsTopK;

  ExampleMining(MultiBoxLossParameter p) {
    type = p.getMiningType();
    negPosRatio = p.getNegPosRatio();
    negOverlap = p.getNegOverlap();
    sampleSize = p.getSampleSize();
    nmsThreshold = p.hasNmsParam() ? p.getNmsParam().getNmsThreshold() : 0;
    nmsTopK = p.getNmsParam().getTopK();
    if (usesBoxes() && !p.getNmsParam().hasTopK()) {
      Glog.warn("MultiBoxLoss: nms_param has no top_k; as in SSD, 0 is taken and no example is mined");
    }
  }

  /** Whether mining needs each prior's box (for NMS among the mined examples). */
  boolean usesBoxes() {
    return nmsThreshold > 0;
  }

  /**
   * The negatives, in prior order; HARD_EXAMPLE also unmatches the positives not kept.
   * {@code boxes} (each prior's; null unless {@link #usesBoxes}) are what NMS compares.
   */
  List<Integer> mine(Matches matches, double[] loss, List<Box> boxes) {
    List<Integer> negatives = new ArrayList<>();
    for (Map.Entry<Integer, int[]> e : matches.indices().entrySet()) {
      int[] match = e.getValue();
      double[] overlaps = matches.overlaps().get(e.getKey());
      List<Integer> eligible = new ArrayList<>();
      int positives = 0;
      for (int m = 0; m < match.length; m++) {
        if (type == MiningType.HARD_EXAMPLE || (match[m] == -1 && overlaps[m] < negOverlap)) {
          eligible.add(m);
        }
        if (match[m] > -1) {
          positives++;
        }
      }
      // float arithmetic and truncation, as the fork's static_cast<int>(num_pos * neg_pos_ratio)
      int wanted = type == MiningType.HARD_EXAMPLE ? sampleSize : (int) (positives * negPosRatio);
      boolean[] selected = new boolean[match.length];
      for (int m : usesBoxes() ? afterNms(eligible, loss, boxes, wanted) : best(eligible, loss, wanted)) {
        selected[m] = true;
      }
      for (int m = 0; m < match.length; m++) {
        if (match[m] > -1 && type == MiningType.HARD_EXAMPLE && !selected[m]) {
          match[m] = -1;
        } else if (match[m] == -1 && selected[m]) {
          negatives.add(m);
        }
      }
    }
    return negatives;
  }

  private static List<Integer> best(List<Integer> eligible, double[] loss, int wanted) {
    List<Integer> ranked = new ArrayList<>(eligible);
    ranked.sort(Comparator.comparingDouble((Integer m) -> -loss[m]));
    return ranked.subList(0, Math.min(wanted, ranked.size()));
  }

  private List<Integer> afterNms(List<Integer> eligible, double[] loss, List<Box> boxes, int wanted) {
    List<Box> eligibleBoxes = new ArrayList<>();
    double[] eligibleLoss = new double[eligible.size()];
    for (int i = 0; i < eligible.size(); i++) {
      eligibleBoxes.add(boxes.get(eligible.get(i)));
      eligibleLoss[i] = loss[eligible.get(i)];
    }
    List<Integer> kept = Nms.amongMined(eligibleBoxes, eligibleLoss, nmsThreshold, nmsTopK);
    if (kept.size() < Math.min(wanted, eligible.size())) {
      Glog.info("not enough sample after nms: %d", kept.size());
    }
    return kept.subList(0, Math.min(wanted, kept.size())).stream().map(eligible::get).toList();
  }
}
