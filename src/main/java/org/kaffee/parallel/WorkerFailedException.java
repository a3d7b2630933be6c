package org.kaffee.parallel;

import org.kaffee.core.KaffeeException;

/** A data-parallel worker (replica) was lost or failed; names the worker's rank, its host when known, and the cause. */
public class WorkerFailedException extends KaffeeException {
  private final int rank;

  public WorkerFailedException(int rank, String host, String cause, Throwable source) {
    super("worker " + rank + (host == null || host.isEmpty() ? "" : " on " + host) + " failed: " + cause, source);
    this.rank = rank;
  }

  /** The rank of the worker at fault. */
  public int rank() {
    return rank;
  }
}
