package org.kaffee.core;

import java.util.Random;

/**
 * The one seeded source of randomness of a run (Caffe's Caffe::rng_stream): fillers,
 * dropout masks, crops and mirrors all draw from it, so the same {@code random_seed}
 * repeats a run bit for bit. Components that draw on another thread (prefetching) take
 * their own generator seeded from this one with {@link #fork()}.
 *
 * <p>A data-parallel replica running as a thread of its own calls {@link #ownForThisThread}
 * first: from then on that thread seeds and draws its own generator (as Caffe keeps one per
 * solver thread), so replicas never race on a shared one and each repeats bit for bit.
 */
public final class Rng {
  private static Random process = new Random(System.nanoTime());
  private static final ThreadLocal<Random> THREAD = new ThreadLocal<>();

  private Rng() {
  }

  /** Gives the calling thread a generator of its own, seeded as given. */
  public static void ownForThisThread(long seed) {
    THREAD.set(new Random(seed));
  }

  public static synchronized void seed(long seed) {
    if (THREAD.get() != null) {
      THREAD.set(new Random(seed));
    } else {
      process = new Random(seed);
    }
  }

  /** The calling thread's generator: its own one, or the process's. */
  public static synchronized Random global() {
    Random own = THREAD.get();
    return own != null ? own : process;
  }

  /** A new generator whose seed is drawn from the global one. */
  public static synchronized Random fork() {
    return new Random(global().nextLong());
  }
}
