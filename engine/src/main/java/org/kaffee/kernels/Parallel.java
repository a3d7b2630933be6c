package org.kaffee.kernels;

import org.kaffee.core.OpThreads;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.kaffee.core.KaffeeException;

/**
 * Splits a loop over independent items (images, planes, batch parts, gemm rows) between the
 * cores: worker {@code w} of {@code W} takes the items {@code [w * n / W, (w + 1) * n / W)}, the
 * calling thread being worker 0. A worker computes each of its items whole, in the body's order,
 * with its own scratch memory, so results do not depend on the number of workers. The worker
 * count follows {@code OMP_NUM_THREADS}, as ND4J's does.
 *
 * <p>The helper threads spin for a moment after each loop before they sleep: a net calls this a
 * dozen times per pass, a fraction of a millisecond apart, and waking a sleeping thread measured
 * about 110 microseconds, as much as a small layer's whole work. A helper that is busy (another
 * thread's loop, or a body calling this again) is not waited for: the caller runs that worker's
 * items itself. Nor is a helper that has not started its items by the time the caller is done
 * with its own: the caller takes them back and runs them. On two cores shared with the JIT's
 * compiler threads or another process, a helper may wait milliseconds for a core; the caller
 * would otherwise idle that long on every loop.
 */
public final class Parallel {
  /** One worker's share of the loop: items {@code [from, to)}. */
  @FunctionalInterface
  public interface Range {
    void run(int worker, int from, int to);
  }

  /**
   * How long an idle helper watches for the next loop before it sleeps: spinning the first
   * {@link #WAIT_SPIN_NANOS}, then yielding, so that on a busy machine it gives its core away.
   */
  private static final long SPIN_NANOS = 1_000_000;
  /** How long the caller watches for a helper to finish before it sleeps until woken. */
  private static final long WAIT_SPIN_NANOS = 50_000;

  private static final int WORKERS = workerCount();
  private static final Helper[] HELPERS = helpers();

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

  private static Helper[] helpers() {
    Helper[] helpers = new Helper[WORKERS - 1];
    for (int i = 0; i < helpers.length; i++) {
      helpers[i] = new Helper();
      Thread t = new Thread(helpers[i], "kaffee-worker-" + (i + 1));
      t.setDaemon(true);
      helpers[i].thread = t;
      t.start();
    }
    return helpers;
  }

  /** The number of workers, so the number of scratch sets a body may need. */
  public static int workers() {
    return WORKERS;
  }

  /** Runs the body over {@code [0, n)} split between the workers; returns when all have finished. */
  public static void forRange(int n, Range body) {
    int used = Math.min(WORKERS, n);
    if (used > 1) {
      // Loads the native libraries on this thread before a helper touches them: JavaCPP's class
      // initialisers deadlock when two threads start loading at once (a helper's first task, see
      // Helper.run, then finds them loaded); cheap after the first call.
      OpThreads.applyToCurrentThread();
    }
    long handed = 0;
    for (int w = 1; w < used; w++) {
      Helper h = HELPERS[w - 1];
      int worker = w;
      if (h.offer(() -> body.run(worker, start(worker, n, used), start(worker + 1, n, used)))) {
        handed |= 1L << w;
      }
    }
    try {
      body.run(0, 0, used > 1 ? start(1, n, used) : n);
      for (int w = 1; w < used; w++) {
        if ((handed & (1L << w)) == 0) {
          body.run(w, start(w, n, used), start(w + 1, n, used));
        }
      }
    } finally {
      // Wait for every helper even when this thread failed: none may still be writing on return.
      Throwable failure = null;
      for (int w = 1; w < used; w++) {
        if ((handed & (1L << w)) != 0) {
          Throwable f = HELPERS[w - 1].finish();
          failure = failure == null ? f : failure;
        }
      }
      rethrow(failure);
    }
  }

  private static int start(int worker, int n, int workers) {
    return (int) ((long) worker * n / workers);
  }

  private static void rethrow(Throwable failure) {
    if (failure instanceof RuntimeException r) {
      throw r;
    }
    if (failure instanceof Error e) {
      throw e;
    }
    if (failure != null) {
      throw new KaffeeException("worker failed", failure);
    }
  }

  /** A helper thread and the one task it may hold, run by whichever of it and the caller takes it first. */
  private static final class Helper implements Runnable {
    /** Set while one loop holds this helper. */
    private final AtomicBoolean claimed = new AtomicBoolean();
    /** The task handed over and not yet taken, by the helper or back by the caller. */
    private final AtomicReference<Runnable> task = new AtomicReference<>();
    private volatile boolean done;
    private volatile Thread caller;
    private Throwable failure;
    private Thread thread;

    /** Hands the task over, unless another loop holds this helper. */
    boolean offer(Runnable work) {
      if (!claimed.compareAndSet(false, true)) {
        return false;
      }
      failure = null;
      done = false;
      caller = Thread.currentThread();
      task.set(work);
      LockSupport.unpark(thread);
      return true;
    }

    /**
     * Runs the task here if the helper has not taken it yet, else waits for the helper to finish
     * it; frees the helper and returns what the task threw.
     */
    Throwable finish() {
      Runnable back = task.getAndSet(null);
      Throwable f;
      if (back != null) {
        f = runCatching(back);
      } else {
        awaitDone();
        f = failure;
      }
      claimed.set(false);
      return f;
    }

    private void awaitDone() {
      long start = System.nanoTime();
      while (!done) {
        if (System.nanoTime() - start < WAIT_SPIN_NANOS) {
          Thread.onSpinWait();
        } else {
          LockSupport.park(this);
        }
      }
    }

    private static Throwable runCatching(Runnable work) {
      try {
        work.run();
        return null;
      } catch (Throwable t) {
        return t;
      }
    }

    @Override
    public void run() {
      boolean threadsApplied = false;
      while (true) {
        Runnable work = next();
        if (!threadsApplied) {
          // a helper's ND4J ops (a convolution's batch part) use the op thread count, as the
          // caller's do; set on the first task, once the caller has loaded the natives
          threadsApplied = true;
          try {
            OpThreads.applyToCurrentThread();
          } catch (RuntimeException e) {
            // a bad KAFFEE_OP_THREADS: the caller reports it; this helper keeps ND4J's default
          }
        }
        failure = runCatching(work);
        done = true;
        LockSupport.unpark(caller);
      }
    }

    /** Waits for a task and takes it, so that the caller can no longer take it back. */
    private Runnable next() {
      long start = System.nanoTime();
      while (true) {
        Runnable work = task.get() == null ? null : task.getAndSet(null);
        if (work != null) {
          return work;
        }
        long waited = System.nanoTime() - start;
        if (waited < WAIT_SPIN_NANOS) {
          Thread.onSpinWait();
        } else if (waited < SPIN_NANOS) {
          Thread.yield();
        } else {
          LockSupport.park(this);
        }
      }
    }
  }
}
