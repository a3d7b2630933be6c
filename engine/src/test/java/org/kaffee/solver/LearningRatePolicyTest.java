package org.kaffee.solver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.kaffee.core.Blob;
import org.kaffee.core.KaffeeException;
import org.kaffee.proto.Caffe.SolverParameter;
import org.kaffee.testing.QuietLog;

/** Every lr_policy against its closed form. */
@ExtendWith(QuietLog.class)
class LearningRatePolicyTest {
  private static GradientSolver solver(SolverParameter.Builder b) {
    return ParameterNets.solver(b.setBaseLr(0.01f).build(), new ArrayList<>(List.of(new Blob(1))),
        new float[] {1}, new float[] {1});
  }

  private static double at(GradientSolver s, int iter) {
    s.setCounters(iter, s.currentStep());
    return s.learningRate();
  }

  @Test
  void fixed() {
    GradientSolver s = solver(SolverParameter.newBuilder().setLrPolicy("fixed"));
    assertEquals(0.01, at(s, 0), 1e-9);
    assertEquals(0.01, at(s, 12345), 1e-9);
  }

  @Test
  void step() {
    GradientSolver s = solver(SolverParameter.newBuilder().setLrPolicy("step").setGamma(0.1f)
        .setStepsize(10));
    assertEquals(0.01, at(s, 9), 1e-9);
    assertEquals(0.001, at(s, 10), 1e-9);
    assertEquals(0.0001, at(s, 25), 1e-10);
    assertEquals(2, s.currentStep());
  }

  @Test
  void exp() {
    GradientSolver s = solver(SolverParameter.newBuilder().setLrPolicy("exp").setGamma(0.9f));
    assertEquals(0.01 * Math.pow(0.9f, 7), at(s, 7), 1e-9);
  }

  @Test
  void inv() {
    GradientSolver s = solver(SolverParameter.newBuilder().setLrPolicy("inv").setGamma(1e-4f)
        .setPower(0.75f));
    assertEquals(0.01, at(s, 0), 1e-9);
    assertEquals(0.01 * Math.pow(1 + 1e-4 * 5000, -0.75), at(s, 5000), 1e-8);
  }

  @Test
  void multistepAdvancesOneStepPerCallAtEachStepValue() {
    GradientSolver s = solver(SolverParameter.newBuilder().setLrPolicy("multistep").setGamma(0.5f)
        .addStepvalue(3).addStepvalue(5));
    double[] expected = {0.01, 0.01, 0.01, 0.005, 0.005, 0.0025, 0.0025};
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], at(s, i), 1e-9, "iteration " + i);
    }
    assertEquals(2, s.currentStep());
  }

  @Test
  void poly() {
    GradientSolver s = solver(SolverParameter.newBuilder().setLrPolicy("poly").setPower(2f)
        .setMaxIter(100));
    assertEquals(0.01 * 0.25, at(s, 50), 1e-9);
    assertEquals(0, at(s, 100), 1e-12);
  }

  @Test
  void sigmoid() {
    GradientSolver s = solver(SolverParameter.newBuilder().setLrPolicy("sigmoid").setGamma(0.5f)
        .setStepsize(10));
    assertEquals(0.005, at(s, 10), 1e-9);
    assertEquals(0.01 / (1 + Math.exp(-0.5 * (14 - 10))), at(s, 14), 1e-9);
  }

  @Test
  void unknownPolicyIsRejectedByName() {
    KaffeeException e = assertThrows(KaffeeException.class,
        () -> solver(SolverParameter.newBuilder().setLrPolicy("cosine")));
    assertTrue(e.getMessage().contains("cosine"), e.getMessage());
  }

  @Test
  void stepNeedsAStepsize() {
    assertThrows(KaffeeException.class,
        () -> solver(SolverParameter.newBuilder().setLrPolicy("step").setGamma(0.1f)));
  }
}
