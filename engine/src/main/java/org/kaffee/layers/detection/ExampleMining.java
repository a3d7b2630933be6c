package org.kaffee.layers.detection;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.kaffee.proto.Caffe.MultiBoxLossParameter;
import org.kaffee.proto.Caffe.MultiBoxLossParameter.MiningType;

/**
 * SSD's MineHardExamples for one image, given each prior's loss. MAX_NEGATIVE takes, among the
 * unmatched priors overlapping every box by less than neg_overlap, the (int) (positives *
 * neg_pos_ratio) with the highest loss as negatives. HARD_EXAMPLE ranks every prior and keeps
 * the sample_size worst: unmatched ones among them become negatives, matched ones left out
 * stop being positives. Equal losses rank by prior index.
 */
final class ExampleMining {
  private final MiningType type;
  private final float negPosRatio;
  private final double negOverlap;
  private final int sampleSize;

  ExampleMining(MultiBoxLossParameter p) {
    type = p.getMiningType();
    negPosRatio = p.getNegPosRatio();
    negOverlap = p.getNegOverlap();
    sampleSize = p.getSampleSize();
  }

  /** The negatives, in prior order; HARD_EXAMPLE also unmatches the positives not kept. */
  List<Integer> mine(Matches matches, double[] loss) {
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
      eligible.sort(Comparator.comparingDouble((Integer m) -> -loss[m]));
      boolean[] selected = new boolean[match.length];
      for (int m : eligible.subList(0, Math.min(wanted, eligible.size()))) {
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
}
