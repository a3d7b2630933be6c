package org.kaffee.layers.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kaffee.layers.loss.LossTests.param;
import static org.kaffee.layers.loss.LossTests.scalar;
import static org.kaffee.testing.DoubleLayers.tops;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kaffee.core.Blob;
import org.kaffee.core.KaffeeException;
import org.kaffee.testing.TestBlobs;

class AccuracyLayerTest {
  // 4 samples, 4 classes.
  private static final Blob SCORES = TestBlobs.of(new double[] {
      0.1, 0.7, 0.15, 0.05, // argmax 1; order 1, 2, 0, 3
      0.4, 0.1, 0.3, 0.2, // argmax 0; order 0, 2, 3, 1
      0.25, 0.25, 0.4, 0.1, // argmax 2; 0 and 1 tie second
      0.5, 0.5, 0.0, 0.0, // 0 and 1 tie first
  }, 4, 4);

  private static double[] run(String extra, Blob data, Blob label, int nTops) {
    AccuracyLayer l = new AccuracyLayer(param("name: 'acc' type: 'Accuracy' " + extra));
    List<Blob> top = tops(nTops);
    l.setUp(List.of(data, label), top);
    l.forwardWithLoss(List.of(data, label), top);
    assertEquals(0, top.get(0).numAxes());
    double[] out = new double[1 + (nTops > 1 ? top.get(1).count() : 0)];
    out[0] = scalar(top.get(0));
    if (nTops > 1) {
      System.arraycopy(TestBlobs.data(top.get(1)), 0, out, 1, top.get(1).count());
    }
    return out;
  }

  @Test
  void top1() {
    Blob y = TestBlobs.of(new double[] {1, 2, 2, 3}, 4);
    assertEquals(0.5, run("", SCORES, y, 1)[0], 1e-12);
  }

  @Test
  void topK() {
    Blob y = TestBlobs.of(new double[] {0, 2, 1, 3}, 4);
    // top 2: sample 0 label 0 is third (miss); sample 1 label 2 second (hit);
    // sample 2 label 1 ties 0 at second: classes >= it are 2, 0, 1 -> miss;
    // sample 3 label 3 last (miss).
    assertEquals(0.25, run("accuracy_param { top_k: 2 }", SCORES, y, 1)[0], 1e-12);
    // top 3: sample 0 hit, 1 hit, 2 hit (three classes >= 0.25), 3: classes >= 0 are all 4: miss
    assertEquals(0.75, run("accuracy_param { top_k: 3 }", SCORES, y, 1)[0], 1e-12);
    assertEquals(1.0, run("accuracy_param { top_k: 4 }", SCORES, y, 1)[0], 1e-12);
    // As in Caffe, top_k 0 never hits.
    assertEquals(0.0, run("accuracy_param { top_k: 0 }", SCORES, y, 1)[0]);
  }

  @Test
  void tiesCountAgainstTheTrueClass() {
    // Sample 3: classes 0 and 1 tie for the maximum: with top_k 1 neither label is a hit.
    Blob y0 = TestBlobs.of(new double[] {1, 0, 2, 0}, 4);
    Blob y1 = TestBlobs.of(new double[] {1, 0, 2, 1}, 4);
    assertEquals(0.75, run("", SCORES, y0, 1)[0], 1e-12);
    assertEquals(0.75, run("", SCORES, y1, 1)[0], 1e-12);
    // With top_k 2 the tie is a hit for both.
    assertEquals(1.0, run("accuracy_param { top_k: 2 }", SCORES, y0, 1)[0], 1e-12);
  }

  @Test
  void ignoreLabel() {
    Blob y = TestBlobs.of(new double[] {1, -1, 2, -1}, 4);
    assertEquals(1.0, run("accuracy_param { ignore_label: -1 }", SCORES, y, 1)[0], 1e-12);
    Blob all = TestBlobs.of(new double[] {-1, -1, -1, -1}, 4);
    assertEquals(0.0, run("accuracy_param { ignore_label: -1 }", SCORES, all, 1)[0]);
  }

  @Test
  void perClassSecondTop() {
    Blob y = TestBlobs.of(new double[] {1, 0, 1, 1}, 4);
    double[] out = run("", SCORES, y, 2);
    // hits: sample 0 (1), sample 1 (0); misses: sample 2 (1), sample 3 (1, tie)
    assertEquals(0.5, out[0], 1e-12);
    assertArrayEquals(new double[] {1.0, 1 / 3.0, 0, 0},
        new double[] {out[1], out[2], out[3], out[4]}, 1e-12);
  }

  @Test
  void spatialAxis() {
    // [N=1, C=2, H=3]: the class scores of each position lie along axis 1.
    Blob data = TestBlobs.of(new double[] {1, 0, 5, 0, 1, 2}, 1, 2, 3);
    Blob y = TestBlobs.of(new double[] {0, 1, 0}, 1, 3);
    assertEquals(1.0, run("", data, y, 1)[0], 1e-12);
    Blob y2 = TestBlobs.of(new double[] {0, 0, 1}, 1, 3);
    assertEquals(1 / 3.0, run("", data, y2, 1)[0], 1e-12);
    // Classes on the last axis: [N=3, C=2].
    Blob last = TestBlobs.of(new double[] {1, 0, 0, 1, 5, 2}, 1, 3, 2);
    Blob y3 = TestBlobs.of(new double[] {0, 1, 1}, 1, 3);
    assertEquals(2 / 3.0, run("accuracy_param { axis: -1 }", last, y3, 1)[0], 1e-12);
  }

  @Test
  void errorsAndNoGradient() {
    Blob y = TestBlobs.of(new double[] {1, 2, 2, 3}, 4);
    KaffeeException e = assertThrows(KaffeeException.class,
        () -> run("accuracy_param { top_k: 5 }", SCORES, y, 1));
    assertTrue(e.getMessage().contains("layer acc (Accuracy): top_k"), e.getMessage());
    Blob y3 = TestBlobs.of(new double[] {1, 2, 2}, 3);
    e = assertThrows(KaffeeException.class, () -> run("", SCORES, y3, 1));
    assertTrue(e.getMessage().contains("number of labels"), e.getMessage());
    AccuracyLayer l = new AccuracyLayer(param("name: 'acc' type: 'Accuracy'"));
    assertFalse(l.allowForceBackward(0));
    assertFalse(l.allowForceBackward(1));
  }
}
