package org.kaffee.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.kaffee.proto.KaffeeState.RandomState;

/**
 * SeededRandom draws java.util.Random's sequence for every seed and every kind of draw (so
 * runs seeded before it existed repeat), and a saved state continues exactly, even between
 * the two Gaussians of one pair.
 */
class SeededRandomTest {
  /** Every kind of draw the engine makes, interleaved, written down as numbers. */
  private static List<Double> draws(Random r, int rounds) {
    List<Double> out = new ArrayList<>();
    for (int i = 0; i < rounds; i++) {
      out.add((double) r.nextInt());
      out.add((double) r.nextInt(7 + i));
      out.add(r.nextGaussian());
      out.add(r.nextDouble());
      out.add((double) r.nextFloat());
      out.add((double) r.nextLong());
      out.add(r.nextBoolean() ? 1.0 : 0.0);
      if (i % 3 == 0) {
        out.add(r.nextGaussian());
      }
      List<Integer> order = new ArrayList<>(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8));
      Collections.shuffle(order, r);
      order.forEach(k -> out.add((double) k));
    }
    return out;
  }

  @Test
  void drawsJavaUtilRandomsSequence() {
    for (long seed : new long[] {0, 1, 1701, -5, Long.MAX_VALUE, 0x5DEECE66DL}) {
      assertEquals(draws(new Random(seed), 50), draws(new SeededRandom(seed), 50), "seed " + seed);
      Random reseeded = new Random(3);
      reseeded.setSeed(seed);
      SeededRandom ours = new SeededRandom(3);
      ours.nextGaussian();  // a spare Gaussian that setSeed must drop
      ours.setSeed(seed);
      reseeded.nextGaussian();
      reseeded.setSeed(seed);
      assertEquals(draws(reseeded, 10), draws(ours, 10), "setSeed " + seed);
    }
  }

  @Test
  void nextIntsDrawsWhatNextIntWouldInTheSameOrder() {
    Random reference = new Random(1701);
    SeededRandom ours = new SeededRandom(1701);
    int[] bulk = new int[1000];
    ours.nextInts(bulk, 999);
    for (int i = 0; i < 999; i++) {
      assertEquals(reference.nextInt(), bulk[i], "draw " + i);
    }
    assertEquals(0, bulk[999], "only count draws are written");
    assertEquals(reference.nextGaussian(), ours.nextGaussian(), "the generator continues after them");
  }

  @Test
  void aSavedStateContinuesExactlyEvenInsideAGaussianPair() {
    SeededRandom r = new SeededRandom(42);
    draws(r, 5);
    r.nextGaussian();  // the pair's second Gaussian is now pending
    RandomState state = r.state();
    List<Double> expected = draws(r, 20);
    assertEquals(expected, draws(SeededRandom.of(state), 20));
    SeededRandom other = new SeededRandom(7);
    other.restore(state);
    assertEquals(expected, draws(other, 20));
  }
}
