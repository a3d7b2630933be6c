package org.kaffee.io;

import org.kaffee.core.KaffeeException;
import org.kaffee.log.Glog;
import org.kaffee.proto.Caffe.SolverParameter;

/**
 * Upgrades legacy solvers (enum {@code solver_type}) to the current {@code type} string,
 * as Caffe's UpgradeSolverAsNeeded does. Caffe adds a derived snapshot_prefix when it reads
 * a solver for training; that is the trainer's business, not an upgrade, so it is not done here.
 */
public final class SolverUpgrader {
  private SolverUpgrader() {
  }

  /** Caffe's SolverNeedsTypeUpgrade. */
  public static boolean needsUpgrade(SolverParameter param) {
    return param.hasSolverType();
  }

  /** The current type name of a legacy solver_type. */
  public static String typeName(SolverParameter.SolverType type) {
    return switch (type) {
      case SGD -> "SGD";
      case NESTEROV -> "Nesterov";
      case ADAGRAD -> "AdaGrad";
      case RMSPROP -> "RMSProp";
      case ADADELTA -> "AdaDelta";
      case ADAM -> "Adam";
    };
  }

  /**
   * Moves solver_type into type. Both set is accepted only when they name the same solver
   * (Caffe rejects both set at all); a conflict is an error naming {@code source}.
   */
  public static SolverParameter upgrade(SolverParameter param, String source) {
    if (!needsUpgrade(param)) {
      return param;
    }
    Glog.info("Attempting to upgrade input file specified using deprecated 'solver_type' field "
        + "(enum)': %s", source);
    String type = typeName(param.getSolverType());
    if (param.hasType() && !param.getType().equals(type)) {
      throw new KaffeeException(source + ": failed to upgrade solver: old solver_type field (enum) "
          + param.getSolverType() + " and new type field (string) \"" + param.getType()
          + "\" conflict; specify only type");
    }
    if (param.hasType()) {
      Glog.warn("%s: both solver_type (enum) %s and type \"%s\" are given; keeping type", source,
          param.getSolverType(), param.getType());
    }
    SolverParameter upgraded = param.toBuilder().setType(type).clearSolverType().build();
    Glog.info("Successfully upgraded file specified using deprecated 'solver_type' field (enum) "
        + "to 'type' field (string).");
    Glog.warn("Note that future Caffe releases will only support 'type' field (string) for a "
        + "solver's type.");
    return upgraded;
  }
}
