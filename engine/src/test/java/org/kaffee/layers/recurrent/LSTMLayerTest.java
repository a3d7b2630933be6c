package org.kaffee.layers.recurrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.kaffee.layers.recurrent.RecurrentFixture.*;
import static org.kaffee.testing.DoubleLayers.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kaffee.core.Blob;
import org.kaffee.testing.TestBlobs;

class LSTMLayerTest extends RecurrentLayerContract {
  @Override
  RecurrentLayer newLayer() {
    return layer(LSTMLayer::new, PARAM);
  }

  @Override
  int recurrentWeightIndex() {
    return 2;
  }

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

}
