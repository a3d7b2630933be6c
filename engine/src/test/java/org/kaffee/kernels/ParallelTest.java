package org.kaffee.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.kaffee.core.KaffeeException;

class ParallelTest {
  @Test
  void everyItemRunsOnceInContiguousRangesOfDistinctWorkers() {
    for (int n : new int[] {0, 1, 2, 3, 7, 64}) {
      AtomicIntegerArray runs = new AtomicIntegerArray(n);
      int[] workerOf = new int[n];
      Parallel.forRange(n, (worker, from, to) -> {
        for (int i = from; i < to; i++) {
          runs.incrementAndGet(i);
          workerOf[i] = worker;
        }
      });
      int[] once = new int[n];
      java.util.Arrays.fill(once, 1);
      int[] actual = new int[n];
      for (int i = 0; i < n; i++) {
        actual[i] = runs.get(i);
      }
      assertArrayEquals(once, actual, "items of " + n);
      for (int i = 1; i < n; i++) {
        assertEquals(true, workerOf[i] >= workerOf[i - 1], "ranges are contiguous and in worker order");
      }
      if (n > 0) {
        assertEquals(0, workerOf[0], "the caller is worker 0");
        assertEquals(Math.min(n, Parallel.workers()) - 1, workerOf[n - 1]);
      }
    }
  }

  @Test
  void theCallerTakesBackItemsASleepingHelperHasNotStarted() throws InterruptedException {
    int takenBack = 0;
    for (int round = 0; round < 20; round++) {
      Thread.sleep(5); // past the helper's spin: it sleeps, and waking it takes tens of microseconds
      Thread[] ranOn = new Thread[2];
      Parallel.forRange(2, (worker, from, to) -> ranOn[from] = Thread.currentThread());
      assertEquals(Thread.currentThread(), ranOn[0]);
      takenBack += ranOn[1] == Thread.currentThread() ? 1 : 0;
    }
    assertEquals(true, takenBack > 0, "the caller finished first and ran the helper's item in none of 20 rounds");
  }

  @Test
  void aWorkersExceptionReachesTheCaller() {
    KaffeeException e = assertThrows(KaffeeException.class, () -> Parallel.forRange(10, (worker, from, to) -> {
      if (to == 10) {
        throw new KaffeeException("last range failed");
      }
    }));
    assertEquals("last range failed", e.getMessage());
  }
}
