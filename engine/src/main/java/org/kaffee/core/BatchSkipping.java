package org.kaffee.core;

/**
 * A data layer that can read past batches without producing them: a run retried from a
 * snapshot first reads past the batches the snapshot's iterations consumed, so the solver
 * asks its net's layers for this, knowing no data layer class.
 */
public interface BatchSkipping {
  /** Reads past this many batches of the layer's source. */
  void skipBatches(long batches);
}
