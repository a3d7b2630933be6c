package org.kaffee.layers.recurrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.kaffee.layers.recurrent.RecurrentFixture.*;
import static org.kaffee.testing.DoubleLayers.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kaffee.core.Blob;
import org.kaffee.core.KaffeeException;
import org.kaffee.testing.TestBlobs;

class RNNLayerTest extends RecurrentLayerContract {
  @Override
  RecurrentLayer newLayer() {
    return layer(RNNLayer::new, PARAM);
  }

  @Override
  int recurrentWeightIndex() {
    return 3;
  }

  private static final String PARAM = "type: 'RNN' recurrent_param { num_output: 2 "
      + "weight_filler { type: 'gaussian' std: 0.5 } bias_filler { type: 'gaussian' std: 0.3 } }";

  @Test
  void paramBlobsHaveCaffesOrderAndShapes() {
    RNNLayer rnn = layer(RNNLayer::new, PARAM);
    List<Blob> top = tops(1);
    rnn.setUp(list(TestBlobs.gaussian(1, 1, 3, 2, 3), cont(3, 2)), top);
    assertArrayEquals(new int[] {3, 2, 2}, top.get(0).shape());
    assertEquals(5, rnn.blobs().size());
    int[][] shapes = {{2, 3}, {2}, {2, 2}, {2, 2}, {2}};
    for (int i = 0; i < shapes.length; i++) {
      assertArrayEquals(shapes[i], rnn.blobs().get(i).shape(), "param " + i);
    }
    RNNLayer withStatic = layer(RNNLayer::new, PARAM);
    withStatic.setUp(list(TestBlobs.gaussian(1, 1, 3, 2, 3), cont(3, 2),
        TestBlobs.gaussian(2, 1, 2, 4)), tops(1));
    int[][] staticShapes = {{2, 3}, {2}, {2, 4}, {2, 2}, {2, 2}, {2}};
    assertEquals(6, withStatic.blobs().size());
    for (int i = 0; i < staticShapes.length; i++) {
      assertArrayEquals(staticShapes[i], withStatic.blobs().get(i).shape(), "param " + i);
    }
  }

  @Test
  void forwardOneStepByHand() {
    RNNLayer rnn = layer(RNNLayer::new, "type: 'RNN' recurrent_param { num_output: 1 }");
    Blob x = TestBlobs.of(new double[] {0.8}, 1, 1, 1);
    List<Blob> top = tops(1);
    rnn.setUp(list(x, cont(1, 1)), top);
    set(rnn.blobs().get(0), 0.5);   // W_xh
    set(rnn.blobs().get(1), 0.1);   // b_h
    set(rnn.blobs().get(2), 2.0);   // W_hh (h_0 = 0)
    set(rnn.blobs().get(3), -1.5);  // W_ho
    set(rnn.blobs().get(4), 0.2);   // b_o
    rnn.forwardWithLoss(list(x, cont(1, 1)), top);
    double h = Math.tanh(0.5 * 0.8 + 0.1);
    assertValues(new double[] {Math.tanh(-1.5 * h + 0.2)}, top.get(0), 1e-12);
  }

  @Test
  void exposedHiddenStateFeedsTheFirstStep() {
    RNNLayer rnn = layer(RNNLayer::new,
        "type: 'RNN' recurrent_param { num_output: 1 expose_hidden: true }");
    Blob x = TestBlobs.of(new double[] {0.8}, 1, 1, 1);
    Blob c = TestBlobs.of(new double[] {1}, 1, 1);
    Blob h0 = TestBlobs.of(new double[] {0.3}, 1, 1, 1);
    List<Blob> top = tops(2);
    rnn.setUp(list(x, c, h0), top);
    set(rnn.blobs().get(0), 0.5);
    set(rnn.blobs().get(1), 0.1);
    set(rnn.blobs().get(2), 2.0);
    set(rnn.blobs().get(3), -1.5);
    set(rnn.blobs().get(4), 0.2);
    rnn.forwardWithLoss(list(x, c, h0), top);
    double h = Math.tanh(2.0 * 0.3 + 0.5 * 0.8 + 0.1);
    assertValues(new double[] {Math.tanh(-1.5 * h + 0.2)}, top.get(0), 1e-12);
    assertValues(new double[] {h}, top.get(1), 1e-12);
  }

  @Test
  void rejectsAChangedNumberOfTimesteps() {
    RNNLayer rnn = layer(RNNLayer::new, PARAM);
    rnn.setUp(list(TestBlobs.gaussian(1, 1, 3, 2, 3), cont(3, 2)), tops(1));
    assertThrows(KaffeeException.class,
        () -> rnn.reshape(list(TestBlobs.gaussian(1, 1, 4, 2, 3), cont(4, 2)), tops(1)));
  }
}
