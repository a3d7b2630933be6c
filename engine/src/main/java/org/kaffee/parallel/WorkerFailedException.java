package org.kaffee.parallel;

import org.kaffee.core.KaffeeException;

/** A replica of a data-parallel run failed; the message names its rank (and host when known). */
public class WorkerFailedException extends KaffeeException {
  private final int rank;

  public WorkerFailedException(int rank, String host, String cause, Throwable error) {
    super("worker " + rank + (host == null ? "" : " on " + host) + " failed: " + cause, error);
    this.rank = rank;
  }

  /** The rank of the worker that failed first. */
  public int rank() {
    return rank;
  }
}
