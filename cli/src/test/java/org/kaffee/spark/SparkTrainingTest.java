package org.kaffee.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.TextFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kaffee.cli.Main;
import org.kaffee.core.KaffeeException;
import org.kaffee.io.NetFiles;
import org.kaffee.testing.LogCapture;
import org.kaffee.testing.TinyTraining;
import org.kaffee.io.WorkDir;
import org.kaffee.log.Glog;
import org.kaffee.solver.WorkerThreads;
import org.kaffee.proto.Caffe.BlobProto;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.proto.Caffe.NetParameter;
import org.kaffee.proto.Caffe.SolverParameter;
import org.kaffee.solver.Solver;
import org.kaffee.solver.Solvers;

/**
 * {@code train --spark-master=local[2] --workers=2}: two barrier tasks over the TCP ring equal
 * one process at the doubled batch (rtol 2e-3) and the two threads of {@code --workers=2} bit for
 * bit, for SGD with momentum and for Adam with iter_size 2; a task failing after a snapshot in the
 * middle of an epoch is retried from it (the solverstate's data positions) and ends with the
 * uninterrupted run's weights byte for byte; when the retries
 * run out, one line names the cause and the snapshot to resume from.
 */
class SparkTrainingTest {
  private static final int BATCH = 4;
  private static final int RECORDS = 40;
  private static SparkSession spark;

  @TempDir
  Path dir;
  private Path savedWorkDir;

