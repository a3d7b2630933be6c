package org.kaffee.layers.detection;

import org.kaffee.proto.Caffe.PriorBoxParameter.CodeType;

/**
 * SSD's DecodeBBox: a box from a prior, the prior's four variances and four predicted offsets.
 * CORNER moves each corner by variance * offset; CENTER_SIZE moves the centre by variance *
 * offset * prior size and scales width and height by exp(variance * offset); CORNER_SIZE moves
 * each corner by variance * offset * prior size. With variance_encoded_in_target the variances
 * are taken as 1 (the offsets already carry them).
 */
final class BoxCoding {
  private BoxCoding() {
  }

  /** The decoded box; {@code loc} and {@code variance} are read from {@code [at, at + 4)}. */
  static Box decode(CodeType type, boolean varianceInTarget, Box prior, double[] variance, int varianceAt,
      double[] loc, int locAt) {
    double v0 = varianceInTarget ? 1 : variance[varianceAt];
    double v1 = varianceInTarget ? 1 : variance[varianceAt + 1];
    double v2 = varianceInTarget ? 1 : variance[varianceAt + 2];
    double v3 = varianceInTarget ? 1 : variance[varianceAt + 3];
    double width = prior.xmax() - prior.xmin();
    double height = prior.ymax() - prior.ymin();
    switch (type) {
      case CORNER:
        return new Box(prior.xmin() + v0 * loc[locAt], prior.ymin() + v1 * loc[locAt + 1],
            prior.xmax() + v2 * loc[locAt + 2], prior.ymax() + v3 * loc[locAt + 3]);
      case CENTER_SIZE: {
        double cx = v0 * loc[locAt] * width + (prior.xmin() + prior.xmax()) / 2;
        double cy = v1 * loc[locAt + 1] * height + (prior.ymin() + prior.ymax()) / 2;
        double w = Math.exp(v2 * loc[locAt + 2]) * width;
        double h = Math.exp(v3 * loc[locAt + 3]) * height;
        return new Box(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2);
      }
      case CORNER_SIZE:
        return new Box(prior.xmin() + v0 * loc[locAt] * width, prior.ymin() + v1 * loc[locAt + 1] * height,
            prior.xmax() + v2 * loc[locAt + 2] * width, prior.ymax() + v3 * loc[locAt + 3] * height);
      default:
        throw new IllegalArgumentException("unknown code type " + type);
    }
  }
}
