package org.kaffee.solver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.kaffee.core.Blob;
import org.kaffee.core.DataView;
import org.kaffee.parallel.SingleProcess;
import org.kaffee.proto.Caffe.SolverParameter;
import org.kaffee.testing.QuietLog;

/**
 * SGD's and Nesterov's one-pass updates: Caffe's formulas in float32 with each axpy one fused
 * multiply-add, to the last bit, and within a rounding of the separate BLAS steps (which round
 * the tail of an axpy twice, depending on OpenBLAS's kernel).
 */
@ExtendWith(QuietLog.class)
class MomentumInOnePassTest {
  private static final float[] LR = {1f, 2f, 0f};
  private static final float[] DECAY = {1f, 0f, 1f};

  /** SGD taking the separate steps for every param. */
  private static final class SgdInSteps extends SgdSolver {
    SgdInSteps(SolverParameter param) {
      super(param, SingleProcess.INSTANCE);
    }

    @Override
    protected boolean updateInOnePass(int id, float rate) {
      return false;
    }
  }

  /** Nesterov taking the separate steps for every param. */
  private static final class NesterovInSteps extends NesterovSolver {
    NesterovInSteps(SolverParameter param) {
      super(param, SingleProcess.INSTANCE);
    }

    @Override
    protected boolean updateInOnePass(int id, float rate) {
      return false;
    }
  }

  private static List<Blob> params() {
    Random r = new Random(3);
    List<Blob> out = new ArrayList<>();
    for (int[] shape : new int[][] {{20, 1, 5, 5}, {20}, {500, 80}}) {
      Blob b = new Blob(shape);
      DataView v = b.dataView();
      for (int i = 0; i < b.count(); i++) {
        v.set(i, r.nextGaussian() * 0.1);
      }
      out.add(b);
    }
    return out;
  }

  private static void setGradients(List<Blob> params, long seed) {
    Random r = new Random(seed);
    for (Blob b : params) {
      DataView g = b.diffView();
      for (int i = 0; i < b.count(); i++) {
        g.set(i, r.nextGaussian() * 0.01);
      }
    }
  }

  /**
   * Caffe's SGD or Nesterov (sgd_solver.cpp, nesterov_solver.cpp) for one param in float32, each
   * axpy one rounding: {weights, momentum, the update left in the diff}.
   */
  private static float[][] caffe(boolean nesterov, float[] w, float[] h, float[] g, float rate, float momentum,
      float decay, int iterSize) {
    float[] weights = w.clone();
    float[] moments = h.clone();
    float[] updates = new float[w.length];
    for (int i = 0; i < w.length; i++) {
      float grad = iterSize == 1 ? g[i] : g[i] * (1f / iterSize);
      grad = Math.fma(decay, weights[i], grad);
      float previous = moments[i];
      moments[i] = Math.fma(rate, grad, momentum * moments[i]);
      // Nesterov: caffe_cpu_axpby(1 + momentum, h, -momentum, previous h)
      updates[i] = nesterov ? Math.fma(1f + momentum, moments[i], -momentum * previous) : moments[i];
      weights[i] -= updates[i];
    }
    return new float[][] {weights, moments, updates};
  }

  private static float[] floats(org.nd4j.linalg.api.ndarray.INDArray a) {
    return a.dup().data().asFloat();
  }

  private static void matchesCaffeAndTheSteps(SolverParameter param) {
    boolean nesterov = param.getType().equals("Nesterov");
    List<Blob> fused = params();
    List<Blob> steps = params();
    GradientSolver onePass = ParameterNets.solver(param, fused, LR, DECAY);
    GradientSolver separate = ParameterNets.solver(param, steps, LR, DECAY,
        nesterov ? NesterovInSteps::new : SgdInSteps::new);
    for (int it = 0; it < 5; it++) {
      setGradients(fused, it);
      setGradients(steps, it);
      float rate = onePass.learningRate();
      float[][] expected = new float[fused.size()][];
      float[][] expectedMoments = new float[fused.size()][];
      float[][] expectedUpdates = new float[fused.size()][];
      for (int i = 0; i < fused.size(); i++) {
        float[][] caffe = caffe(nesterov, floats(fused.get(i).data()), floats(onePass.history().get(i).data()),
            floats(fused.get(i).diff()), rate * LR[i], param.getMomentum(),
            param.getWeightDecay() * DECAY[i], param.getIterSize());
        expected[i] = caffe[0];
        expectedMoments[i] = caffe[1];
        expectedUpdates[i] = caffe[2];
      }
      onePass.applyUpdate();
      separate.applyUpdate();
      for (int i = 0; i < fused.size(); i++) {
        String what = "param " + i + " after iteration " + it;
        assertArrayEquals(expected[i], floats(fused.get(i).data()), "weights of " + what);
        assertArrayEquals(expectedMoments[i], floats(onePass.history().get(i).data()), "momentum of " + what);
        assertArrayEquals(expectedUpdates[i], floats(fused.get(i).diff()), "update left in the diff of " + what);
        assertArrayEquals(floats(steps.get(i).data()), floats(fused.get(i).data()), 1e-6f, "steps' weights, " + what);
      }
    }
  }

  private static SolverParameter.Builder lenet() {
    return SolverParameter.newBuilder().setType("SGD").setBaseLr(0.01f).setLrPolicy("inv").setGamma(1e-4f)
        .setPower(0.75f).setMomentum(0.9f).setWeightDecay(5e-4f);
  }

  @Test
  void lenetsRecipeIsCaffesSgd() {
    matchesCaffeAndTheSteps(lenet().build());
  }

  @Test
  void iterSizeAndNoMomentumAreCaffesSgd() {
    matchesCaffeAndTheSteps(lenet().setIterSize(3).setMomentum(0).build());
  }

  @Test
  void lenetsRecipeWithNesterovIsCaffesNesterov() {
    matchesCaffeAndTheSteps(lenet().setType("Nesterov").build());
  }

  @Test
  void nesterovWithIterSizeAndNoDecayIsCaffes() {
    matchesCaffeAndTheSteps(lenet().setType("Nesterov").setIterSize(2).setWeightDecay(0).build());
  }

  @Test
  void l1DecayIsLeftToTheSteps() {
    GradientSolver solver = ParameterNets.solver(lenet().setRegularizationType("L1").build(), params(), LR, DECAY);
    assertFalse(solver.updateInOnePass(0, 0.01f), "a param with L1 decay");
  }
}
