package org.kaffee.layers.common;

import static org.kaffee.layers.common.LayerFixture.*;
import static org.kaffee.testing.DoubleLayers.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kaffee.core.Blob;
import org.kaffee.testing.GradientChecker;
import org.kaffee.testing.TestBlobs;

class EltwiseLayerTest {
  private final Blob a = TestBlobs.of(new double[] {1, -2, 3, 4}, 2, 2);
  private final Blob b = TestBlobs.of(new double[] {0.5, 5, -1, 4}, 2, 2);
  private final Blob c = TestBlobs.of(new double[] {2, 2, 2, 7}, 2, 2);

  private Blob forward(String p, Blob... bottoms) {
    EltwiseLayer e = layer(EltwiseLayer::new, "type: 'Eltwise' eltwise_param { " + p + " }");
    return org.kaffee.testing.DoubleLayers.forward(e, 1, bottoms).get(0);
  }

  @Test
  void sumWithCoefficients() {
    assertValues(new double[] {0.75, -4.5, 3.5, 2}, forward("operation: SUM coeff: 1 coeff: -0.5", a, b), 1e-12);
    assertValues(new double[] {3.5, 5, 4, 15}, forward("operation: SUM", a, b, c), 1e-12);
  }

  @Test
  void productAndMax() {
    assertValues(new double[] {1, -20, -6, 112}, forward("operation: PROD", a, b, c), 1e-12);
    assertValues(new double[] {2, 5, 3, 7}, forward("operation: MAX", a, b, c), 1e-12);
  }

  @Test
  void maxRoutesGradientToTheWinner() {
    EltwiseLayer e = layer(EltwiseLayer::new, "type: 'Eltwise' eltwise_param { operation: MAX }");
    List<Blob> top = tops(1);
    List<Blob> bottom = list(a, b, c);
    e.setUp(bottom, top);
    run(e, bottom, top);
    top.get(0).diff().assign(1);
    e.backward(top, new boolean[] {true, true, true}, bottom);
    // a = b at element 3 (4 vs 4): the tie goes to b, then c = 7 wins.
    assertDiff(new double[] {0, 0, 1, 0}, a, 0);
    assertDiff(new double[] {0, 1, 0, 0}, b, 0);
    assertDiff(new double[] {1, 0, 0, 1}, c, 0);
  }

  private static List<Blob> bottoms() {
    return list(TestBlobs.uniform(1, 0.5, 1.5, 2, 3, 2), TestBlobs.uniform(2, 0.5, 1.5, 2, 3, 2),
        TestBlobs.uniform(3, -1.5, -0.5, 2, 3, 2));
  }

  @Test
  void gradients() {
    for (String p : new String[] {"operation: SUM", "operation: SUM coeff: 1 coeff: -0.5 coeff: 2",
        "operation: PROD", "operation: PROD stable_prod_grad: false"}) {
      EltwiseLayer e = layer(EltwiseLayer::new, "type: 'Eltwise' eltwise_param { " + p + " }");
      new GradientChecker(1e-2, 1e-3).checkGradientEltwise(e, bottoms(), tops(1));
    }
    EltwiseLayer max = layer(EltwiseLayer::new, "type: 'Eltwise' eltwise_param { operation: MAX }");
    new GradientChecker(1e-4, 1e-2).checkGradientEltwise(max,
        list(TestBlobs.gaussian(1, 1, 2, 3), TestBlobs.gaussian(2, 1, 2, 3), TestBlobs.gaussian(3, 1, 2, 3)),
        tops(1));
  }
}
