package org.kaffee.core;

import org.kaffee.proto.Caffe.LossParameter;
import org.kaffee.proto.Caffe.LossParameter.NormalizationMode;

/**
 * Caffe's loss normalization (LossLayer::GetNormalizer and the legacy {@code normalize} flag),
 * shared by the BVLC losses and the forks' composite losses such as SSD's MultiBoxLoss.
 */
public final class LossNormalization {
  private LossNormalization() {
  }

  /**
   * The normalization mode: {@code normalization} when given, else the legacy {@code
   * normalize} (true: VALID, false: BATCH_SIZE) when given, else {@code fallback}.
   */
  public static NormalizationMode mode(LossParameter p, NormalizationMode fallback) {
    if (p.hasNormalization()) {
      return p.getNormalization();
    }
    if (p.hasNormalize()) {
      return p.getNormalize() ? NormalizationMode.VALID : NormalizationMode.BATCH_SIZE;
    }
    return fallback;
  }

  /**
   * Caffe's get_normalizer: what the summed loss is divided by, at least 1 (so a batch with
   * every label ignored gives 0, not NaN). {@code validCount} -1 means "all valid".
   */
  public static double normalizer(NormalizationMode mode, int outerNum, int innerNum, int validCount) {
    double n;
    switch (mode) {
      case FULL:
        n = (double) outerNum * innerNum;
        break;
      case VALID:
        n = validCount == -1 ? (double) outerNum * innerNum : validCount;
        break;
      case BATCH_SIZE:
        n = outerNum;
        break;
      case NONE:
        n = 1;
        break;
      default:
        throw new IllegalStateException("unknown normalization mode " + mode);
    }
    return Math.max(1.0, n);
  }
}
