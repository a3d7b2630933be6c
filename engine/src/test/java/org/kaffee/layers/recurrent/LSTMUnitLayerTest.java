package org.kaffee.layers.recurrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.kaffee.layers.recurrent.RecurrentFixture.*;
import static org.kaffee.testing.DoubleLayers.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kaffee.core.Blob;
import org.kaffee.testing.GradientChecker;
import org.kaffee.testing.TestBlobs;

class LSTMUnitLayerTest {
  @Test
  void forwardByHand() {
    LSTMUnitLayer unit = layer(LSTMUnitLayer::new, "type: 'LSTMUnit'");
    // two streams, one hidden unit: stream 0 continues (cont 1), stream 1 starts (cont 0)
    Blob cPrev = TestBlobs.of(new double[] {0.4, -0.9}, 1, 2, 1);
    Blob x = TestBlobs.of(new double[] {0.2, -0.3, 0.5, 0.7, -0.1, 0.6, -0.8, 0.3}, 1, 2, 4);
    Blob cont = TestBlobs.of(new double[] {1, 0}, 1, 2);
    List<Blob> top = tops(2);
    unit.setUp(list(cPrev, x, cont), top);
    unit.forwardWithLoss(list(cPrev, x, cont), top);
    assertArrayEquals(new int[] {1, 2, 1}, top.get(0).shape());
    double c0 = sigmoid(-0.3) * 0.4 + sigmoid(0.2) * Math.tanh(0.7);
    double c1 = sigmoid(-0.1) * Math.tanh(0.3);
    assertValues(new double[] {c0, c1}, top.get(0), 1e-12);
    assertValues(new double[] {sigmoid(0.5) * Math.tanh(c0), sigmoid(-0.8) * Math.tanh(c1)},
        top.get(1), 1e-12);
  }

  @Test
  void gradient() {
    LSTMUnitLayer unit = layer(LSTMUnitLayer::new, "type: 'LSTMUnit'");
    Blob cont = TestBlobs.of(new double[] {1, 0, 1}, 1, 3);
    for (int bottom : new int[] {0, 1}) {
      new GradientChecker(1e-2, 1e-3).checkGradientExhaustive(unit,
          list(TestBlobs.gaussian(8, 1, 1, 3, 2), TestBlobs.gaussian(9, 1, 1, 3, 8), cont),
          tops(2), bottom);
    }
  }
}
