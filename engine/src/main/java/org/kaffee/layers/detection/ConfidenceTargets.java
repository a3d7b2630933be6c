package org.kaffee.layers.detection;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * SSD's EncodeConfPrediction: which priors' class scores the confidence loss sees, and their
 * targets. With mining: each image's matched priors (by label, then prior) then its mined
 * negatives, the negatives labelled background. Without: every prior, background unless matched.
 * Targets start filled with the background label's value, as the fork's caffe_set does (for
 * LOGISTIC without mining, unmatched priors thus keep all-zero targets when the background is
 * 0). The fork steps through LOGISTIC targets without mining by priors instead of priors x
 * classes per image, so its later images' targets land in the wrong rows; here every image
 * uses its own rows.
 */
final class ConfidenceTargets {
  /**
   * The scored rows: row r is the {@code classes} scores at {@code at[r]} of the confidence
   * bottom, with the targets of row r in {@code targets}.
   */
  record Rows(ConfidenceLoss kind, int classes, double[] scores, int[] at, double[] targets) {
    double loss() {
      double sum = 0;
      for (int r = 0; r < at.length; r++) {
        sum += kind.loss(scores, at[r], classes, targets, r);
      }
      return sum;
    }

    /** The gradient for the whole confidence bottom ({@code count} values), 0 for unscored priors. */
    double[] gradient(int count) {
      double[] out = new double[count];
      for (int r = 0; r < at.length; r++) {
        kind.gradient(scores, at[r], classes, targets, r, out);
      }
      return out;
    }
  }

  private final ConfidenceLoss loss;
  private final int classes;
  private final int background;
  private final boolean mining;
  /** The label of every object with map_object_to_agnostic, else -1. */
  private final int agnosticLabel;

  ConfidenceTargets(ConfidenceLoss loss, int classes, int background, boolean mining, int agnosticLabel) {
    this.loss = loss;
    this.classes = classes;
    this.background = background;
    this.mining = mining;
    this.agnosticLabel = agnosticLabel;
  }

  /** The class a matched box teaches. */
  int label(GroundTruth g) {
    return agnosticLabel >= 0 ? agnosticLabel : g.label();
  }

  Rows rows(double[] conf, int num, int numPriors, List<Matches> matches, List<List<Integer>> negatives,
      Map<Integer, List<GroundTruth>> gt) {
    List<Integer> at = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    for (int n = 0; n < num; n++) {
      int first = n * numPriors;
      if (!mining) {
        for (int j = 0; j < numPriors; j++) {
          at.add((first + j) * classes);
          labels.add(-1);
        }
      }
      for (int[] match : matches.get(n).indices().values()) {
        for (int j = 0; j < numPriors; j++) {
          if (match[j] > -1) {
            int label = label(gt.get(n).get(match[j]));
            if (mining) {
              at.add((first + j) * classes);
              labels.add(label);
            } else {
              labels.set(first + j, label);
            }
          }
        }
      }
      if (mining) {
        for (int j : negatives.get(n)) {
          at.add((first + j) * classes);
          labels.add(background < classes ? background : -1);
        }
      }
    }
    double[] targets = new double[at.size() * loss.targetWidth(classes)];
    Arrays.fill(targets, background);
    for (int r = 0; r < labels.size(); r++) {
      if (labels.get(r) >= 0) {
        loss.setLabel(targets, r, classes, labels.get(r));
      }
    }
    return new Rows(loss, classes, conf, at.stream().mapToInt(Integer::intValue).toArray(), targets);
  }
}
