package org.kaffee.parallel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/** The TCP ring on its own: N threads on 127.0.0.1 against sums computed by plain loops. */
class RingAllReduceTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  @Test
  void averageEqualsPlainSumInTheRingsOrderOnEveryRank() throws Exception {
    for (int n : new int[] {2, 3, 4}) {
      for (int length : new int[] {1, 2, 5, 7, 1001, 100_003}) {
        float[][] inputs = randomInputs(n, length, 31L * n + length);
        List<float[]> results = runRing(n, TIMEOUT, (ring, rank) -> {
          float[] buffer = inputs[rank].clone();
          ring.average(buffer);
          return buffer;
        });
        float[] expected = ringOrderMean(inputs, length);
        for (int r = 0; r < n; r++) {
          assertArrayEquals(expected, results.get(r), "rank " + r + " of " + n + ", length " + length);
        }
        float[] rankOrder = rankOrderMean(inputs, length);
        for (int i = 0; i < length; i++) {
          float magnitude = 0;
          for (float[] input : inputs) {
            magnitude += Math.abs(input[i]);
          }
          assertEquals(rankOrder[i], expected[i], 1e-6f * magnitude);
        }
      }
    }
  }

  @Test
  void twoRanksGiveThePlainMeanBitForBit() throws Exception {
    float[][] inputs = randomInputs(2, 4097, 7);
    List<float[]> results = runRing(2, TIMEOUT, (ring, rank) -> {
      float[] buffer = inputs[rank].clone();
      ring.average(buffer);
      return buffer;
    });
    assertArrayEquals(rankOrderMean(inputs, 4097), results.get(0));
    assertArrayEquals(rankOrderMean(inputs, 4097), results.get(1));
  }

  @Test
  void sumAddsInRankOrderAndBroadcastCopiesRankZero() throws Exception {
    int n = 3;
    List<double[]> sums = runRing(n, TIMEOUT, (ring, rank) -> {
      // 1e16 + 1 rounds back to 1e16: the total of the middle entry depends on the order
      double[] v = {0.1 * (rank + 1), rank == 0 ? 1e16 : rank == 1 ? 1 : -1e16, rank};
      ring.sum(v);
      return v;
    });
    double[] expected = {(0.1 + 0.2) + 0.3, (1e16 + 1) + -1e16, 3};
    for (double[] s : sums) {
      assertArrayEquals(expected, s);
    }
    List<float[]> copies = runRing(n, TIMEOUT, (ring, rank) -> {
      float[] b = {rank + 0.5f, -rank, 42 * rank};
      ring.broadcast(b);
      return b;
    });
    for (float[] c : copies) {
      assertArrayEquals(new float[] {0.5f, 0, 0}, c);
    }
  }

  @Test
  void aClosedWorkerEndsEveryOtherRanksCallNamingIt() throws Exception {
    List<Object> outcomes = runRing(3, TIMEOUT, (ring, rank) -> {
      if (rank == 1) {
        ring.close();
        return "closed";
      }
      return assertThrows(WorkerFailedException.class, () -> ring.average(new float[50_000]));
    });
    for (int r : new int[] {0, 2}) {
      WorkerFailedException e = (WorkerFailedException) outcomes.get(r);
      assertEquals(1, e.rank(), e.getMessage());
      assertTrue(e.getMessage().startsWith("worker 1 on 127.0.0.1 failed: "), e.getMessage());
    }
  }

  @Test
  void aSilentWorkerEndsTheOthersAfterTheTimeout() throws Exception {
    long start = System.nanoTime();
    List<Object> outcomes = runRing(3, Duration.ofMillis(1500), (ring, rank) -> {
      if (rank == 1) {
        sleep(4000);
        return "slept";
      }
      return assertThrows(WorkerFailedException.class, () -> ring.average(new float[10]));
    });
    assertEquals(1, ((WorkerFailedException) outcomes.get(2)).rank());
    assertTrue(outcomes.get(0) instanceof WorkerFailedException);
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(15));
  }

  /** Chunk c of N is summed from rank c upwards around the ring, then divided by N. */
  private static float[] ringOrderMean(float[][] inputs, int length) {
    int n = inputs.length;
    float[] mean = new float[length];
    for (int c = 0; c < n; c++) {
      for (int i = (int) ((long) length * c / n); i < (int) ((long) length * (c + 1) / n); i++) {
        float s = inputs[c][i];
        for (int k = 1; k < n; k++) {
          s = s + inputs[(c + k) % n][i];
        }
        mean[i] = s / n;
      }
    }
    return mean;
  }

  private static float[] rankOrderMean(float[][] inputs, int length) {
    float[] mean = new float[length];
    for (int i = 0; i < length; i++) {
      float s = 0;
      for (float[] input : inputs) {
        s += input[i];
      }
      mean[i] = s / inputs.length;
    }
    return mean;
  }

  private static float[][] randomInputs(int n, int length, long seed) {
    Random random = new Random(seed);
    float[][] inputs = new float[n][length];
    for (float[] input : inputs) {
      for (int i = 0; i < length; i++) {
        input[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(7) - 3));
      }
    }
    return inputs;
  }

  /** Binds N loopback sockets, then runs each rank on its own thread joined to the ring. */
  static <T> List<T> runRing(int n, Duration timeout, BiFunction<AllReduce, Integer, T> body)
      throws Exception {
    List<ServerSocket> servers = new ArrayList<>();
    List<InetSocketAddress> peers = new ArrayList<>();
    for (int r = 0; r < n; r++) {
      ServerSocket s = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
      servers.add(s);
      peers.add(new InetSocketAddress("127.0.0.1", s.getLocalPort()));
    }
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (int r = 0; r < n; r++) {
        int rank = r;
        futures.add(pool.submit(() -> {
          try (AllReduce ring = RingAllReduce.join(rank, servers.get(rank), peers, timeout)) {
            return body.apply(ring, rank);
          }
        }));
      }
      List<T> results = new ArrayList<>();
      for (Future<T> f : futures) {
        results.add(f.get(60, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
      for (ServerSocket s : servers) {
        try {
          s.close();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
