package org.kaffee.parallel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/** The in-JVM all-reduce: means, sums and broadcasts over three threads; a failure releases everyone. */
class ThreadAllReduceTest {
  private static final int RANKS = 3;

  /** Runs one body per rank on its own thread; returns the first error any rank threw. */
  private static Throwable runRanks(ThreadAllReduce.Group group, IntFunction<Runnable> body)
      throws InterruptedException {
    AtomicReference<Throwable> error = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    for (int r = 0; r < RANKS; r++) {
      Runnable work = body.apply(r);
      int rank = r;
      Thread t = new Thread(() -> {
        try {
          work.run();
        } catch (Throwable e) {
          error.compareAndSet(null, e);
          group.fail(rank, e);
        }
      });
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    return error.get();
  }

  @Test
  void averageSumAndBroadcastAgreeOnEveryRank() throws Exception {
    ThreadAllReduce.Group group = new ThreadAllReduce.Group(RANKS);
    float[][] means = new float[RANKS][];
    double[][] sums = new double[RANKS][];
    float[][] copies = new float[RANKS][];
    Throwable error = runRanks(group, r -> () -> {
      AllReduce ar = group.member(r);
      for (int round = 0; round < 50; round++) {  // repeated rounds reuse the shared slots
        float[] m = {r, 10f * r, 0.1f, r == 1 ? 3 : 0, 7};
        ar.average(m);
        means[r] = m;
        double[] s = {r + 1, round};
        ar.sum(s);
        sums[r] = s;
        float[] c = {r, -r};
        ar.broadcast(c);
        copies[r] = c;
      }
    });
    assertEquals(null, error);
    for (int r = 0; r < RANKS; r++) {
      assertArrayEquals(new float[] {1f, 10f, (0.1f + 0.1f + 0.1f) / 3, 1f, 7f}, means[r]);
      assertArrayEquals(new double[] {6, 3 * 49}, sums[r]);
      assertArrayEquals(new float[] {0, 0}, copies[r]);
    }
  }

  @Test
  void aFailingRankReleasesTheWaitingOnes() throws Exception {
    ThreadAllReduce.Group group = new ThreadAllReduce.Group(RANKS);
    List<Throwable> seen = new ArrayList<>();
    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> runRanks(group, r -> () -> {
      AllReduce ar = group.member(r);
      if (r == 2) {
        throw new IllegalStateException("out of data");
      }
      try {
        ar.average(new float[4]);
      } catch (WorkerFailedException e) {
        synchronized (seen) {
          seen.add(e);
        }
      }
    }));
    assertEquals(2, seen.size());
    assertEquals(2, group.failure().rank());
    assertTrue(group.failure().getMessage().equals("worker 2 failed: out of data"),
        group.failure().getMessage());
  }
}
