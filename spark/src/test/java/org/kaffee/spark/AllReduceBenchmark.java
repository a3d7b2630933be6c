package org.kaffee.spark;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.kaffee.parallel.AllReduce;
import org.kaffee.parallel.RingAllReduce;

/**
 * For bench/parallel_train.sh: the time of one gradient all-reduce of FLOATS floats between
 * two ranks, over the TCP ring on 127.0.0.1 and, as the baseline the ring replaces, through
 * the Spark driver with treeAggregate.
 * {@code java -cp ... org.kaffee.spark.AllReduceBenchmark ring|tree FLOATS ROUNDS [MASTER]}
 */
public final class AllReduceBenchmark {
  private AllReduceBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    int floats = Integer.parseInt(args[1]);
    int rounds = Integer.parseInt(args[2]);
    double ms = args[0].equals("ring") ? ring(floats, rounds) : tree(floats, rounds, args.length > 3 ? args[3] : "local[2]");
    System.out.printf("%s all-reduce of %d floats between 2 ranks: %.2f ms per round%n", args[0], floats, ms);
  }

  private static double ring(int floats, int rounds) throws Exception {
    List<ServerSocket> servers = new ArrayList<>();
    List<InetSocketAddress> peers = new ArrayList<>();
    for (int r = 0; r < 2; r++) {
      servers.add(new ServerSocket(0, 8, InetAddress.getLoopbackAddress()));
      peers.add(new InetSocketAddress("127.0.0.1", servers.get(r).getLocalPort()));
    }
    ExecutorService pool = Executors.newFixedThreadPool(2);
    List<Future<Double>> times = new ArrayList<>();
    for (int r = 0; r < 2; r++) {
      int rank = r;
      times.add(pool.submit(() -> {
        try (AllReduce ring = RingAllReduce.join(rank, servers.get(rank), peers, Duration.ofMinutes(1))) {
          float[] buffer = new float[floats];
          for (int i = 0; i < rounds / 5 + 1; i++) {
            ring.average(buffer);
          }
          long start = System.nanoTime();
          for (int i = 0; i < rounds; i++) {
            ring.average(buffer);
          }
          return (System.nanoTime() - start) / 1e6 / rounds;
        }
      }));
    }
    double ms = Math.max(times.get(0).get(), times.get(1).get());
    pool.shutdown();
    for (ServerSocket s : servers) {
      s.close();
    }
    return ms;
  }

  private static double tree(int floats, int rounds, String master) {
    SparkSession spark = SparkSessions.start(master, "kaffee all-reduce benchmark");
    try {
      JavaRDD<Integer> ranks = JavaSparkContext.fromSparkContext(spark.sparkContext())
          .parallelize(List.of(0, 1), 2);
      long start = 0;
      for (int i = 0; i < rounds + 2; i++) {
        if (i == 2) {
          start = System.nanoTime();
        }
        ranks.map(r -> new float[floats]).treeAggregate(new float[floats], AllReduceBenchmark::add, AllReduceBenchmark::add);
      }
      return (System.nanoTime() - start) / 1e6 / rounds;
    } finally {
      spark.stop();
    }
  }

  private static float[] add(float[] a, float[] b) {
    for (int i = 0; i < a.length; i++) {
      a[i] += b[i];
    }
    return a;
  }
}