  @BeforeAll
  static void startSpark() {
    spark = SparkSessions.start("local[2]", "SparkTrainingTest");
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  @BeforeEach
  void data() throws Exception {
    savedWorkDir = WorkDir.get();
    WorkDir.set(dir);
    Glog.setQuiet(true);
    TinyTraining.writeLmdb(dir.resolve("train_lmdb"), RECORDS, 5);
  }

  @AfterEach
  void restoreWorkDir() {
    WorkDir.set(savedWorkDir);
    Glog.setQuiet(false);
  }

  private static SolverParameter solver(String type, int batch, int iterSize, int maxIter, String prefix) {
    return TinyTraining.solver(type, batch, "weight_decay: 0.001 random_seed: 77 max_iter: " + maxIter
        + " iter_size: " + iterSize + " snapshot: 2 snapshot_prefix: \"" + prefix + "\"");
  }

  private float[][] weights(String prefix, int iter) {
    NetParameter model = NetFiles.readNetBinary(dir.resolve(prefix + "_iter_" + iter + ".caffemodel"));
    return model.getLayerList().stream().flatMap(l -> l.getBlobsList().stream())
        .map(b -> toArray(b)).toArray(float[][]::new);
  }

  private static float[] toArray(BlobProto b) {
    float[] v = new float[b.getDataCount()];
    for (int i = 0; i < v.length; i++) {
      v[i] = b.getData(i);
    }
    return v;
  }

  private byte[] modelBytes(String prefix, int iter) throws Exception {
    return Files.readAllBytes(dir.resolve(prefix + "_iter_" + iter + ".caffemodel"));
  }

  private void assertEqualsDoubledBatchAndThreads(String type, int iterSize) throws Exception {
    int iters = 6;
    Solver one = Solvers.create(solver(type, 2 * BATCH, iterSize, iters, "one"));
    one.solve();
    one.close();
    WorkerThreads.train(solver(type, BATCH, iterSize, iters, "threads"), 2, null, () -> Solver.Action.NONE)
        .forEach(Solver::close);
    SparkTraining.train(spark, solver(type, BATCH, iterSize, iters, "spark"), 2, null, 0, FailurePlan.NONE);
    assertArrayEquals(modelBytes("threads", iters), modelBytes("spark", iters),
        type + ": Spark tasks and threads differ");
    float[][] expected = weights("one", iters);
    float[][] actual = weights("spark", iters);
    assertEquals(expected.length, actual.length);
    for (int p = 0; p < expected.length; p++) {
      for (int i = 0; i < expected[p].length; i++) {
        float e = expected[p][i];
        float a = actual[p][i];
        assertTrue(Math.abs(e - a) <= 2e-3 * Math.max(Math.abs(e), Math.abs(a)) + 1e-6,
            String.format("%s: blob %d[%d]: one process %s, Spark %s", type, p, i, e, a));
      }
    }
  }

  @Test
  void sgdMomentumEqualsOneProcessAtTheDoubledBatch() throws Exception {
    assertEqualsDoubledBatchAndThreads("SGD", 1);
  }

  @Test
  void adamWithIterSizeTwoEqualsOneProcessAtTheDoubledBatch() throws Exception {
    assertEqualsDoubledBatchAndThreads("Adam", 2);
  }

  @Test
  void aDatabaseGivenAsUriIsCopiedToTheExecutorFirst() throws Exception {
    SparkTraining.train(spark, solver("SGD", BATCH, 1, 4, "path"), 2, null, 0, FailurePlan.NONE);
    SolverParameter viaUri = solver("SGD", BATCH, 1, 4, "uri");
    viaUri = viaUri.toBuilder().setNetParam(viaUri.getNetParam().toBuilder().setLayer(0, viaUri.getNetParam()
        .getLayer(0).toBuilder().setDataParam(viaUri.getNetParam().getLayer(0).getDataParam().toBuilder()
            .setSource(dir.resolve("train_lmdb").toUri().toString())))).build();
    SparkTraining.train(spark, viaUri, 2, null, 0, FailurePlan.NONE);
    assertArrayEquals(weights("path", 4)[0], weights("uri", 4)[0]);
  }

  @Test
  void aFailedTaskIsRetriedFromTheSnapshotAndEndsWithTheSameWeights() throws Exception {
    assertNotEquals(0, 4 * 2 * BATCH % RECORDS, "the snapshot of iteration 4 must fall mid-epoch");
    SparkTraining.train(spark, solver("SGD", BATCH, 1, 8, "straight"), 2, null, 0, FailurePlan.NONE);
    String log = LogCapture.during(() -> SparkTraining.train(spark, solver("SGD", BATCH, 1, 8, "retried"), 2,
        null, 2, new FailurePlan(4, 0)));
    // exactly one retry, from the snapshot the planted failure followed
    List<String> failed = log.lines().filter(l -> l.contains("Spark stage failed")).toList();
    assertEquals(1, failed.size(), log);
    assertTrue(failed.get(0).contains("Spark stage failed (attempt 1 of 3): ")
        && failed.get(0).contains("planted failure after the snapshot of iteration 4")
        && failed.get(0).endsWith("; retrying from " + dir.resolve("retried_iter_4.solverstate").toAbsolutePath()),
        failed.get(0));
    assertTrue(log.indexOf("Spark tasks finished (rank, iteration): 0 8, 1 8") > log.indexOf(failed.get(0)), log);
    assertArrayEquals(modelBytes("straight", 8), modelBytes("retried", 8),
        "the retried run's final weights differ from the uninterrupted run's");
  }

  @Test
  void runningOutOfRetriesNamesTheCauseAndTheSnapshot() {
    KaffeeException e = assertThrows(KaffeeException.class, () -> SparkTraining.train(spark,
        solver("SGD", BATCH, 1, 8, "failing"), 2, null, 0, new FailurePlan(2, 0)));
    assertTrue(e.getMessage().startsWith("distributed training failed (1 attempt): "), e.getMessage());
    assertTrue(e.getMessage().contains("worker 0 on 127.0.0.1 failed: planted failure after the snapshot of"
        + " iteration 2"), e.getMessage());
    assertTrue(e.getMessage().endsWith("resume with --snapshot=" + dir.resolve("failing_iter_2.solverstate")
        .toAbsolutePath()), e.getMessage());
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
  }

  @Test
  void commandLineTrainsOnSpark() throws Exception {
    SolverParameter param = solver("SGD", BATCH, 1, 4, "cli");
    Files.writeString(dir.resolve("solver.prototxt"), TextFormat.printer().printToString(param));
    String text = LogCapture.during(() -> {
      assertEquals(0, Main.run("train", "--solver=solver.prototxt", "--spark-master=local[2]", "--workers=2"));
      assertEquals(1, Main.run("train", "--solver=solver.prototxt", "--spark-master=local[2]", "--workers=2",
          "--spark-retries=-1"));
    });
    assertTrue(text.contains("] Training 2 replicas as Spark barrier tasks on local[2]"), text);
    assertTrue(text.contains("] Spark tasks finished (rank, iteration): 0 4, 1 4"), text);
    assertTrue(Files.exists(dir.resolve("cli_iter_4.caffemodel")));
    List<LayerParameter> layers = NetFiles.readNetBinary(dir.resolve("cli_iter_4.caffemodel")).getLayerList();
    assertEquals("ip1", layers.get(1).getName());
  }
}
