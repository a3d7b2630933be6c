package org.kaffee.layers.recurrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kaffee.layers.recurrent.RecurrentFixture.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kaffee.core.Blob;
import org.kaffee.testing.GradientChecker;
import org.kaffee.testing.TestBlobs;

class LSTMLayerTest {
  private static final String PARAM = "type: 'LSTM' recurrent_param { num_output: 2 "
      + "weight_filler { type: 'gaussian' std: 0.5 } bias_filler { type: 'gaussian' std: 0.3 } }";

  @Test
  void paramBlobsHaveCaffesOrderAndShapes() {
    LSTMLayer lstm = layer(LSTMLayer::new, PARAM);
    List<Blob> top = tops(1);
    lstm.setUp(list(TestBlobs.gaussian(1, 1, 3, 2, 3), cont(3, 2)), top);
    assertArrayEquals(new int[] {3, 2, 2}, top.get(0).shape());
    int[][] shapes = {{8, 3}, {8}, {8, 2}};
    assertEquals(3, lstm.blobs().size());
    for (int i = 0; i < shapes.length; i++) {
      assertArrayEquals(shapes[i], lstm.blobs().get(i).shape(), "param " + i);
    }
    LSTMLayer withStatic = layer(LSTMLayer::new, PARAM);
    withStatic.setUp(list(TestBlobs.gaussian(1, 1, 3, 2, 3), cont(3, 2),
        TestBlobs.gaussian(2, 1, 2, 5)), tops(1));
    int[][] staticShapes = {{8, 3}, {8}, {8, 5}, {8, 2}};
    assertEquals(4, withStatic.blobs().size());
    for (int i = 0; i < staticShapes.length; i++) {
      assertArrayEquals(staticShapes[i], withStatic.blobs().get(i).shape(), "param " + i);
    }
  }

  /** Gate order i, f, o, g; W_xc = (0.5, -0.4, 0.3, 0.9), b_c = (0.1, 0.2, -0.3, 0.05). */
  private static void setOneUnitWeights(LSTMLayer lstm) {
    set(lstm.blobs().get(0), 0.5, -0.4, 0.3, 0.9);
    set(lstm.blobs().get(1), 0.1, 0.2, -0.3, 0.05);
    set(lstm.blobs().get(2), 1.5, -2.0, 0.7, 0.6);  // W_hc
  }

  @Test
  void forwardOneStepByHand() {
    LSTMLayer lstm = layer(LSTMLayer::new, "type: 'LSTM' recurrent_param { num_output: 1 }");
    Blob x = TestBlobs.of(new double[] {0.8}, 1, 1, 1);
    List<Blob> top = tops(1);
    lstm.setUp(list(x, cont(1, 1)), top);
    setOneUnitWeights(lstm);
    lstm.forwardWithLoss(list(x, cont(1, 1)), top);
    double i = sigmoid(0.5 * 0.8 + 0.1);
    double o = sigmoid(0.3 * 0.8 - 0.3);
    double g = Math.tanh(0.9 * 0.8 + 0.05);
    double c = i * g;  // c_0 = 0 and cont = 0
    assertValues(new double[] {o * Math.tanh(c)}, top.get(0), 1e-12);
  }

  @Test
  void exposedHiddenStateFeedsTheFirstStep() {
    LSTMLayer lstm = layer(LSTMLayer::new,
        "type: 'LSTM' recurrent_param { num_output: 1 expose_hidden: true }");
    Blob x = TestBlobs.of(new double[] {0.8}, 1, 1, 1);
    Blob c = TestBlobs.of(new double[] {1}, 1, 1);
    Blob h0 = TestBlobs.of(new double[] {0.3}, 1, 1, 1);
    Blob c0 = TestBlobs.of(new double[] {-0.6}, 1, 1, 1);
    List<Blob> top = tops(3);
    lstm.setUp(list(x, c, h0, c0), top);
    setOneUnitWeights(lstm);
    lstm.forwardWithLoss(list(x, c, h0, c0), top);
    double i = sigmoid(0.5 * 0.8 + 0.1 + 1.5 * 0.3);
    double f = sigmoid(-0.4 * 0.8 + 0.2 - 2.0 * 0.3);
    double o = sigmoid(0.3 * 0.8 - 0.3 + 0.7 * 0.3);
    double g = Math.tanh(0.9 * 0.8 + 0.05 + 0.6 * 0.3);
    double cT = f * -0.6 + i * g;
    double hT = o * Math.tanh(cT);
    assertValues(new double[] {hT}, top.get(0), 1e-12);
    assertValues(new double[] {hT}, top.get(1), 1e-12);
    assertValues(new double[] {cT}, top.get(2), 1e-12);
  }

