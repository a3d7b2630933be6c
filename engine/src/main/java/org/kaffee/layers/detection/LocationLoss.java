package org.kaffee.layers.detection;

import org.kaffee.proto.Caffe.MultiBoxLossParameter.LocLossType;

/**
 * MultiBoxLoss's loss on one offset difference d = prediction - target, as the fork's inner
 * SmoothL1Loss (sigma 1) and EuclideanLoss layers compute it, and its slope.
 */
enum LocationLoss {
  /** 0.5 d^2 where |d| < 1, else |d| - 0.5. */
  SMOOTH_L1 {
    @Override
    double value(double d) {
      return Math.abs(d) < 1 ? 0.5 * d * d : Math.abs(d) - 0.5;
    }

    @Override
    double slope(double d) {
      return Math.abs(d) < 1 ? d : Math.signum(d);
    }
  },
  /** 0.5 d^2. */
  L2 {
    @Override
    double value(double d) {
      return 0.5 * d * d;
    }

    @Override
    double slope(double d) {
      return d;
    }
  };

  static LocationLoss of(LocLossType type) {
    return type == LocLossType.L2 ? L2 : SMOOTH_L1;
  }

  abstract double value(double d);

  abstract double slope(double d);
}
