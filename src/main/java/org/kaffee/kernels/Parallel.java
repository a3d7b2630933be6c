package org.kaffee.kernels;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.kaffee.core.KaffeeException;

/**
 * Splits a loop over independent items (images, planes, channels) between the cores, for the
 * Java loop kernels that ND4J does not run: worker {@code w} of {@code W} takes the items
 * {@code [w * n / W, (w + 1) * n / W)}, the calling thread being worker 0. A worker computes
 * each of its items whole, in the body's order, with its own scratch memory, so results do
 * not depend on the number of workers. The worker count follows {@code OMP_NUM_THREADS}, as
 * ND4J's does. Bodies must not call {@link #forRange} themselves.
 */
public final class Parallel {
  /** One worker's share of the loop: items {@code [from, to)}. */
  @FunctionalInterface
  public interface Range {
    void run(int worker, int from, int to);
  }

  private static final int WORKERS = workerCount();
  private static final ExecutorService POOL = Executors.newFixedThreadPool(Math.max(WORKERS - 1, 1), task -> {
    // a worker's ND4J ops (a convolution's batch part) use the op thread count, as the caller's do
    Thread t = new Thread(() -> {
      try {
        OpThreads.applyToCurrentThread();
      } catch (RuntimeException e) {
        // a bad KAFFEE_OP_THREADS: the net's own thread reports it; this worker keeps ND4J's default
      }
      task.run();
    }, "kaffee-worker");
    t.setDaemon(true);
    return t;
  });

  private Parallel() {
  }

  private static int workerCount() {
    String omp = System.getenv("OMP_NUM_THREADS");
    try {
      if (omp != null && Integer.parseInt(omp.trim()) > 0) {
        return Integer.parseInt(omp.trim());
      }
    } catch (NumberFormatException e) {
      // OpenMP ignores a malformed value too: use the processor count.
    }
    return Runtime.getRuntime().availableProcessors();
  }

  /** The number of workers, so the number of scratch sets a body may need. */
  public static int workers() {
    return WORKERS;
  }

  /** Runs the body over {@code [0, n)} split between the workers; returns when all have finished. */
  public static void forRange(int n, Range body) {
    int used = Math.min(WORKERS, n);
    Future<?>[] others = new Future<?>[Math.max(used - 1, 0)];
    for (int w = 1; w < used; w++) {
      int worker = w;
      others[w - 1] = POOL.submit(() -> body.run(worker, start(worker, n, used), start(worker + 1, n, used)));
    }
    try {
      body.run(0, 0, used > 1 ? start(1, n, used) : n);
    } finally {
      // Wait for every worker even when this one failed: none may still be writing on return.
      for (Future<?> f : others) {
        join(f);
      }
    }
  }

  private static int start(int worker, int n, int workers) {
    return (int) ((long) worker * n / workers);
  }

  private static void join(Future<?> f) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          f.get();
          return;
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          if (e.getCause() instanceof RuntimeException r) {
            throw r;
          }
          if (e.getCause() instanceof Error err) {
            throw err;
          }
          throw new KaffeeException("worker failed", e.getCause());
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
