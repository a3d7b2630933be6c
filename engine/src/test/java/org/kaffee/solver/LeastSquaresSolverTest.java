package org.kaffee.solver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kaffee.core.Blob;
import org.kaffee.core.KaffeeException;
import org.kaffee.io.ProtoFiles;
import org.kaffee.io.WorkDir;
import org.kaffee.proto.Caffe.SolverParameter;
import org.kaffee.testing.QuietLog;

/**
 * Closed-form checks of whole solver iterations on a least-squares problem, like Caffe's
 * test_gradient_based_solver.cpp: HDF5Data (8 fixed rows of 3 inputs and 1 target) ->
 * InnerProduct (1 output, lr_mult 1/2, decay_mult 1/0) -> EuclideanLoss. The test computes
 * the gradient of {@code 1/(2N) sum (w.x + b - y)^2} in double and applies Caffe's formulas
 * ({@link UpdateRuleTest.Reference}); the solver must follow after every iteration.
 */
@ExtendWith(QuietLog.class)
class LeastSquaresSolverTest {
  private static final int N = 8;
  private static final int K = 3;

  @TempDir
  Path dir;
  private Path savedWorkDir;
  private final double[][] x = new double[N][K];
  private final double[] y = new double[N];

  @BeforeEach
  void data() throws Exception {
    savedWorkDir = WorkDir.get();
    WorkDir.set(dir);
    Random rng = new Random(5);
    float[][] xs = new float[N][K];
    float[][] ys = new float[N][1];
    for (int n = 0; n < N; n++) {
      for (int k = 0; k < K; k++) {
        xs[n][k] = (float) rng.nextGaussian();
        x[n][k] = xs[n][k];
      }
      ys[n][0] = (float) rng.nextGaussian();
      y[n] = ys[n][0];
    }
    try (WritableHdfFile file = HdfFile.write(dir.resolve("data.h5"))) {
      file.putDataset("data", xs);
      file.putDataset("targets", ys);
    }
    Files.writeString(dir.resolve("list.txt"), dir.resolve("data.h5") + "\n");
  }

  @AfterEach
  void restoreWorkDir() {
    WorkDir.set(savedWorkDir);
  }

  private String net(int batch, String biasParam) {
    return "net_param { name: \"lsq\"\n"
        + " layer { name: \"data\" type: \"HDF5Data\" top: \"data\" top: \"targets\"\n"
        + "   hdf5_data_param { source: \"list.txt\" batch_size: " + batch + " } }\n"
        + " layer { name: \"ip\" type: \"InnerProduct\" bottom: \"data\" top: \"ip\"\n"
        + "   param { lr_mult: 1 decay_mult: 1 } " + biasParam + "\n"
        + "   inner_product_param { num_output: 1\n"
        + "     weight_filler { type: \"gaussian\" std: 1 } bias_filler { type: \"gaussian\" std: 1 } } }\n"
        + " layer { name: \"loss\" type: \"EuclideanLoss\" bottom: \"ip\" bottom: \"targets\" top: \"loss\" }\n"
        + "}\n";
  }

  private SolverParameter.Builder solverParam(String type, int batch) {
    SolverParameter.Builder b = UpdateRuleTest.base(type);
    ProtoFiles.parseText(net(batch, "param { lr_mult: 2 decay_mult: 0 }"), "test", b);
    return b.setRandomSeed(1701).setMaxIter(100).setSnapshotPrefix(dir.resolve("lsq").toString());
  }

  /** d/dw and d/db of 1/(2N) sum (w.x + b - y)^2 at the reference weights. */
  private double[][] gradient(double[][] w) {
    double[] gw = new double[K];
    double gb = 0;
    for (int n = 0; n < N; n++) {
      double r = w[1][0] - y[n];
      for (int k = 0; k < K; k++) {
        r += w[0][k] * x[n][k];
      }
      for (int k = 0; k < K; k++) {
        gw[k] += r * x[n][k] / N;
      }
      gb += r / N;
    }
    return new double[][] {gw, {gb}};
  }

