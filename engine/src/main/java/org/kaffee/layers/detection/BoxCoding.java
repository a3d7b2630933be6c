package org.kaffee.layers.detection;

import org.kaffee.proto.Caffe.PriorBoxParameter.CodeType;

/**
 * SSD's EncodeBBox and DecodeBBox: four offsets of a box from a prior and the prior's four
 * variances, and back. CORNER moves each corner by variance * offset; CENTER_SIZE moves the
 * centre by variance * offset * prior size and scales width and height by exp(variance *
 * offset); CORNER_SIZE moves each corner by variance * offset * prior size. With the variance
 * in the target (DetectionOutput's variance_encoded_in_target, MultiBoxLoss's
 * encode_variance_in_target) the variances are taken as 1: the offsets carry them.
 */
final class BoxCoding {
  private BoxCoding() {
  }

  /** The decoded box; {@code loc} and {@code variance} are read from {@code [at, at + 4)}. */
  static Box decode(CodeType type, boolean varianceInTarget, Box prior, double[] variance, int varianceAt,
      double[] loc, int locAt) {
    double[] v = variances(varianceInTarget, variance, varianceAt);
    double width = prior.xmax() - prior.xmin();
    double height = prior.ymax() - prior.ymin();
    switch (type) {
      case CORNER:
        return new Box(prior.xmin() + v[0] * loc[locAt], prior.ymin() + v[1] * loc[locAt + 1],
            prior.xmax() + v[2] * loc[locAt + 2], prior.ymax() + v[3] * loc[locAt + 3]);
      case CENTER_SIZE: {
        double cx = v[0] * loc[locAt] * width + (prior.xmin() + prior.xmax()) / 2;
        double cy = v[1] * loc[locAt + 1] * height + (prior.ymin() + prior.ymax()) / 2;
        double w = Math.exp(v[2] * loc[locAt + 2]) * width;
        double h = Math.exp(v[3] * loc[locAt + 3]) * height;
        return new Box(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2);
      }
      case CORNER_SIZE:
        return new Box(prior.xmin() + v[0] * loc[locAt] * width, prior.ymin() + v[1] * loc[locAt + 1] * height,
            prior.xmax() + v[2] * loc[locAt + 2] * width, prior.ymax() + v[3] * loc[locAt + 3] * height);
      default:
        throw new IllegalArgumentException("unknown code type " + type);
    }
  }

  /**
   * The offsets that {@link #decode} turns back into {@code box}. CENTER_SIZE takes the log of
   * the size ratios, so both boxes need a positive width and height (the caller checks).
   */
  static double[] encode(CodeType type, boolean varianceInTarget, Box prior, double[] variance, int varianceAt,
      Box box) {
    double[] v = variances(varianceInTarget, variance, varianceAt);
    double width = prior.xmax() - prior.xmin();
    double height = prior.ymax() - prior.ymin();
    switch (type) {
      case CORNER:
        return new double[] {(box.xmin() - prior.xmin()) / v[0], (box.ymin() - prior.ymin()) / v[1],
            (box.xmax() - prior.xmax()) / v[2], (box.ymax() - prior.ymax()) / v[3]};
      case CENTER_SIZE: {
        double dx = (box.xmin() + box.xmax()) / 2 - (prior.xmin() + prior.xmax()) / 2;
        double dy = (box.ymin() + box.ymax()) / 2 - (prior.ymin() + prior.ymax()) / 2;
        return new double[] {dx / width / v[0], dy / height / v[1],
            Math.log((box.xmax() - box.xmin()) / width) / v[2], Math.log((box.ymax() - box.ymin()) / height) / v[3]};
      }
      case CORNER_SIZE:
        return new double[] {(box.xmin() - prior.xmin()) / width / v[0], (box.ymin() - prior.ymin()) / height / v[1],
            (box.xmax() - prior.xmax()) / width / v[2], (box.ymax() - prior.ymax()) / height / v[3]};
      default:
        throw new IllegalArgumentException("unknown code type " + type);
    }
  }

  private static double[] variances(boolean varianceInTarget, double[] variance, int at) {
    return varianceInTarget ? new double[] {1, 1, 1, 1}
        : new double[] {variance[at], variance[at + 1], variance[at + 2], variance[at + 3]};
  }
}
