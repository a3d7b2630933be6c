package org.kaffee.layers.detection;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * SSD's ApplyNMSFast: the boxes scoring above the confidence threshold, best first (ties in
 * index order), at most top_k of them (-1: all), are kept unless they overlap a kept box by more
 * than the NMS threshold; with eta < 1 the threshold shrinks by eta after each kept box while it
 * is above 0.5 (adaptive NMS).
 */
final class Nms {
  private Nms() {
  }

  /** The indices of the kept boxes, best first. */
  static List<Integer> apply(List<Box> boxes, double[] scores, double confidenceThreshold,
      double nmsThreshold, double eta, int topK) {
    List<Integer> candidates = new ArrayList<>();
    for (int i = 0; i < scores.length; i++) {
      if (scores[i] > confidenceThreshold) {
        candidates.add(i);
      }
    }
    candidates.sort(Comparator.comparingDouble((Integer i) -> scores[i]).reversed());
    if (topK > -1 && topK < candidates.size()) {
      candidates = candidates.subList(0, topK);
    }
    List<Integer> kept = new ArrayList<>();
    double threshold = nmsThreshold;
    for (int candidate : candidates) {
      boolean keep = true;
      for (int k : kept) {
        if (boxes.get(candidate).jaccard(boxes.get(k)) > threshold) {
          keep = false;
          break;
        }
      }
      if (keep) {
        kept.add(candidate);
        if (eta < 1 && threshold > 0.5) {
          threshold *= eta;
        }
      }
    }
    return kept;
  }
}
