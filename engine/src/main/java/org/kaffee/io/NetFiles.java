package org.kaffee.io;

import java.nio.file.Path;
import org.kaffee.core.KaffeeException;
import org.kaffee.proto.Caffe.NetParameter;
import org.kaffee.proto.Caffe.SolverParameter;

/**
 * Loads nets and solvers the way Caffe's ReadNetParamsFrom*OrDie do: parse, then upgrade
 * legacy formats (V0/V1 layers, input_dim, solver_type) to the current one.
 */
public final class NetFiles {
  private NetFiles() {
  }

  /** A net prototxt, upgraded. */
  public static NetParameter readNetText(Path path) {
    NetParameter raw = ProtoFiles.readText(path, NetParameter.newBuilder()).build();
    return NetUpgrader.upgrade(raw, path.toString());
  }

  /** A binary net (caffemodel), upgraded. */
  public static NetParameter readNetBinary(Path path) {
    NetParameter raw = ProtoFiles.readBinary(path, NetParameter.newBuilder(), "caffemodel (binary NetParameter)").build();
    if (raw.getLayerCount() == 0 && raw.getLayersCount() == 0 && !isEmptyFile(path)) {
      // Many foreign byte strings parse as a NetParameter without layers. A zero-byte file is
      // Caffe's way to say "no weights" (its own tests pass one), so that one is accepted.
      throw new KaffeeException(path + ": not a valid caffemodel (binary NetParameter): it holds no layers");
    }
    return NetUpgrader.upgrade(ForkFieldNumbers.mend(raw, path.toString()), path.toString());
  }

  private static boolean isEmptyFile(Path path) {
    try {
      return java.nio.file.Files.size(path) == 0;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  /** A solver prototxt, upgraded. */
  public static SolverParameter readSolver(Path path) {
    SolverParameter raw = ProtoFiles.readText(path, SolverParameter.newBuilder()).build();
    return SolverUpgrader.upgrade(raw, path.toString());
  }
}
