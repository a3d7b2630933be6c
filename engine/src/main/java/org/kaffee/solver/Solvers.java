package org.kaffee.solver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.BiFunction;
import org.kaffee.core.KaffeeException;
import org.kaffee.io.NetFiles;
import org.kaffee.io.WorkDir;
import org.kaffee.log.Glog;
import org.kaffee.parallel.AllReduce;
import org.kaffee.parallel.SingleProcess;
import org.kaffee.proto.Caffe.SolverParameter;

/** Caffe's SolverRegistry and ReadSolverParamsFromTextFileOrDie. */
public final class Solvers {
  private static final Map<String, BiFunction<SolverParameter, AllReduce, Solver>> TYPES = Map.of(
      "SGD", SgdSolver::new,
      "Nesterov", NesterovSolver::new,
      "AdaGrad", AdaGradSolver::new,
      "RMSProp", RmsPropSolver::new,
      "AdaDelta", AdaDeltaSolver::new,
      "Adam", AdamSolver::new);

  private Solvers() {
  }

  /** Creates the solver the {@code type} field (or legacy {@code solver_type}) names. */
  public static Solver create(SolverParameter param) {
    return create(param, SingleProcess.INSTANCE);
  }

  /** The same for one replica of a data-parallel run (rank and size from the all-reduce). */
  public static Solver create(SolverParameter param, AllReduce allReduce) {
    String type = typeOf(param);
    BiFunction<SolverParameter, AllReduce, Solver> creator = TYPES.get(type);
    KaffeeException.check(creator != null, "solver: unknown solver type '%s' (known types: "
        + "SGD, Nesterov, AdaGrad, RMSProp, AdaDelta, Adam)", type);
    return creator.apply(param, allReduce);
  }

  static String typeOf(SolverParameter param) {
    if (!param.hasType() && param.hasSolverType()) {
      switch (param.getSolverType()) {
        case NESTEROV: return "Nesterov";
        case ADAGRAD: return "AdaGrad";
        case RMSPROP: return "RMSProp";
        case ADADELTA: return "AdaDelta";
        case ADAM: return "Adam";
        default: return "SGD";
      }
    }
    return param.getType();
  }

  /**
   * Reads a solver prototxt (upgraded) and, like Caffe, derives snapshot_prefix from the
   * file name without its extension when absent, or appends the file's stem when the
   * prefix names a directory.
   */
  public static SolverParameter readFile(String file) {
    Path path = WorkDir.resolve(file);
    SolverParameter param = NetFiles.readSolver(path);
    SolverParameter.Builder b = param.toBuilder();
    String stem = Path.of(file).getFileName().toString();
    int dot = stem.lastIndexOf('.');
    String noExt = dot > 0 ? stem.substring(0, dot) : stem;
    if (!param.hasSnapshotPrefix()) {
      Path parent = Path.of(file).getParent();
      b.setSnapshotPrefix(parent == null ? noExt : parent.resolve(noExt).toString());
      Glog.info("snapshot_prefix was not specified and is set to %s", b.getSnapshotPrefix());
    } else if (Files.isDirectory(WorkDir.resolve(param.getSnapshotPrefix()))) {
      b.setSnapshotPrefix(Path.of(param.getSnapshotPrefix()).resolve(noExt).toString());
      Glog.info("snapshot_prefix was a directory and is replaced to %s", b.getSnapshotPrefix());
    }
    if (!param.hasType() && param.hasSolverType()) {
      b.setType(typeOf(param)).clearSolverType();
    }
    return b.build();
  }
}
