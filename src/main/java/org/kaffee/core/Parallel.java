package org.kaffee.core;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Splits a loop over independent items (images, planes) into one contiguous range per core,
 * for the Java loop kernels that ND4J does not run. Each item is computed by exactly one
 * thread in a fixed order, so results do not depend on the number of threads. The thread
 * count follows {@code OMP_NUM_THREADS}, as ND4J's does.
 */
public final class Parallel {
  private static final int THREADS = threadCount();
  private static final ExecutorService WORKERS = THREADS > 1
      ? Executors.newFixedThreadPool(THREADS - 1, r -> {
        Thread t = new Thread(r, "kaffee-worker");
        t.setDaemon(true);
        return t;
      })
      : null;

  /** The body of a loop over items {@code [from, to)}. */
  public interface Range {
    void run(int from, int to);
  }

  private Parallel() {
  }

  private static int threadCount() {
    String omp = System.getenv("OMP_NUM_THREADS");
    try {
      if (omp != null && Integer.parseInt(omp.trim()) > 0) {
        return Integer.parseInt(omp.trim());
      }
    } catch (NumberFormatException e) {
      // fall through to the processor count, as OpenMP ignores a malformed value
    }
    return Runtime.getRuntime().availableProcessors();
  }

  /** Runs {@code body} over {@code [0, items)}; the calling thread takes the first range. */
  public static void forRange(int items, Range body) {
    int parts = Math.min(THREADS, items);
    if (parts <= 1) {
      body.run(0, items);
      return;
    }
    Future<?>[] others = new Future<?>[parts - 1];
    for (int p = 1; p < parts; p++) {
      int from = (int) ((long) items * p / parts);
      int to = (int) ((long) items * (p + 1) / parts);
      others[p - 1] = WORKERS.submit(() -> body.run(from, to));
    }
    body.run(0, items / parts);
    for (Future<?> f : others) {
      join(f);
    }
  }

  private static void join(Future<?> f) {
    try {
      f.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KaffeeException("interrupted while waiting for a worker thread");
    }
  }
}
