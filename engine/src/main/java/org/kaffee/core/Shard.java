package org.kaffee.core;

/**
 * Which part of every global batch a replica's data layers produce: replica {@code rank} of
 * {@code count} takes the {@code rank}-th slice of {@code batch_size} items of each global
 * batch of {@code batch_size * count} items and skips the others, so the replicas' batches
 * of one iteration together are exactly the batch one process with {@code batch_size * count}
 * reads. A data layer asks {@link Layer#shard()}; {@link #WHOLE} is the single-process case.
 */
public record Shard(int rank, int count) {
  public static final Shard WHOLE = new Shard(0, 1);

  public Shard {
    KaffeeException.check(count >= 1 && rank >= 0 && rank < count,
        "shard %d of %d: the rank must be in [0, %d)", rank, count, count);
  }

  /** Items of a global batch that come before this replica's slice. */
  public int skippedBefore(int batchSize) {
    return rank * batchSize;
  }

  /** Items of a global batch that come after this replica's slice. */
  public int skippedAfter(int batchSize) {
    return (count - 1 - rank) * batchSize;
  }

  /** Passes over the other replicas' items before this slice ({@code next} steps one item). */
  public void skipBefore(int batchSize, Runnable next) {
    repeat(skippedBefore(batchSize), next);
  }

  /** Passes over the other replicas' items after this slice. */
  public void skipAfter(int batchSize, Runnable next) {
    repeat(skippedAfter(batchSize), next);
  }

  private static void repeat(int times, Runnable next) {
    for (int i = 0; i < times; i++) {
      next.run();
    }
  }
}
