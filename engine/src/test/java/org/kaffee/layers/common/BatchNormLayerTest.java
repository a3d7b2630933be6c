package org.kaffee.layers.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.kaffee.layers.common.LayerFixture.*;
import static org.kaffee.testing.DoubleLayers.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kaffee.core.Blob;
import org.kaffee.core.DataView;
import org.kaffee.core.KaffeeException;
import org.kaffee.testing.GradientChecker;
import org.kaffee.testing.TestBlobs;

class BatchNormLayerTest {
  // Two items, two channels, two positions: channel 0 holds 1,2,3,4 and channel 1 holds 0,0,4,8.
  private static Blob input() {
    return TestBlobs.of(new double[] {1, 2, 0, 0, 3, 4, 4, 8}, 2, 2, 2);
  }

  @Test
  void trainNormalisesPerChannelAndUpdatesRunningSums() {
    BatchNormLayer bn = layer(BatchNormLayer::new, "type: 'BatchNorm' phase: TRAIN "
        + "batch_norm_param { eps: 0 moving_average_fraction: 0.5 }");
    Blob x = input();
    List<Blob> top = forward(bn, 1, x);
    double s0 = Math.sqrt(1.25);
    double s1 = Math.sqrt(11);
    assertValues(new double[] {-1.5 / s0, -0.5 / s0, -3 / s1, -3 / s1, 0.5 / s0, 1.5 / s0, 1 / s1, 5 / s1},
        top.get(0), 1e-12);
    // mean 2.5 and 3; variance (biased) 1.25 and 11, corrected by m/(m-1) = 4/3; factor 1.
    assertValues(new double[] {2.5, 3}, bn.blobs().get(0), 1e-12);
    assertValues(new double[] {1.25 * 4 / 3, 11 * 4 / 3.0}, bn.blobs().get(1), 1e-12);
    assertValues(new double[] {1}, bn.blobs().get(2), 0);
    run(bn, list(x), top);
    assertValues(new double[] {2.5 * 1.5, 3 * 1.5}, bn.blobs().get(0), 1e-12);
    assertValues(new double[] {1.5}, bn.blobs().get(2), 1e-12);
  }

  @Test
  void testWithUnsetStatsDividesBySqrtEps() {
    BatchNormLayer bn = layer(BatchNormLayer::new, "type: 'BatchNorm' phase: TEST");
    Blob x = input();
    List<Blob> top = tops(1);
    bn.setUp(list(x), top);
    bn.blobs().get(0).dataView().set(0, 100);  // ignored: the factor is 0
    run(bn, list(x), top);
    double[] xs = TestBlobs.data(x);
    double[] expected = new double[xs.length];
    for (int i = 0; i < xs.length; i++) {
      expected[i] = xs[i] / Math.sqrt(1e-5);
    }
    assertValues(expected, top.get(0), 1e-3);
  }

  @Test
  void testUsesStoredStatsDividedByTheFactor() {
    BatchNormLayer bn = layer(BatchNormLayer::new, "type: 'BatchNorm' phase: TEST batch_norm_param { eps: 0 }");
    Blob x = input();
    List<Blob> top = tops(1);
    bn.setUp(list(x), top);
    DataView mean = bn.blobs().get(0).dataView();
    DataView var = bn.blobs().get(1).dataView();
    mean.set(0, 4);
    mean.set(1, 2);
    var.set(0, 8);
    var.set(1, 32);
    bn.blobs().get(2).dataView().set(0, 2);
    run(bn, list(x), top);
    // channel 0: (x - 2) / 2; channel 1: (x - 1) / 4
    assertValues(new double[] {-0.5, 0, -0.25, -0.25, 0.5, 1, 0.75, 1.75}, top.get(0), 1e-12);
    top.get(0).diff().assign(1);
    bn.backward(top, new boolean[] {true}, list(x));
    assertDiff(new double[] {0.5, 0.5, 0.25, 0.25, 0.5, 0.5, 0.25, 0.25}, x, 1e-12);
    assertEquals(0.0, bn.blobs().get(0).diff().sumNumber().doubleValue());
  }

  @Test
  void useGlobalStatsOverridesThePhase() {
    BatchNormLayer bn = layer(BatchNormLayer::new, "type: 'BatchNorm' phase: TRAIN "
        + "batch_norm_param { use_global_stats: true }");
    Blob x = input();
    List<Blob> top = forward(bn, 1, x);
    assertValues(new double[] {0}, bn.blobs().get(2), 0);
  }

  @Test
  void rejectsLearnableStatistics() {
    BatchNormLayer bn = layer(BatchNormLayer::new, "type: 'BatchNorm' param { lr_mult: 1 }");
    assertThrows(KaffeeException.class, () -> bn.setUp(list(input()), tops(1)));
  }

  @Test
  void trainGradient() {
    BatchNormLayer bn = layer(BatchNormLayer::new, "type: 'BatchNorm' phase: TRAIN");
    new GradientChecker(1e-2, 1e-3).checkGradient(bn, list(TestBlobs.gaussian(5, 1, 2, 3, 2, 2)), tops(1));
  }

  @Test
  void inPlaceMatchesOutOfPlace() {
    assertInPlaceMatchesOutOfPlace(
        () -> layer(BatchNormLayer::new, "type: 'BatchNorm' phase: TRAIN"), 6, 7, 3, 2, 2);
  }

  @Test
  void globalStatsGradientIsDyOverStd() {
    BatchNormLayer bn = layer(BatchNormLayer::new, "type: 'BatchNorm' phase: TEST batch_norm_param { eps: 0.5 }");
    Blob x = TestBlobs.gaussian(5, 1, 2, 3);
    List<Blob> top = forward(bn, 1, x);
    top.get(0).diff().assign(2);
    bn.backward(top, new boolean[] {true}, list(x));
    double g = 2 / Math.sqrt(0.5);
    assertDiff(new double[] {g, g, g, g, g, g}, x, 1e-12);
  }
}
