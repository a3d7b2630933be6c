package org.kaffee.spark;

import java.io.Serializable;
import java.nio.file.Files;
import org.kaffee.core.KaffeeException;
import org.kaffee.io.WorkDir;
import org.kaffee.proto.Caffe.SolverParameter;

/**
 * A failure planted by tests of the retry path: on attempt {@code attempt}, rank 0's task
 * throws at the first iteration after the snapshot of iteration {@code afterSnapshot} exists,
 * as a crashed executor would. {@link #NONE} plants nothing.
 */
public record FailurePlan(int afterSnapshot, int attempt) implements Serializable {
  public static final FailurePlan NONE = new FailurePlan(-1, -1);

  /** Throws when this attempt is the planted one and the snapshot has been written. */
  void check(SolverParameter param, int taskAttempt) {
    if (taskAttempt == attempt && afterSnapshot >= 0 && Files.exists(WorkDir.resolve(
        param.getSnapshotPrefix() + "_iter_" + afterSnapshot + ".solverstate"))) {
      throw new KaffeeException("planted failure after the snapshot of iteration " + afterSnapshot
          + " (attempt " + attempt + ")");
    }
  }
}
