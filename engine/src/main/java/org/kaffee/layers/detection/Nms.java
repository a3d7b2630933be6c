package org.kaffee.layers.detection;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * SSD's two NMS passes. {@link #apply} is ApplyNMSFast (DetectionOutput): the boxes scoring above the confidence threshold, best first (ties in
 * index order), at most top_k of them (-1: all), are kept unless they overlap a kept box by more
 * than the NMS threshold; with eta < 1 the threshold shrinks by eta after each kept box while it
 * is above 0.5 (adaptive NMS). {@link #amongMined} is ApplyNMS (MultiBoxLoss's mining).
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

  /**
   * SSD's ApplyNMS, which mining uses: the top_k best scores (ties in index order; -1: all), then
   * greedily the best remaining box is kept and the boxes overlapping it by more than the
   * threshold dropped, until top_k are kept; boxes smaller than 1e-5 are passed over, as the fork
   * does. Unlike {@link #apply} no score threshold applies and top_k bounds the kept boxes too.
   */
  static List<Integer> amongMined(List<Box> boxes, double[] scores, double threshold, int topK) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < scores.length; i++) {
      order.add(i);
    }
    order.sort(Comparator.comparingDouble((Integer i) -> scores[i]).reversed());
    if (topK > -1 && topK < order.size()) {
      order = new ArrayList<>(order.subList(0, topK));
    }
    List<Integer> kept = new ArrayList<>();
    while (!order.isEmpty()) {
      int bestIndex = order.remove(0);
      Box best = boxes.get(bestIndex);
      if (best.size() < 1e-5) {
        continue;
      }
      kept.add(bestIndex);
      if (topK > -1 && kept.size() >= topK) {
        break;
      }
      order.removeIf(i -> boxes.get(i).size() < 1e-5 || boxes.get(i).jaccard(best) > threshold);
    }
    return kept;
  }
}
