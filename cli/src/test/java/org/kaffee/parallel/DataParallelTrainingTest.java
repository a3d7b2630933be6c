package org.kaffee.parallel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.TextFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kaffee.cli.Main;
import org.kaffee.core.Blob;
import org.kaffee.data.Database;
import org.kaffee.io.ProtoFiles;
import org.kaffee.io.WorkDir;
import org.kaffee.log.Glog;
import org.kaffee.proto.Caffe.Datum;
import org.kaffee.proto.Caffe.SolverParameter;
import org.kaffee.solver.Solver;
import org.kaffee.solver.Solvers;
import org.kaffee.solver.WorkerThreads;
import org.kaffee.testing.LogCapture;

/**
 * {@code --workers=2} at batch B against one process at batch 2B: after K iterations the
 * weights agree within float summation order (rtol 2e-3), with the data read from an LMDB and
 * from a shuffled list of HDF5 files, for SGD with momentum, Adam, and iter_size 2 with
 * gradient clipping (which must see the averaged gradient); the replicas hold bit-identical
 * weights, a seeded two-worker run repeats bit for bit, and a failing worker ends the run with
 * one line naming it.
 */
class DataParallelTrainingTest {
  private static final int BATCH = 4;
  private static final int ITERS = 6;
  private static final int RECORDS = 40;
  private static final int PIXELS = 16;

  @TempDir
  Path dir;
  private Path savedWorkDir;

  @BeforeEach
  void data() throws Exception {
    savedWorkDir = WorkDir.get();
    WorkDir.set(dir);
    Glog.setQuiet(true);
    Random rng = new Random(11);
    try (Database db = Database.open("lmdb", dir.resolve("train_lmdb"), Database.Mode.NEW)) {
      for (int i = 0; i < RECORDS; i++) {
        db.put(String.format("%08d", i).getBytes(), datum(rng, i % 4).toByteArray());
      }
      db.commit();
    }
    List<Hdf5Parts.Part> parts = new ArrayList<>();
    for (int f = 0; f < 2; f++) {
      int rows = 12 + 4 * f;
      float[][] x = new float[rows][PIXELS];
      float[] y = new float[rows];
      for (int n = 0; n < rows; n++) {
        for (int k = 0; k < PIXELS; k++) {
          x[n][k] = (float) rng.nextGaussian();
        }
        y[n] = rng.nextInt(4);
      }
      parts.add(new Hdf5Parts.Part(x, y));
    }
    Hdf5Parts.write(dir, "h5_list.txt", parts);
  }

  @AfterEach
  void restore() {
    WorkDir.set(savedWorkDir);
    Glog.setQuiet(false);
  }

  private static Datum datum(Random rng, int label) {
    byte[] px = new byte[PIXELS];
    rng.nextBytes(px);
    return Datum.newBuilder().setChannels(1).setHeight(4).setWidth(4)
        .setData(ByteString.copyFrom(px)).setLabel(label).build();
  }

  private static String dataLayer(String source, int batch) {
    if (source.equals("lmdb")) {
      return "layer { name: \"data\" type: \"Data\" top: \"data\" top: \"label\"\n"
          + "  transform_param { scale: 0.00390625 }\n"
          + "  data_param { source: \"train_lmdb\" backend: LMDB batch_size: " + batch + " } }\n";
    }
    return "layer { name: \"data\" type: \"HDF5Data\" top: \"data\" top: \"label\"\n"
        + "  hdf5_data_param { source: \"h5_list.txt\" batch_size: " + batch + " shuffle: true } }\n";
  }

  private static SolverParameter solver(String type, String source, int batch, int iterSize) {
    String text = "net_param { name: \"small\"\n" + dataLayer(source, batch)
        + "layer { name: \"ip1\" type: \"InnerProduct\" bottom: \"data\" top: \"ip1\"\n"
        + "  inner_product_param { num_output: 8 weight_filler { type: \"gaussian\" std: 0.3 }"
        + " bias_filler { type: \"constant\" value: 0.1 } } }\n"
        + "layer { name: \"relu\" type: \"ReLU\" bottom: \"ip1\" top: \"ip1\" }\n"
        + "layer { name: \"ip2\" type: \"InnerProduct\" bottom: \"ip1\" top: \"ip2\"\n"
        + "  inner_product_param { num_output: 4 weight_filler { type: \"xavier\" } } }\n"
        + "layer { name: \"loss\" type: \"SoftmaxWithLoss\" bottom: \"ip2\" bottom: \"label\""
        + " top: \"loss\" } }\n"
        + "type: \"" + type + "\" base_lr: " + (type.equals("Adam") ? "0.01" : "0.1")
        + " momentum: 0.9 weight_decay: 0.001 lr_policy: \"fixed\" display: 0"
        + " max_iter: " + ITERS + " iter_size: " + iterSize + " random_seed: 1701"
        + (iterSize > 1 ? " clip_gradients: 0.5" : "")
        + (type.equals("Adam") ? " momentum2: 0.999 delta: 1e-8" : "") + "\n";
    SolverParameter.Builder b = SolverParameter.newBuilder();
    ProtoFiles.parseText(text, "solver", b);
    return b.build();
  }

  private static Solver single(SolverParameter param) {
    Solver s = Solvers.create(param);
    s.solve();
    return s;
  }

  private void assertWorkersEqualDoubledBatch(String type, String source, int iterSize) {
    Solver one = single(solver(type, source, 2 * BATCH, iterSize));
    List<Solver> two = WorkerThreads.train(solver(type, source, BATCH, iterSize), 2, null,
        () -> Solver.Action.NONE);
    assertEquals(ITERS, two.get(0).iter());
    assertReplicasIdentical(two);
    assertClose(one, two.get(0), type + "/" + source + " iter_size " + iterSize);
  }

