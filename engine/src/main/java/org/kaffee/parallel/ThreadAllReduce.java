package org.kaffee.parallel;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.kaffee.core.KaffeeException;

/**
 * The all-reduce of replicas running as threads of one JVM ({@code kaffee train --workers=N}).
 * Each operation is two barriers: every rank publishes its buffer, then reduces its own slice
 * of the elements over all ranks' buffers in rank order and writes the result into every
 * buffer, so the work is split between the ranks and every rank ends with bit-identical values.
 * {@link Group#fail} releases every waiting rank with a {@link WorkerFailedException}.
 */
public final class ThreadAllReduce implements AllReduce {
  /** The ranks of one run and what they share. */
  public static final class Group {
    private final int size;
    private final float[][] floats;
    private final double[][] doubles;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition released = lock.newCondition();
    private int arrived;
    private long generation;
    private WorkerFailedException failure;

    public Group(int size) {
      KaffeeException.check(size >= 1, "--workers must be at least 1, got %d", size);
      this.size = size;
      this.floats = new float[size][];
      this.doubles = new double[size][];
    }

    /** The all-reduce of one rank. */
    public ThreadAllReduce member(int rank) {
      return new ThreadAllReduce(this, rank);
    }

    /** Records that a rank failed (the first failure wins) and releases every waiting rank. */
    public void fail(int rank, Throwable cause) {
      lock.lock();
      try {
        if (failure == null) {
          String message = cause.getMessage() == null ? cause.toString() : cause.getMessage();
          failure = new WorkerFailedException(rank, null, message, cause);
        }
        released.signalAll();
      } finally {
        lock.unlock();
      }
    }

    /** The first failure, or null. */
    public WorkerFailedException failure() {
      lock.lock();
      try {
        return failure;
      } finally {
        lock.unlock();
      }
    }

    private void await() {
      lock.lock();
      try {
        if (failure != null) {
          throw failure;
        }
        long mine = generation;
        if (++arrived == size) {
          arrived = 0;
          generation++;
          released.signalAll();
          return;
        }
        while (generation == mine && failure == null) {
          released.awaitUninterruptibly();
        }
        if (generation == mine) {
          throw failure;
        }
      } finally {
        lock.unlock();
      }
    }
  }

  private final Group group;
  private final int rank;

  private ThreadAllReduce(Group group, int rank) {
    KaffeeException.check(rank >= 0 && rank < group.size, "rank %d of %d", rank, group.size);
    this.group = group;
    this.rank = rank;
  }

  @Override
  public int rank() {
    return rank;
  }

  @Override
  public int size() {
    return group.size;
  }

  @Override
  public void average(float[] buffer) {
    float[][] all = group.floats;
    all[rank] = buffer;
    group.await();
    checkLengths(buffer.length, all);
    int n = group.size;
    for (int i = sliceStart(rank, buffer.length); i < sliceStart(rank + 1, buffer.length); i++) {
      float sum = 0;
      for (float[] b : all) {
        sum += b[i];
      }
      float mean = sum / n;
      for (float[] b : all) {
        b[i] = mean;
      }
    }
    group.await();
  }

  @Override
  public void sum(double[] values) {
    double[][] all = group.doubles;
    all[rank] = values;
    group.await();
    checkLengths(values.length, all);
    for (int i = sliceStart(rank, values.length); i < sliceStart(rank + 1, values.length); i++) {
      double sum = 0;
      for (double[] b : all) {
        sum += b[i];
      }
      for (double[] b : all) {
        b[i] = sum;
      }
    }
    group.await();
  }

  @Override
  public void broadcast(float[] buffer) {
    float[][] all = group.floats;
    all[rank] = buffer;
    group.await();
    checkLengths(buffer.length, all);
    if (rank != 0) {
      System.arraycopy(all[0], 0, buffer, 0, buffer.length);
    }
    group.await();
  }

  /** Nothing to release: the group lives as long as its threads. */
  @Override
  public void close() {
  }

  private int sliceStart(int r, int length) {
    return (int) ((long) r * length / group.size);
  }

  private void checkLengths(int length, Object[] all) {
    for (int r = 0; r < all.length; r++) {
      int other = all[r] instanceof float[] f ? f.length : ((double[]) all[r]).length;
      KaffeeException.check(other == length,
          "all-reduce: worker %d passed %d values, worker %d passed %d", rank, length, r, other);
    }
  }
}
