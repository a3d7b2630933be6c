package org.kaffee.parallel;

/** The collective operations data-parallel replicas need; one instance per replica (rank). */
public interface AllReduce extends AutoCloseable {
  int rank();          // 0..size-1
  int size();          // number of replicas
  /** Replaces buffer (same length on every rank) by the element-wise mean over all ranks.
   *  Every rank returns with bit-identical values, summed in a fixed order (deterministic). */
  void average(float[] buffer);
  /** Sums small double vectors (losses, test outputs, counts) over all ranks; identical on every rank. */
  void sum(double[] values);
  /** Copies rank 0's buffer into every other rank's buffer. */
  void broadcast(float[] buffer);
  @Override void close();
}
