package org.kaffee.layers.detection;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.kaffee.proto.Caffe.MultiBoxLossParameter;
import org.kaffee.proto.Caffe.MultiBoxLossParameter.MatchType;
import org.kaffee.proto.Caffe.PriorBoxParameter.CodeType;

/**
 * SSD's FindMatches and MatchBBox: which ground-truth box each prior (or, without
 * use_prior_for_matching, each decoded prediction) stands for. Bipartite matching first gives
 * every box its best remaining candidate, best pair first; PER_PREDICTION then also matches each
 * remaining candidate to the box it overlaps most, if by at least overlap_threshold.
 */
final class PriorMatcher {
  /** Overlaps at or below this count as none (the fork's 1e-6). */
  private static final double NO_OVERLAP = 1e-6;
  private final MatchType matchType;
  private final double overlapThreshold;
  private final boolean usePriors;
  private final boolean shareLocation;
  private final int locClasses;
  private final int background;
  private final CodeType codeType;
  private final boolean varianceInTarget;
  private final boolean ignoreCrossBoundary;

  PriorMatcher(MultiBoxLossParameter p) {
    matchType = p.getMatchType();
    overlapThreshold = p.getOverlapThreshold();
    usePriors = p.getUsePriorForMatching();
    shareLocation = p.getShareLocation();
    locClasses = shareLocation ? 1 : p.getNumClasses();
    background = p.getBackgroundLabelId();
    codeType = p.getCodeType();
    varianceInTarget = p.getEncodeVarianceInTarget();
    ignoreCrossBoundary = p.getIgnoreCrossBoundaryBbox();
  }

  /**
   * The matches of image {@code n} with boxes {@code gt} (none: no match). {@code loc} holds
   * the predictions, {@code priorData} the priors' boxes then their variances.
   */
  Matches match(List<GroundTruth> gt, int n, List<Box> priors, double[] priorData, double[] loc) {
    Matches out = new Matches();
    if (gt == null) {
      return out;
    }
    if (usePriors) {
      int[] indices = new int[priors.size()];
      double[] overlaps = new double[priors.size()];
      matchBoxes(gt, priors, -1, indices, overlaps);
      if (shareLocation) {
        out.indices().put(-1, indices);
        out.overlaps().put(-1, overlaps);
        return out;
      }
      // every location class keeps the matches to its own boxes
      for (int c = 0; c < locClasses; c++) {
        if (c == background) {
          continue;
        }
        int[] own = new int[indices.length];
        for (int m = 0; m < indices.length; m++) {
          own[m] = indices[m] > -1 && gt.get(indices[m]).label() == c ? indices[m] : -1;
        }
        out.indices().put(c, own);
        out.overlaps().put(c, overlaps.clone());
      }
      return out;
    }
    for (int c = 0; c < locClasses; c++) {
      int label = shareLocation ? -1 : c;
      if (!shareLocation && label == background) {
        continue;
      }
      List<Box> decoded = new ArrayList<>();
      for (int p = 0; p < priors.size(); p++) {
        decoded.add(BoxCoding.decode(codeType, varianceInTarget, priors.get(p), priorData, (priors.size() + p) * 4,
            loc, ((n * priors.size() + p) * locClasses + c) * 4));
      }
      int[] indices = new int[priors.size()];
      double[] overlaps = new double[priors.size()];
      matchBoxes(gt, decoded, label, indices, overlaps);
      out.indices().put(label, indices);
      out.overlaps().put(label, overlaps);
    }
    return out;
  }

  /** MatchBBox: fills {@code indices} and {@code overlaps}; label -1 matches boxes of any label. */
  private void matchBoxes(List<GroundTruth> gt, List<Box> candidates, int label, int[] indices, double[] overlaps) {
    Arrays.fill(indices, -1);
    List<Integer> boxes = new ArrayList<>();
    for (int j = 0; j < gt.size(); j++) {
      if (label == -1 || gt.get(j).label() == label) {
        boxes.add(j);
      }
    }
    if (boxes.isEmpty()) {
      return;
    }
    double[][] overlap = new double[candidates.size()][boxes.size()];
    for (int i = 0; i < candidates.size(); i++) {
      if (ignoreCrossBoundary && candidates.get(i).crossesBoundary()) {
        indices[i] = -2;
        continue;
      }
      for (int j = 0; j < boxes.size(); j++) {
        double o = candidates.get(i).jaccard(gt.get(boxes.get(j)).box());
        if (o > NO_OVERLAP) {
          overlap[i][j] = o;
          overlaps[i] = Math.max(overlaps[i], o);
        }
      }
    }
    matchBipartite(overlap, boxes, indices, overlaps);
    if (matchType == MatchType.PER_PREDICTION) {
      matchEachCandidate(overlap, boxes, indices, overlaps);
    }
  }

  /** The best (candidate, box) pair of the unmatched ones, again and again, ties to the first. */
  private static void matchBipartite(double[][] overlap, List<Integer> boxes, int[] indices, double[] overlaps) {
    List<Integer> pool = new ArrayList<>();
    for (int j = 0; j < boxes.size(); j++) {
      pool.add(j);
    }
    while (!pool.isEmpty()) {
      int bestCandidate = -1;
      int bestBox = -1;
      double best = -1;
      for (int i = 0; i < overlap.length; i++) {
        if (indices[i] != -1) {
          continue;
        }
        for (int j : pool) {
          if (overlap[i][j] > NO_OVERLAP && overlap[i][j] > best) {
            bestCandidate = i;
            bestBox = j;
            best = overlap[i][j];
          }
        }
      }
      if (bestCandidate == -1) {
        return;
      }
      indices[bestCandidate] = boxes.get(bestBox);
      overlaps[bestCandidate] = best;
      pool.remove(Integer.valueOf(bestBox));
    }
  }

  private void matchEachCandidate(double[][] overlap, List<Integer> boxes, int[] indices, double[] overlaps) {
    for (int i = 0; i < overlap.length; i++) {
      if (indices[i] != -1) {
        continue;
      }
      int bestBox = -1;
      double best = -1;
      for (int j = 0; j < boxes.size(); j++) {
        if (overlap[i][j] > NO_OVERLAP && overlap[i][j] >= overlapThreshold && overlap[i][j] > best) {
          bestBox = j;
          best = overlap[i][j];
        }
      }
      if (bestBox != -1) {
        indices[i] = boxes.get(bestBox);
        overlaps[i] = best;
      }
    }
  }
}
