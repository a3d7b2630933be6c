package org.kaffee.parallel;

import org.kaffee.core.Shard;

/**
 * The collective operations data-parallel replicas need; one instance per replica (rank).
 * Every rank calls the same operations in the same order with buffers of the same length.
 * A transport that loses a peer throws {@link WorkerFailedException} on every rank still
 * waiting (never hangs).
 */
public interface AllReduce extends AutoCloseable {
  /** This replica's rank, 0..size-1. */
  int rank();

  /** The number of replicas. */
  int size();

  /**
   * Which part of every global batch this replica's data layers read: the rank-th slice of a
   * database every replica sees; a transport whose replicas were handed their own rows already
   * (a DataFrame's partitions) reads all of them.
   */
  default Shard dataShard() {
    return new Shard(rank(), size());
  }

  /**
   * Replaces buffer (same length on every rank) by the element-wise mean over all ranks.
   * Every rank returns with bit-identical values, summed in a fixed order (deterministic).
   */
  void average(float[] buffer);

  /** Sums small double vectors (losses, test outputs, counts) over all ranks; identical on every rank. */
  void sum(double[] values);

  /** Copies rank 0's buffer into every other rank's buffer. */
  void broadcast(float[] buffer);

  @Override
  void close();
}
