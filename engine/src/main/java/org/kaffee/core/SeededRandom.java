package org.kaffee.core;

import java.util.Random;
import org.kaffee.proto.KaffeeState.RandomState;

/**
 * A {@link Random} whose state can be saved and restored: java.util.Random keeps its seed and
 * its spare Gaussian private, so a snapshot could not carry them. This class keeps them itself
 * and computes exactly the sequence java.util.Random's specification fixes (the 48-bit linear
 * congruential generator and the polar method, two Gaussians per round), so every seed gives
 * the numbers it gave before and every existing run repeats bit for bit. Every other method
 * (nextInt, nextLong, nextDouble, Collections.shuffle, ...) is Random's own, built on
 * {@link #next(int)}.
 */
public final class SeededRandom extends Random {
  private static final long MULTIPLIER = 0x5DEECE66DL;
  private static final long ADDEND = 0xBL;
  private static final long MASK = (1L << 48) - 1;

  // No field initializers: Random's constructor calls setSeed before they would run.
  private long seed;
  private boolean hasGaussian;
  private double gaussian;

  public SeededRandom(long seed) {
    super(seed);
  }

  /** A generator continuing from a saved state. */
  public static SeededRandom of(RandomState state) {
    SeededRandom r = new SeededRandom(0);
    r.restore(state);
    return r;
  }

  @Override
  public synchronized void setSeed(long newSeed) {
    seed = (newSeed ^ MULTIPLIER) & MASK;
    hasGaussian = false;
  }

  @Override
  protected synchronized int next(int bits) {
    seed = (seed * MULTIPLIER + ADDEND) & MASK;
    return (int) (seed >>> (48 - bits));
  }

  /** The next {@code count} values of {@link #nextInt()} into {@code into}, taking the lock once. */
  public synchronized void nextInts(int[] into, int count) {
    long s = seed;
    for (int i = 0; i < count; i++) {
      s = (s * MULTIPLIER + ADDEND) & MASK;
      into[i] = (int) (s >>> 16);
    }
    seed = s;
  }

  @Override
  public synchronized double nextGaussian() {
    if (hasGaussian) {
      hasGaussian = false;
      return gaussian;
    }
    double u;
    double v;
    double s;
    do {
      u = 2 * nextDouble() - 1;
      v = 2 * nextDouble() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s == 0);
    double factor = StrictMath.sqrt(-2 * StrictMath.log(s) / s);
    gaussian = v * factor;
    hasGaussian = true;
    return u * factor;
  }

  /** The whole state: the next draws depend on nothing else. */
  public synchronized RandomState state() {
    return RandomState.newBuilder().setSeed(seed).setHasGaussian(hasGaussian).setGaussian(gaussian).build();
  }

  public synchronized void restore(RandomState state) {
    seed = state.getSeed() & MASK;
    hasGaussian = state.getHasGaussian();
    gaussian = state.getGaussian();
  }
}
