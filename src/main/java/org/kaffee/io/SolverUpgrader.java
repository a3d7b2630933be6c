package org.kaffee.io;

import org.kaffee.proto.Caffe.SolverParameter;

/** Upgrades legacy solvers (enum solver_type) to the current format. */
public final class SolverUpgrader {
  private SolverUpgrader() {
  }

  public static SolverParameter upgrade(SolverParameter param, String source) {
    return param;
  }
}