  private static double expectedRate(SolverParameter p, int iter) {
    double base = p.getBaseLr();
    switch (p.getLrPolicy()) {
      case "fixed": return base;
      case "step": return base * Math.pow(p.getGamma(), iter / p.getStepsize());
      case "exp": return base * Math.pow(p.getGamma(), iter);
      case "inv": return base * Math.pow(1 + p.getGamma() * iter, -p.getPower());
      case "multistep": {
        int step = 0;
        for (int v : p.getStepvalueList()) {
          if (iter >= v) {
            step++;
          }
        }
        return base * Math.pow(p.getGamma(), step);
      }
      case "poly": return base * Math.pow(1 - (double) iter / p.getMaxIter(), p.getPower());
      case "sigmoid": return base / (1 + Math.exp(-p.getGamma() * (iter - p.getStepsize())));
      default: throw new IllegalArgumentException(p.getLrPolicy());
    }
  }

  private void runAgainstReference(SolverParameter param, int iterations) {
    Solver solver = Solvers.create(param);
    List<Blob> params = solver.net().learnableParams();
    assertEquals(2, params.size());
    UpdateRuleTest.Reference ref = new UpdateRuleTest.Reference(param.getType(), param, params);
    for (int it = 0; it < iterations; it++) {
      double[][] grad = gradient(ref.w);
      double rate = expectedRate(param, it);
      solver.step(1);
      ref.step(grad, rate);
      for (int i = 0; i < 2; i++) {
        for (int k = 0; k < ref.w[i].length; k++) {
          assertEquals(ref.w[i][k], params.get(i).dataView().get(k),
              1e-4 * Math.max(1, Math.abs(ref.w[i][k])),
              param.getType() + "/" + param.getLrPolicy() + " iteration " + it + " param " + i);
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"SGD", "Nesterov", "AdaGrad", "RMSProp", "AdaDelta", "Adam"})
  void everyRuleFollowsTheClosedForm(String type) {
    runAgainstReference(solverParam(type, N).build(), 5);
  }

  @ParameterizedTest
  @ValueSource(strings = {"SGD", "Nesterov", "AdaGrad", "RMSProp", "AdaDelta", "Adam"})
  void everyRuleWithL1DecayAndClipping(String type) {
    runAgainstReference(solverParam(type, N).setRegularizationType("L1").setClipGradients(0.1f)
        .build(), 4);
  }

  @ParameterizedTest
  @ValueSource(strings = {"fixed", "step", "exp", "inv", "multistep", "poly", "sigmoid"})
  void everyLearningRatePolicy(String policy) {
    SolverParameter.Builder b = solverParam("SGD", N).setLrPolicy(policy).setBaseLr(0.1f)
        .setGamma(0.5f).setPower(0.75f).setStepsize(2).setMaxIter(10)
        .addStepvalue(1).addStepvalue(3);
    runAgainstReference(b.build(), 5);
  }

  @Test
  void lrMultZeroFreezesTheBias() {
    SolverParameter.Builder b = UpdateRuleTest.base("SGD");
    ProtoFiles.parseText(net(N, "param { lr_mult: 0 }"), "test", b);
    Solver solver = Solvers.create(b.setRandomSeed(3).setMaxIter(10).build());
    Blob bias = solver.net().layerByName("ip").blobs().get(1);
    Blob weight = solver.net().layerByName("ip").blobs().get(0);
    float before = (float) bias.dataView().get(0);
    float weightBefore = (float) weight.dataView().get(0);
    solver.step(3);
    assertEquals(before, (float) bias.dataView().get(0), 0f);
    assertTrue(weightBefore != (float) weight.dataView().get(0));
  }

  @Test
  void iterSizeTwoWithHalfBatchesEqualsOneFullBatch() {
    Solver full = Solvers.create(solverParam("SGD", N).build());
    full.step(3);
    Solver halves = Solvers.create(solverParam("SGD", N / 2).setIterSize(2).build());
    halves.step(3);
    for (int i = 0; i < 2; i++) {
      float[] a = NetOutputs.values(full.net().learnableParams().get(i));
      float[] b = NetOutputs.values(halves.net().learnableParams().get(i));
      for (int k = 0; k < a.length; k++) {
        assertEquals(a[k], b[k], 1e-6, "param " + i + " element " + k);
      }
    }
  }

  private void resumeEqualsUninterrupted(String type, SolverParameter.SnapshotFormat format,
      String stateExt) {
    SolverParameter param = solverParam(type, N).setMaxIter(6).setSnapshot(3)
        .setSnapshotFormat(format).build();
    Solver straight = Solvers.create(param);
    straight.solve();
    Solver resumed = Solvers.create(param.toBuilder().setSnapshotPrefix(
        dir.resolve("again").toString()).setRandomSeed(99).build());
    resumed.restore(dir.resolve("lsq_iter_3" + stateExt));
    assertEquals(3, resumed.iter());
    resumed.solve();
    assertEquals(6, resumed.iter());
    for (int i = 0; i < 2; i++) {
      assertArrayEquals(NetOutputs.values(straight.net().learnableParams().get(i)),
          NetOutputs.values(resumed.net().learnableParams().get(i)), "param " + i);
    }
    for (int i = 0; i < straight.history().size(); i++) {
      assertArrayEquals(NetOutputs.values(straight.history().get(i)),
          NetOutputs.values(resumed.history().get(i)), "history " + i);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"SGD", "Nesterov", "AdaGrad", "RMSProp", "AdaDelta", "Adam"})
  void resumeFromBinarySnapshotEqualsAnUninterruptedRun(String type) {
    resumeEqualsUninterrupted(type, SolverParameter.SnapshotFormat.BINARYPROTO, ".solverstate");
    assertTrue(Files.exists(dir.resolve("lsq_iter_6.caffemodel")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"SGD", "Adam"})
  void resumeFromHdf5SnapshotEqualsAnUninterruptedRun(String type) {
    resumeEqualsUninterrupted(type, SolverParameter.SnapshotFormat.HDF5, ".solverstate.h5");
    try (HdfFile model = new HdfFile(dir.resolve("lsq_iter_6.caffemodel.h5"));
        HdfFile state = new HdfFile(dir.resolve("lsq_iter_6.solverstate.h5"))) {
      io.jhdf.api.Group data = (io.jhdf.api.Group) model.getChild("data");
      assertEquals(java.util.Set.of("data", "ip", "loss"), data.getChildren().keySet());
      assertEquals(0, ((io.jhdf.api.Group) data.getChild("data")).getChildren().size());
      assertArrayEquals(new int[] {1, K}, model.getDatasetByPath("data/ip/0").getDimensions());
      assertArrayEquals(new int[] {1}, model.getDatasetByPath("data/ip/1").getDimensions());
      assertArrayEquals(new int[] {6}, (int[]) state.getDatasetByPath("iter").getData());
      int sets = type.equals("Adam") ? 4 : 2;
      assertEquals(sets, ((io.jhdf.api.Group) state.getChild("history")).getChildren().size());
    }
  }

  @Test
  void multistepResumesItsCurrentStep() {
    SolverParameter param = solverParam("SGD", N).setLrPolicy("multistep").setGamma(0.5f)
        .addStepvalue(2).addStepvalue(4).setMaxIter(6).setSnapshot(3).build();
    Solver straight = Solvers.create(param);
    straight.solve();
    Solver resumed = Solvers.create(param.toBuilder()
        .setSnapshotPrefix(dir.resolve("again").toString()).build());
    resumed.restore(dir.resolve("lsq_iter_3.solverstate"));
    assertEquals(1, resumed.currentStep());
    resumed.solve();
    assertArrayEquals(NetOutputs.values(straight.net().learnableParams().get(0)),
        NetOutputs.values(resumed.net().learnableParams().get(0)));
  }

  @Test
  void historyOfTheWrongSolverTypeIsRejected() {
    SolverParameter param = solverParam("SGD", N).setMaxIter(1).build();
    Solvers.create(param).solve();
    Solver adam = Solvers.create(solverParam("Adam", N).setMaxIter(1).build());
    KaffeeException e = assertThrows(KaffeeException.class,
        () -> adam.restore(dir.resolve("lsq_iter_1.solverstate")));
    assertTrue(e.getMessage().contains("history"), e.getMessage());
  }

  @Test
  void divergenceStopsNamingTheIterationAndLayer() {
    SolverParameter param = solverParam("SGD", N).setBaseLr(1e12f).setMomentum(0).setMaxIter(50)
        .setSnapshot(1).build();
    Solver solver = Solvers.create(param);
    KaffeeException e = assertThrows(KaffeeException.class, solver::solve);
    assertTrue(e.getMessage().startsWith("iteration "), e.getMessage());
    // the weights overflow in iteration 1's update; the loss top is the first to become inf
    assertTrue(e.getMessage().startsWith("iteration 2: the loss is inf; first non-finite output:"
        + " top 'loss' of layer 'loss' (EuclideanLoss)"), e.getMessage());
    // the last good snapshot (iteration 2 weights are finite, iteration 3 is never written)
    assertTrue(Files.exists(dir.resolve("lsq_iter_2.caffemodel")));
    assertTrue(!Files.exists(dir.resolve("lsq_iter_3.caffemodel")));
  }
}
