package org.kaffee.layers.detection;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.kaffee.proto.Caffe.MultiBoxLossParameter;
import org.kaffee.proto.Caffe.PriorBoxParameter.CodeType;

/**
 * SSD's EncodeLocPrediction: for every matched prior, its four predicted offsets and the
 * offsets of its ground-truth box from the prior. With bp_inside, a coordinate of the matched
 * box (the prior, or the decoded prediction) outside [0, 1] takes the target as prediction, so
 * it costs nothing and gets no gradient. With encode_variance_in_target both are divided by
 * the prior's variances, as in the fork.
 */
final class LocationTargets {
  /** One matched prior: {@code at} is the index of its first offset in the location bottom. */
  record Target(int image, int prior, int at, double[] prediction, double[] target) {
  }

  private final CodeType codeType;
  private final boolean varianceInTarget;
  private final boolean bpInside;
  private final boolean usePriors;
  private final int locClasses;

  LocationTargets(MultiBoxLossParameter p) {
    codeType = p.getCodeType();
    varianceInTarget = p.getEncodeVarianceInTarget();
    bpInside = p.getBpInside();
    usePriors = p.getUsePriorForMatching();
    locClasses = p.getShareLocation() ? 1 : p.getNumClasses();
  }

  /** The targets of image {@code n}, by label then prior, as the fork orders them. */
  List<Target> encode(int n, Matches matches, List<GroundTruth> gt, List<Box> priors, double[] priorData,
      double[] loc) {
    List<Target> out = new ArrayList<>();
    int numPriors = priors.size();
    for (Map.Entry<Integer, int[]> e : matches.indices().entrySet()) {
      int locClass = Math.max(e.getKey(), 0);
      int[] match = e.getValue();
      for (int j = 0; j < match.length; j++) {
        if (match[j] <= -1) {
          continue;
        }
        int varianceAt = (numPriors + j) * 4;
        Box prior = priors.get(j);
        double[] target = BoxCoding.encode(codeType, varianceInTarget, prior, priorData, varianceAt,
            gt.get(match[j]).box());
        int at = ((n * numPriors + j) * locClasses + locClass) * 4;
        double[] prediction = {loc[at], loc[at + 1], loc[at + 2], loc[at + 3]};
        if (bpInside) {
          Box matched = usePriors ? prior
              : BoxCoding.decode(codeType, varianceInTarget, prior, priorData, varianceAt, loc, at);
          double[] corners = {matched.xmin(), matched.ymin(), matched.xmax(), matched.ymax()};
          for (int k = 0; k < 4; k++) {
            if (corners[k] < 0 || corners[k] > 1) {
              prediction[k] = target[k];
            }
          }
        }
        if (varianceInTarget) {
          for (int k = 0; k < 4; k++) {
            prediction[k] /= priorData[varianceAt + k];
            target[k] /= priorData[varianceAt + k];
          }
        }
        out.add(new Target(n, j, at, prediction, target));
      }
    }
    return out;
  }
}
