package org.kaffee.core;

import org.kaffee.proto.KaffeeState.RandomState;

/**
 * The one seeded source of randomness of a run (Caffe's Caffe::rng_stream): fillers,
 * dropout masks, crops and mirrors all draw from it, so the same {@code random_seed}
 * repeats a run bit for bit. Components that draw on another thread (prefetching) take
 * their own generator seeded from this one with {@link #fork()}. Every generator is a
 * {@link SeededRandom}, so a snapshot can carry its state.
 *
 * <p>A data-parallel replica running as a thread of its own calls {@link #ownForThisThread}
 * first: from then on that thread seeds and draws its own generator (as Caffe keeps one per
 * solver thread), so replicas never race on a shared one and each repeats bit for bit.
 */
public final class Rng {
  private static SeededRandom process = new SeededRandom(System.nanoTime());
  private static final ThreadLocal<SeededRandom> THREAD = new ThreadLocal<>();

  private Rng() {
  }

  /** Gives the calling thread a generator of its own, seeded as given. */
  public static void ownForThisThread(long seed) {
    THREAD.set(new SeededRandom(seed));
  }

  public static synchronized void seed(long seed) {
    if (THREAD.get() != null) {
      THREAD.set(new SeededRandom(seed));
    } else {
      process = new SeededRandom(seed);
    }
  }

  /** The calling thread's generator: its own one, or the process's. */
  public static synchronized SeededRandom global() {
    SeededRandom own = THREAD.get();
    return own != null ? own : process;
  }

  /** A new generator whose seed is drawn from the global one. */
  public static synchronized SeededRandom fork() {
    return new SeededRandom(global().nextLong());
  }
}
