package org.kaffee.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.kaffee.io.WorkDir;
import org.kaffee.proto.Caffe.SolverParameter;
import org.kaffee.solver.Solver;
import org.kaffee.solver.Solvers;
import org.kaffee.spark.FailurePlan;
import org.kaffee.spark.SparkTraining;
import org.kaffee.spark.TestCluster;
import org.kaffee.testing.LogCapture;
import org.kaffee.testing.TinyTraining;
import org.kaffee.tools.LogTable;
import org.kaffee.tools.ParseLog;

/**
 * Spark in operation, on a standalone cluster whose executors are JVMs of their own: rank 0's
 * glog lines reach the driver's log while the executors train (so parse_log reads the driver's
 * log), and SIGHUP / SIGINT on a `tools/kaffee train --spark-master` driver snapshot and stop
 * the whole job as they do one process, with no retry after the stop.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class SparkOperationTest {
  private static final Pattern TASKS = Pattern.compile("Spark tasks finished \\(rank, iteration\\): 0 (\\d+), 1 (\\d+)");
  private static TestCluster cluster;

  @TempDir
  static Path clusterFiles;
  @TempDir
  Path dir;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = TestCluster.start(clusterFiles);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void rankZerosLogReachesTheDriversLogAndParseLogReadsIt() throws Exception {
    Path saved = WorkDir.get();
    SparkSession spark = cluster.session("SparkOperationTest");
    String log;
    String oneProcess;
    try {
      WorkDir.set(dir);
      TinyTraining.writeLmdb(dir.resolve("train_lmdb"), 40, 5);
      log = LogCapture.during(() -> SparkTraining.train(spark, tiny(4, "spark"), 2, null, 0, FailurePlan.NONE));
      oneProcess = LogCapture.during(() -> {
        Solver one = Solvers.create(tiny(8, "one"));
        one.solve();
        one.close();
      });
    } finally {
      WorkDir.set(saved);
      spark.stop();
    }
    for (int iter = 0; iter <= 30; iter += 5) {
      // Caffe's display line, with its speed in parentheses since 1.0, and the final one without
      assertTrue(Pattern.compile("] Iteration " + iter + "( \\([^)]*\\))?, loss = ").matcher(log).find(),
          "no line of iteration " + iter + ":\n" + log);
    }
    assertTrue(log.indexOf("] Iteration 30, loss = ") < log.indexOf("Spark tasks finished"),
        "rank 0's last lines came after the stage ended:\n" + log);
    double[] iterations = parsedIterations(log, "driver.log");
    assertTrue(iterations.length >= 6, "parse_log found too few rows: " + Arrays.toString(iterations));
    assertArrayEquals(parsedIterations(oneProcess, "one.log"), iterations,
        "parse_log reads other iterations from the driver's log than from one process's");
  }

  private SolverParameter tiny(int batch, String prefix) {
    return TinyTraining.solver("SGD", batch, "max_iter: 30 random_seed: 3 snapshot_prefix: \"" + prefix + "\"")
        .toBuilder().setDisplay(5).build();
  }

  /** The NumIters column of parse_log's train table of {@code log}. */
  private double[] parsedIterations(String log, String name) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, log);
    return ParseLog.parse(file).train().column(LogTable.NUM_ITERS);
  }

  @Test
  void sighupSnapshotsTheJobAndSigintStopsItWithoutARetry() throws Exception {
    Files.writeString(dir.resolve("net.prototxt"), SignalEffectsTest.NET);
    Files.writeString(dir.resolve("solver.prototxt"), "net: \"net.prototxt\" base_lr: 0.01 lr_policy: \"fixed\""
        + " max_iter: 100000000 display: 1 snapshot_prefix: \"snap/spark\" random_seed: 1\n");
    String settings = TestCluster.DRIVER_SETTINGS.entrySet().stream()
        .map(e -> "-D" + e.getKey() + "=" + e.getValue()).reduce((a, b) -> a + " " + b).orElseThrow();
    KaffeeProcess p = KaffeeProcess.launch(dir, "driver.log", settings, "train", "--solver=solver.prototxt",
        "--spark-master=" + cluster.url(), "--workers=2", "--spark-retries=2");
    try {
      // only the executors train: these lines in the driver's log came from rank 0, while it runs
      assertTrue(p.awaitLog("Iteration 3,", 300), "rank 0's log did not reach the driver:\n" + p.output());

      p.signal("HUP");  // Caffe's default effect: snapshot
      assertTrue(p.awaitLog("Snapshotting solver state", 120), p.output());
      Matcher first = SignalEffectsTest.SNAPSHOT.matcher(p.output());
      assertTrue(first.find());
      int hupIter = SignalEffectsTest.iterationOf(first.group(1), dir);
      assertTrue(p.awaitLog("Iteration " + (hupIter + 3) + ",", 120), "no iterations after SIGHUP:\n" + p.output());
      assertTrue(p.alive(), "SIGHUP stopped the run");

      p.signal("INT");  // Caffe's default effect: stop
      assertEquals(0, p.waitFor(180), "SIGINT: " + p.output());
      String log = p.output();
      assertTrue(log.contains("Optimization stopped early."), log);
      assertEquals(2, SignalEffectsTest.countSnapshots(log), "one snapshot for SIGHUP, the final one for SIGINT");
      Matcher last = SignalEffectsTest.SNAPSHOT.matcher(log);
      last.find();
      last.find();
      int stopIter = SignalEffectsTest.iterationOf(last.group(1), dir);
      assertTrue(stopIter > hupIter + 3, "the final snapshot is not the stopping iteration's");
      assertTrue(Files.exists(dir.resolve("snap/spark_iter_" + stopIter + ".caffemodel")), log);
      Matcher tasks = TASKS.matcher(log);
      assertTrue(tasks.find(), log);
      assertEquals(stopIter, Integer.parseInt(tasks.group(1)), "rank 0 did not stop at the snapshot's iteration");
      assertEquals(stopIter, Integer.parseInt(tasks.group(2)), "rank 1 stopped at another iteration than rank 0");
      assertFalse(log.contains("Spark stage failed"), "the stopped job was retried:\n" + log);
    } finally {
      if (p.alive()) {
        p.kill();  // a failed check must not leave a driver training forever
      }
    }
  }
}
