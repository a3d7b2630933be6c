package org.kaffee.solver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.kaffee.core.Blob;
import org.kaffee.core.DataView;
import org.kaffee.core.KaffeeException;
import org.kaffee.proto.Caffe.SolverParameter;
import org.kaffee.testing.QuietLog;

/**
 * The update arithmetic of every rule against a plain per-element double-precision
 * transcription of Caffe's formulas, over several iterations (so the histories matter),
 * with weight decay (L1/L2, decay_mult), lr_mult (including 0), clipping and iter_size.
 */
@ExtendWith(QuietLog.class)
class UpdateRuleTest {
  private static final int[][] SHAPES = {{2, 3}, {2}, {4}};
  private static final float[] LR_MULT = {1f, 2f, 0f};
  private static final float[] DECAY_MULT = {1f, 0f, 1f};

  /** A solver of {@code type} whose params take the values of {@code params}, and their places. */
  static GradientSolver create(String type, SolverParameter param, List<Blob> params) {
    return ParameterNets.solver(param.toBuilder().setType(type).build(), params, LR_MULT, DECAY_MULT);
  }

  static List<Blob> params(long seed) {
    Random rng = new Random(seed);
    List<Blob> out = new ArrayList<>();
    for (int[] shape : SHAPES) {
      Blob b = new Blob(shape);
      DataView v = b.dataView();
      for (int i = 0; i < b.count(); i++) {
        v.set(i, rng.nextGaussian());
      }
      out.add(b);
    }
    return out;
  }

  /** Reference state: weights and histories in double. */
  static final class Reference {
    final String type;
    final SolverParameter p;
    final double[][] w;
    final double[][] h1;
    final double[][] h2;
    int iter;

    Reference(String type, SolverParameter p, List<Blob> params) {
      this.type = type;
      this.p = p;
      w = new double[params.size()][];
      h1 = new double[params.size()][];
      h2 = new double[params.size()][];
      for (int i = 0; i < params.size(); i++) {
        w[i] = new double[params.get(i).count()];
        for (int k = 0; k < w[i].length; k++) {
          w[i][k] = params.get(i).dataView().get(k);
        }
        h1[i] = new double[w[i].length];
        h2[i] = new double[w[i].length];
      }
    }

