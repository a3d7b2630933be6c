package org.kaffee.parallel;

import org.kaffee.core.KaffeeException;
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

  /**
   * Every rank's bytes, in rank order, on every rank (lengths may differ): small states such
   * as a snapshot's data positions. Built on {@link #sum}: each rank fills only its own slots,
   * so every sum adds zeros to one value and is exact.
   */
  default byte[][] gather(byte[] mine) {
    double[] lengths = new double[size()];
    lengths[rank()] = mine.length;
    sum(lengths);
    long total = 0;
    long offset = 0;
    for (int r = 0; r < size(); r++) {
      offset += r < rank() ? (long) lengths[r] : 0;
      total += (long) lengths[r];
    }
    KaffeeException.check(total < Integer.MAX_VALUE, "cannot gather %d bytes in one message", total);
    double[] all = new double[(int) total];
    for (int i = 0; i < mine.length; i++) {
      all[(int) offset + i] = mine[i];
    }
    sum(all);
    byte[][] out = new byte[size()][];
    int at = 0;
    for (int r = 0; r < size(); r++) {
      out[r] = new byte[(int) lengths[r]];
      for (int i = 0; i < out[r].length; i++) {
        out[r][i] = (byte) all[at++];
      }
    }
    return out;
  }

  /** Copies rank 0's buffer into every other rank's buffer. */
  void broadcast(float[] buffer);

  @Override
  void close();
}
