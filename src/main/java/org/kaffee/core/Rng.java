package org.kaffee.core;

import java.util.Random;

/**
 * The one seeded source of randomness of a run (Caffe's Caffe::rng_stream): fillers,
 * dropout masks, crops and mirrors all draw from it, so the same {@code random_seed}
 * repeats a run bit for bit. Components that draw on another thread (prefetching) take
 * their own generator seeded from this one with {@link #fork()}.
 */
public final class Rng {
  private static Random global = new Random(System.nanoTime());

  private Rng() {
  }

  public static synchronized void seed(long seed) {
    global = new Random(seed);
  }

  public static synchronized Random global() {
    return global;
  }

  /** A new generator whose seed is drawn from the global one. */
  public static synchronized Random fork() {
    return new Random(global.nextLong());
  }
}