  private static void assertClose(Solver one, Solver worker, String what) {
    List<Blob> expected = one.net().learnableParams();
    List<Blob> actual = worker.net().learnableParams();
    for (int p = 0; p < expected.size(); p++) {
      float[] e = expected.get(p).data().data().asFloat();
      float[] a = actual.get(p).data().data().asFloat();
      for (int i = 0; i < e.length; i++) {
        double tolerance = 2e-3 * Math.max(Math.abs(e[i]), Math.abs(a[i])) + 1e-6;
        assertTrue(Math.abs(e[i] - a[i]) <= tolerance, String.format(
            "%s: param %d[%d]: one process %s, two workers %s", what, p, i, e[i], a[i]));
      }
    }
  }

  private static void assertReplicasIdentical(List<Solver> replicas) {
    List<Blob> root = replicas.get(0).net().learnableParams();
    for (Solver other : replicas.subList(1, replicas.size())) {
      List<Blob> mine = other.net().learnableParams();
      for (int p = 0; p < root.size(); p++) {
        assertArrayEquals(root.get(p).data().data().asFloat(), mine.get(p).data().data().asFloat(),
            "replica weights differ in param " + p);
      }
    }
  }

  @Test
  void sgdMomentumFromLmdb() {
    assertWorkersEqualDoubledBatch("SGD", "lmdb", 1);
  }

  @Test
  void adamFromShuffledHdf5List() {
    assertWorkersEqualDoubledBatch("Adam", "hdf5", 1);
  }

  @Test
  void iterSizeTwoWithClippingFromLmdb() {
    assertWorkersEqualDoubledBatch("SGD", "lmdb", 2);
  }

  @Test
  void iterSizeTwoWithClippingFromHdf5() {
    assertWorkersEqualDoubledBatch("SGD", "hdf5", 2);
  }

  @Test
  void sameSeedTwiceIsBitIdentical() {
    SolverParameter param = solver("SGD", "hdf5", BATCH, 1);
    List<Solver> a = WorkerThreads.train(param, 2, null, () -> Solver.Action.NONE);
    List<Solver> b = WorkerThreads.train(param, 2, null, () -> Solver.Action.NONE);
    List<Blob> pa = a.get(0).net().learnableParams();
    List<Blob> pb = b.get(0).net().learnableParams();
    for (int p = 0; p < pa.size(); p++) {
      assertArrayEquals(pa.get(p).data().data().asFloat(), pb.get(p).data().data().asFloat());
    }
  }

  @Test
  void distributedSnapshotResumesOnEveryReplica() {
    SolverParameter param = solver("SGD", "lmdb", BATCH, 1).toBuilder()
        .setSnapshot(3).setSnapshotPrefix(dir.resolve("par").toString()).build();
    WorkerThreads.train(param, 2, null, () -> Solver.Action.NONE);
    Path state = dir.resolve("par_iter_3.solverstate");
    assertTrue(Files.exists(state), "rank 0 writes the snapshot");
    // Like Caffe, a resumed run reads its data from the start: compare with one process
    // resumed from the same file at the doubled batch.
    List<Solver> resumed = WorkerThreads.train(param, 2, state, () -> Solver.Action.NONE);
    assertReplicasIdentical(resumed);
    Solver one = Solvers.create(solver("SGD", "lmdb", 2 * BATCH, 1));
    one.solve(state);
    assertClose(one, resumed.get(0), "resumed");
  }

  @Test
  void commandLineRunsWorkersAndOnlyRankZeroLogs() throws Exception {
    SolverParameter param = solver("SGD", "lmdb", BATCH, 1).toBuilder().setDisplay(2)
        .setSnapshotAfterTrain(false).build();
    Files.writeString(dir.resolve("solver.prototxt"), TextFormat.printer().printToString(param));
    String text = LogCapture.during(() -> {
      assertEquals(0, Main.run("train", "--solver=solver.prototxt", "--workers=2"));
      assertEquals(1, Main.run("train", "--solver=solver.prototxt", "--workers=0"));
    });
    assertTrue(text.contains("] Training with 2 data-parallel workers"), text);
    assertTrue(text.contains("] Gradient all-reduce over 2 workers: "), text);
    // one display line per display iteration (0, 2, 4 and the final 6): rank 0's alone
    assertEquals(4, text.lines().filter(l -> l.matches(".*\\] Iteration \\d+.*loss = .*")).count(),
        text);
    assertEquals(1, text.lines().filter(l -> l.contains("Initializing solver")).count(), text);
  }

  @Test
  void failingWorkerStopsTheRunNamingIt() throws Exception {
    // Record 5 falls in worker 1's slice of the first global batch (records 4..7).
    try (Database db = Database.open("lmdb", dir.resolve("train_lmdb"), Database.Mode.WRITE)) {
      db.put(String.format("%08d", 5).getBytes(), new byte[] {(byte) 0xff, 1, 2});
      db.commit();
    }
    SolverParameter param = solver("SGD", "lmdb", BATCH, 1);
    WorkerFailedException e = assertTimeoutPreemptively(Duration.ofSeconds(60),
        () -> assertThrows(WorkerFailedException.class,
            () -> WorkerThreads.train(param, 2, null, () -> Solver.Action.NONE)));
    assertEquals(1, e.rank());
    assertTrue(e.getMessage().startsWith("worker 1 failed: layer data (Data): source train_lmdb,"
        + " key '00000005': not a serialized Datum"), e.getMessage());
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
  }
}
