package org.kaffee.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.kaffee.core.Net;
import org.kaffee.data.MnistConverter;
import org.kaffee.data.MnistSiameseConverter;
import org.kaffee.io.NetFiles;
import org.kaffee.proto.Caffe.SolverParameter;
import org.kaffee.solver.Solver;
import org.kaffee.solver.Solvers;
import org.kaffee.testing.QuietLog;

/**
 * Trains each example of models/ + solvers/ for a few iterations on generated 28x28 images
 * (each class a bright square at its own place) and checks that the loss falls. The
 * databases are made where the prototxts expect them, in a scratch working directory.
 */
@ExtendWith(QuietLog.class)
class ExampleNetsTest {
  private static final int IMAGES = 512;

  @TempDir
  Path work;

  @BeforeEach
  void makeData() throws Exception {
    Path idx = Files.createDirectories(work.resolve("idx"));
    writeImages(idx.resolve("images"), idx.resolve("labels"));
    Path data = Files.createDirectories(work.resolve("data"));
    for (String split : new String[] {"train", "test"}) {
      MnistConverter.convert(idx.resolve("images"), idx.resolve("labels"),
          data.resolve("fashion_mnist_" + split + "_lmdb"), "lmdb");
      MnistConverter.convert(idx.resolve("images"), idx.resolve("labels"),
          data.resolve("fashion_mnist_fold3_" + split + "_lmdb"), "lmdb",
          new int[] {0, 2, 0, 0, 0, 1, 0, 1, 2, 1});
      MnistSiameseConverter.convert(idx.resolve("images"), idx.resolve("labels"),
          data.resolve("fashion_mnist_siamese_" + split + "_lmdb"), "lmdb", 1);
    }
  }

  private static void writeImages(Path images, Path labels) throws Exception {
    Random rng = new Random(7);
    try (OutputStream ri = Files.newOutputStream(images); DataOutputStream img = new DataOutputStream(ri);
         OutputStream rl = Files.newOutputStream(labels); DataOutputStream lab = new DataOutputStream(rl)) {
      img.writeInt(2051);
      img.writeInt(IMAGES);
      img.writeInt(28);
      img.writeInt(28);
      lab.writeInt(2049);
      lab.writeInt(IMAGES);
      for (int n = 0; n < IMAGES; n++) {
        int label = rng.nextInt(10);
        int top = 2 + (label / 4) * 8;
        int left = 2 + (label % 4) * 6;
        for (int y = 0; y < 28; y++) {
          for (int x = 0; x < 28; x++) {
            boolean inside = y >= top && y < top + 7 && x >= left && x < left + 6;
            img.write(inside ? 200 + rng.nextInt(56) : rng.nextInt(40));
          }
        }
        lab.write(label);
      }
    }
  }

  /** Mean loss of the train net over a few batches, without learning. */
  private static double meanLoss(Net net) {
    double sum = 0;
    for (int i = 0; i < 4; i++) {
      sum += net.forward();
    }
    return sum / 4;
  }

  private void trainsDown(String solverFile, int iterations) {
    SolverParameter file = NetFiles.readSolver(Path.of(solverFile));
    Path netFile = Path.of(file.getNet()).toAbsolutePath();
    String netText = org.kaffee.io.ProtoFiles.readString(netFile)
        .replace("\"data/", "\"" + work.resolve("data") + "/");
    SolverParameter param = file.toBuilder().clearNet()
        .setNetParam(org.kaffee.io.ProtoFiles.parseText(netText, netFile.toString(),
            org.kaffee.proto.Caffe.NetParameter.newBuilder()))
        .setMaxIter(iterations).setTestInterval(0).clearTestIter().setSnapshot(0)
        .setSnapshotAfterTrain(false).setDisplay(0)
        .setSnapshotPrefix(work.resolve("snap").toString()).build();
    Solver solver = Solvers.create(param);
    double before = meanLoss(solver.net());
    solver.step(iterations);
    double after = meanLoss(solver.net());
    assertTrue(after < 0.8 * before, solverFile + ": loss " + before + " -> " + after);
  }

  @Test
  void lenetLearns() {
    trainsDown("solvers/lenet_solver.prototxt", 40);
  }

  @Test
  void mlpLearns() {
    trainsDown("solvers/mlp_adam_solver.prototxt", 40);
  }

  @Test
  void siameseLearns() {
    trainsDown("solvers/siamese_solver.prototxt", 60);
  }

  @Test
  void finetuneNetLearns() {
    trainsDown("solvers/finetune_solver.prototxt", 40);
  }
}