  @Test
  void gradient() {
    LSTMLayer lstm = layer(LSTMLayer::new, PARAM);
    // stream 1 starts a new sequence at t = 1
    Blob c = cont(3, 2, 0, 0, 1, 0, 1, 1);
    new GradientChecker(1e-2, 1e-3).checkGradientExhaustive(lstm,
        list(TestBlobs.gaussian(3, 1, 3, 2, 3), c), tops(1), 0);
  }

  @Test
  void gradientWithStaticInput() {
    for (int bottom : new int[] {0, 2}) {
      LSTMLayer lstm = layer(LSTMLayer::new, PARAM);
      new GradientChecker(1e-2, 1e-3).checkGradient(lstm,
          list(TestBlobs.gaussian(4, 1, 3, 2, 3), cont(3, 2), TestBlobs.gaussian(5, 1, 2, 4)),
          tops(1), bottom);
    }
  }

  @Test
  void paramGradientsAccumulate() {
    LSTMLayer lstm = layer(LSTMLayer::new, PARAM);
    List<Blob> bottom = list(TestBlobs.gaussian(3, 1, 3, 2, 3), cont(3, 2));
    List<Blob> top = tops(1);
    lstm.setUp(bottom, top);
    lstm.forwardWithLoss(bottom, top);
    top.get(0).diff().assign(1);
    lstm.backward(top, new boolean[] {true, false}, bottom);
    double[] once = TestBlobs.diff(lstm.blobs().get(2));
    lstm.backward(top, new boolean[] {true, false}, bottom);
    double[] twice = TestBlobs.diff(lstm.blobs().get(2));
    for (int i = 0; i < once.length; i++) {
      assertEquals(2 * once[i], twice[i], 1e-12);
    }
  }

  @Test
  void contZeroMakesTheOutputIndependentOfEarlierSteps() {
    Blob c = cont(3, 2, 0, 0, 1, 1, 0, 1);
    Blob x1 = TestBlobs.gaussian(6, 1, 3, 2, 3);
    Blob x2 = TestBlobs.of(TestBlobs.data(x1), 3, 2, 3);
    for (int i = 0; i < 12; i++) {  // change steps 0 and 1 only
      x2.dataView().add(i, 0.7);
    }
    List<Blob> top1 = tops(1);
    List<Blob> top2 = tops(1);
    LSTMLayer a = layer(LSTMLayer::new, PARAM);
    a.setUp(list(x1, c), top1);
    LSTMLayer b = layer(LSTMLayer::new, PARAM);
    b.setUp(list(x2, c), top2);
    for (int i = 0; i < a.blobs().size(); i++) {
      b.blobs().get(i).data().assign(a.blobs().get(i).data());
    }
    a.forwardWithLoss(list(x1, c), top1);
    b.forwardWithLoss(list(x2, c), top2);
    assertArrayEquals(at(top1.get(0), 2, 0), at(top2.get(0), 2, 0), 1e-12);
    assertTrue(maxAbsDiff(at(top1.get(0), 2, 1), at(top2.get(0), 2, 1)) > 1e-4);
  }

  @Test
  void hiddenStateCarriesOverToTheNextBatchUnlessReset() {
    Blob x = TestBlobs.gaussian(7, 1, 3, 2, 3);
    LSTMLayer lstm = layer(LSTMLayer::new, PARAM);
    List<Blob> top = tops(1);
    lstm.setUp(list(x, cont(3, 2)), top);
    lstm.forwardWithLoss(list(x, cont(3, 2)), top);
    double[] fresh = TestBlobs.data(top.get(0));
    Blob allOnes = cont(3, 2, 1, 1, 1, 1, 1, 1);
    lstm.forwardWithLoss(list(x, allOnes), top);
    assertTrue(maxAbsDiff(fresh, TestBlobs.data(top.get(0))) > 1e-4);
    lstm.forwardWithLoss(list(x, cont(3, 2)), top);
    assertArrayEquals(fresh, TestBlobs.data(top.get(0)), 1e-12);
  }
}
