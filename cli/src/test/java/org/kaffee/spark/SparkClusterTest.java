package org.kaffee.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.kaffee.data.Database;
import org.kaffee.io.NetFiles;
import org.kaffee.io.ProtoFiles;
import org.kaffee.io.WorkDir;
import org.kaffee.log.Glog;
import org.kaffee.proto.Caffe.BlobProto;
import org.kaffee.proto.Caffe.Datum;
import org.kaffee.proto.Caffe.NetParameter;
import org.kaffee.proto.Caffe.SolverParameter;
import org.kaffee.solver.Solver;
import org.kaffee.solver.Solvers;
import org.kaffee.testing.LogCapture;

/**
 * A real Spark standalone cluster on 127.0.0.1 ({@link TestCluster}: a master and two worker
 * JVMs of one core each): LeNet trained for a few hundred iterations by two executors equals one
 * process at the doubled batch; then one executor is killed with SIGKILL mid-run, and the retried
 * run ends with the uninterrupted run's weights, byte for byte.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class SparkClusterTest {
  private static final Path ROOT = Path.of("").toAbsolutePath();
  private static final int BATCH = 16;
  private static final int ITERS = 300;
  private static TestCluster cluster;
  private static SparkSession spark;
  private static Path savedWorkDir;

  @TempDir
  static Path dir;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = TestCluster.start(dir.resolve("cluster"));
    spark = cluster.session("SparkClusterTest");
    savedWorkDir = WorkDir.get();
    WorkDir.set(dir);
    writeImages(dir.resolve("train_lmdb"));
  }

  @AfterAll
  static void stopCluster() throws Exception {
    WorkDir.set(savedWorkDir);
    if (spark != null) {
      spark.stop();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  /** 10 classes of 28x28 images: a bright bar whose row depends on the class, over noise. */
  private static void writeImages(Path db) {
    Random rng = new Random(3);
    try (Database out = Database.open("lmdb", db, Database.Mode.NEW)) {
      for (int i = 0; i < 640; i++) {
        int label = i % 10;
        byte[] px = new byte[28 * 28];
        for (int k = 0; k < px.length; k++) {
          int row = k / 28;
          px[k] = (byte) (rng.nextInt(80) + (Math.abs(row - 2 - 2 * label) <= 1 ? 170 : 0));
        }
        out.put(String.format("%08d", i).getBytes(), Datum.newBuilder().setChannels(1).setHeight(28)
            .setWidth(28).setData(ByteString.copyFrom(px)).setLabel(label).build().toByteArray());
      }
      out.commit();
    }
  }

  private static SolverParameter lenet(int batch, String prefix) throws IOException {
    String net = Files.readString(ROOT.resolve("models/lenet/lenet_train_test.prototxt"))
        .replace("data/fashion_mnist_train_lmdb\" batch_size: 64", "train_lmdb\" batch_size: " + batch);
    String text = "net_param { " + net + " }\n"
        + "base_lr: 0.01 momentum: 0.9 weight_decay: 0.0005 lr_policy: \"inv\" gamma: 0.0001 power: 0.75"
        + " display: 0 max_iter: " + ITERS + " snapshot: 50 snapshot_prefix: \"" + prefix + "\""
        + " random_seed: 1 train_state { phase: TRAIN }\n";
    SolverParameter.Builder b = SolverParameter.newBuilder();
    ProtoFiles.parseText(text, "solver", b);
    return b.build();
  }

  private static byte[] model(String prefix) throws IOException {
    return Files.readAllBytes(dir.resolve(prefix + "_iter_" + ITERS + ".caffemodel"));
  }

  @Test
  void twoExecutorsEqualOneProcessAndSurviveAKilledExecutor() throws Exception {
    Glog.setQuiet(true);
    Solver one = Solvers.create(lenet(2 * BATCH, "one"));
    one.solve();
    one.close();
    SparkTraining.train(spark, lenet(BATCH, "cluster"), 2, null, 0, FailurePlan.NONE);
    assertCloseToOneProcess(NetFiles.readNetBinary(dir.resolve("one_iter_" + ITERS + ".caffemodel")),
        NetFiles.readNetBinary(dir.resolve("cluster_iter_" + ITERS + ".caffemodel")));

    Thread killer = new Thread(() -> killAnExecutorAfter(dir.resolve("killed_iter_100.solverstate")));
    killer.start();
    String text;
    try {
      text = LogCapture.during(() -> SparkTraining.train(spark, lenet(BATCH, "killed"), 2, null, 2, FailurePlan.NONE));
    } finally {
      killer.join();
    }
    assertTrue(text.contains("Spark stage failed (attempt 1 of 3)"), "no retry was logged:\n" + text);
    assertTrue(text.contains("retrying from " + dir.resolve("killed_iter_")), text);
    assertArrayEquals(model("cluster"), model("killed"),
        "the retried run's final weights differ from the uninterrupted run's");
  }

  /** Per blob, the distance between the two runs' weights relative to the weights' norm. */
  private static void assertCloseToOneProcess(NetParameter one, NetParameter cluster) {
    List<BlobProto> expected = one.getLayerList().stream().flatMap(l -> l.getBlobsList().stream()).toList();
    List<BlobProto> actual = cluster.getLayerList().stream().flatMap(l -> l.getBlobsList().stream()).toList();
    assertEquals(expected.size(), actual.size());
    for (int b = 0; b < expected.size(); b++) {
      double diff = 0;
      double norm = 0;
      for (int i = 0; i < expected.get(b).getDataCount(); i++) {
        double e = expected.get(b).getData(i);
        diff += Math.pow(e - actual.get(b).getData(i), 2);
        norm += e * e;
      }
      double relative = Math.sqrt(diff / norm);
      System.out.printf("SparkClusterTest: blob %d: relative L2 distance to one process %.3g%n", b, relative);
      assertTrue(relative <= 2e-3, "blob " + b + ": relative L2 distance " + relative);
    }
  }

  /** SIGKILLs one executor JVM of this cluster once the snapshot exists (polling every 20 ms). */
  private static void killAnExecutorAfter(Path snapshot) {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (!Files.exists(snapshot) && System.nanoTime() < deadline) {
      sleep(20);
    }
    cluster.anExecutor().ifPresent(ProcessHandle::destroyForcibly);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
