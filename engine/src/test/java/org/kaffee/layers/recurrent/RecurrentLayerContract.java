package org.kaffee.layers.recurrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kaffee.layers.recurrent.RecurrentFixture.*;
import static org.kaffee.testing.DoubleLayers.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kaffee.core.Blob;
import org.kaffee.testing.GradientChecker;
import org.kaffee.testing.TestBlobs;

/** What every recurrent layer must do: gradients, cont resets, state carried between batches. */
abstract class RecurrentLayerContract {
  /** A fresh layer with num_output 2 and random fillers. */
  abstract RecurrentLayer newLayer();

  /** The index of the hidden-to-hidden weight among the param blobs (no static input). */
  abstract int recurrentWeightIndex();

  @Test
  void gradient() {
    RecurrentLayer layer = newLayer();
    // stream 1 starts a new sequence at t = 1
    Blob c = cont(3, 2, 0, 0, 1, 0, 1, 1);
    new GradientChecker(1e-2, 1e-3).checkGradientExhaustive(layer,
        list(TestBlobs.gaussian(3, 1, 3, 2, 3), c), tops(1), 0);
  }

  @Test
  void gradientWithStaticInput() {
    for (int bottom : new int[] {0, 2}) {
      RecurrentLayer layer = newLayer();
      new GradientChecker(1e-2, 1e-3).checkGradient(layer,
          list(TestBlobs.gaussian(4, 1, 3, 2, 3), cont(3, 2), TestBlobs.gaussian(5, 1, 2, 4)),
          tops(1), bottom);
    }
  }

  @Test
  void paramGradientsAccumulate() {
    RecurrentLayer layer = newLayer();
    List<Blob> bottom = list(TestBlobs.gaussian(3, 1, 3, 2, 3), cont(3, 2));
    List<Blob> top = tops(1);
    layer.setUp(bottom, top);
    layer.forwardWithLoss(bottom, top);
    top.get(0).diff().assign(1);
    layer.backward(top, new boolean[] {true, false}, bottom);
    double[] once = TestBlobs.diff(layer.blobs().get(recurrentWeightIndex()));
    layer.backward(top, new boolean[] {true, false}, bottom);
    double[] twice = TestBlobs.diff(layer.blobs().get(recurrentWeightIndex()));
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
    RecurrentLayer a = newLayer();
    a.setUp(list(x1, c), top1);
    RecurrentLayer b = newLayer();
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
    RecurrentLayer layer = newLayer();
    List<Blob> top = tops(1);
    layer.setUp(list(x, cont(3, 2)), top);
    layer.forwardWithLoss(list(x, cont(3, 2)), top);
    double[] fresh = TestBlobs.data(top.get(0));
    Blob allOnes = cont(3, 2, 1, 1, 1, 1, 1, 1);
    layer.forwardWithLoss(list(x, allOnes), top);
    assertTrue(maxAbsDiff(fresh, TestBlobs.data(top.get(0))) > 1e-4);
    layer.forwardWithLoss(list(x, cont(3, 2)), top);
    assertArrayEquals(fresh, TestBlobs.data(top.get(0)), 1e-12);
  }
}