    void step(double[][] grad, double rate) {
      double[][] g = new double[grad.length][];
      double sumsq = 0;
      for (int i = 0; i < grad.length; i++) {
        g[i] = grad[i].clone();
        for (double v : g[i]) {
          sumsq += v * v;
        }
      }
      double clip = p.getClipGradients();
      if (clip >= 0 && Math.sqrt(sumsq) > clip) {
        double s = clip / Math.sqrt(sumsq);
        for (double[] gi : g) {
          for (int k = 0; k < gi.length; k++) {
            gi[k] *= s;
          }
        }
      }
      for (int i = 0; i < g.length; i++) {
        double local = rate * LR_MULT[i];
        double decay = p.getWeightDecay() * DECAY_MULT[i];
        for (int k = 0; k < g[i].length; k++) {
          double gk = g[i][k] / p.getIterSize();
          if (p.getRegularizationType().equals("L1")) {
            gk += decay * Math.signum(w[i][k]);
          } else {
            gk += decay * w[i][k];
          }
          double m = p.getMomentum();
          double delta = p.getDelta();
          double u;
          switch (type) {
            case "SGD":
              h1[i][k] = m * h1[i][k] + local * gk;
              u = h1[i][k];
              break;
            case "Nesterov": {
              double old = h1[i][k];
              h1[i][k] = m * h1[i][k] + local * gk;
              u = (1 + m) * h1[i][k] - m * old;
              break;
            }
            case "AdaGrad":
              h1[i][k] += gk * gk;
              u = local * gk / (Math.sqrt(h1[i][k]) + delta);
              break;
            case "RMSProp": {
              double d = p.getRmsDecay();
              h1[i][k] = d * h1[i][k] + (1 - d) * gk * gk;
              u = local * gk / (Math.sqrt(h1[i][k]) + delta);
              break;
            }
            case "AdaDelta": {
              h1[i][k] = m * h1[i][k] + (1 - m) * gk * gk;
              double step = gk * Math.sqrt((h2[i][k] + delta) / (h1[i][k] + delta));
              h2[i][k] = m * h2[i][k] + (1 - m) * step * step;
              u = local * step;
              break;
            }
            case "Adam": {
              double b1 = p.getMomentum();
              double b2 = p.getMomentum2();
              int t = iter + 1;
              double corr = Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t));
              h1[i][k] = b1 * h1[i][k] + (1 - b1) * gk;
              h2[i][k] = b2 * h2[i][k] + (1 - b2) * gk * gk;
              u = local * corr * h1[i][k] / (Math.sqrt(h2[i][k]) + delta);
              break;
            }
            default:
              throw new IllegalArgumentException(type);
          }
          w[i][k] -= u;
        }
      }
      iter++;
    }
  }

  static SolverParameter.Builder base(String type) {
    SolverParameter.Builder b = SolverParameter.newBuilder().setType(type).setBaseLr(0.01f)
        .setLrPolicy("fixed").setWeightDecay(0.1f);
    switch (type) {
      case "SGD":
      case "Nesterov":
        b.setMomentum(0.9f);
        break;
      case "AdaDelta":
        b.setMomentum(0.95f).setDelta(1e-6f).setBaseLr(1f);
        break;
      case "Adam":
        b.setMomentum(0.9f).setMomentum2(0.999f).setDelta(1e-8f);
        break;
      case "RMSProp":
        b.setRmsDecay(0.95f).setDelta(1e-6f);
        break;
      default:
        break;
    }
    return b;
  }

  /** Runs 4 iterations with random gradients on both, comparing the weights after each. */
  static void runAndCompare(String type, SolverParameter param) {
    List<Blob> params = params(7);
    Reference ref = new Reference(type, param, params);
    GradientSolver solver = create(type, param, params);
    Random rng = new Random(11);
    for (int it = 0; it < 4; it++) {
      double[][] grad = new double[params.size()][];
      for (int i = 0; i < params.size(); i++) {
        Blob b = params.get(i);
        grad[i] = new double[b.count()];
        DataView d = b.diffView();
        for (int k = 0; k < b.count(); k++) {
          grad[i][k] = (float) rng.nextGaussian();
          d.set(k, grad[i][k]);
        }
      }
      double rate = solver.learningRate();
      solver.applyUpdate();
      ref.step(grad, rate);
      for (int i = 0; i < params.size(); i++) {
        DataView v = params.get(i).dataView();
        for (int k = 0; k < ref.w[i].length; k++) {
          assertEquals(ref.w[i][k], v.get(k), 2e-5 * Math.max(1, Math.abs(ref.w[i][k])),
              type + " iteration " + it + " param " + i + " element " + k);
        }
      }
    }
    assertEquals(4, solver.iter());
  }

  @ParameterizedTest
  @ValueSource(strings = {"SGD", "Nesterov", "AdaGrad", "RMSProp", "AdaDelta", "Adam"})
  void everyRuleMatchesTheFormulasWithL2Decay(String type) {
    runAndCompare(type, base(type).build());
  }

  @ParameterizedTest
  @ValueSource(strings = {"SGD", "Nesterov", "AdaGrad", "RMSProp", "AdaDelta", "Adam"})
  void everyRuleMatchesWithL1DecayAndClipping(String type) {
    runAndCompare(type, base(type).setRegularizationType("L1").setClipGradients(0.5f).build());
  }

  @ParameterizedTest
  @ValueSource(strings = {"SGD", "Adam"})
  void iterSizeNormalizesTheAccumulatedGradient(String type) {
    runAndCompare(type, base(type).setIterSize(2).build());
  }

  @Test
  void lrMultZeroLeavesTheParamUntouched() {
    List<Blob> params = params(3);
    float[] before = NetOutputs.values(params.get(2));
    GradientSolver s = create("SGD", base("SGD").setWeightDecay(0).build(), params);
    for (int it = 0; it < 3; it++) {
      params.get(2).diff().assign(1.5);
      s.applyUpdate();
    }
    float[] after = NetOutputs.values(params.get(2));
    for (int k = 0; k < before.length; k++) {
      assertEquals(before[k], after[k], 0f);
    }
  }

  @Test
  void sgdFirstStepIsRateTimesGradientPlusDecay() {
    List<Blob> params = new ArrayList<>(List.of(new Blob(1)));
    params.get(0).data().assign(2);
    params.get(0).diff().assign(3);
    GradientSolver s = create("SGD", base("SGD").setBaseLr(0.5f).setWeightDecay(0.25f).build(), params);
    s.applyUpdate();
    // w = 2 - 0.5 * (3 + 0.25 * 2) = 0.25
    assertEquals(0.25, params.get(0).dataView().get(0), 1e-7);
  }

  @Test
  void clippingScalesTheGradientToTheThreshold() {
    List<Blob> params = new ArrayList<>(List.of(new Blob(2)));
    params.get(0).diffView().set(0, 3);
    params.get(0).diffView().set(1, 4);
    GradientSolver s = create("SGD", base("SGD").setMomentum(0).setWeightDecay(0).setBaseLr(1f)
        .setClipGradients(1f).build(), params);
    s.applyUpdate();
    assertEquals(-0.6, params.get(0).dataView().get(0), 1e-6);
    assertEquals(-0.8, params.get(0).dataView().get(1), 1e-6);
  }

  @Test
  void historyHasTwoSetsForAdaDeltaAndAdam() {
    assertEquals(3, create("SGD", base("SGD").build(), params(1)).history().size());
    assertEquals(6, create("AdaDelta", base("AdaDelta").build(), params(1)).history().size());
    assertEquals(6, create("Adam", base("Adam").build(), params(1)).history().size());
  }

  @Test
  void sanityChecksRejectMomentumForAdaGradAndRmsProp() {
    KaffeeException e = assertThrows(KaffeeException.class,
        () -> create("AdaGrad", base("AdaGrad").setMomentum(0.9f).build(), params(1)));
    assertTrue(e.getMessage().contains("AdaGrad"), e.getMessage());
    assertThrows(KaffeeException.class,
        () -> create("RMSProp", base("RMSProp").setMomentum(0.9f).build(), params(1)));
    assertThrows(KaffeeException.class,
        () -> create("RMSProp", base("RMSProp").setRmsDecay(1f).build(), params(1)));
  }
}
