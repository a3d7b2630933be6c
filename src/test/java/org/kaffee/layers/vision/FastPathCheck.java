package org.kaffee.layers.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.kaffee.core.Blob;
import org.kaffee.core.DataView;
import org.nd4j.linalg.api.buffer.DataType;

/** Runs a float32 conv/deconv layer on the oneDNN path and on the generic path and compares. */
final class FastPathCheck {
  private FastPathCheck() {
  }

  static void compare(BaseConvolutionLayer fast, BaseConvolutionLayer slow, int[] shape) {
    compare(fast, slow, shape, true);
  }

  static void compare(BaseConvolutionLayer fast, BaseConvolutionLayer slow, int[] shape, boolean propagate) {
    Blob in = new Blob(DataType.FLOAT, shape);
    Random r = new Random(3);
    DataView v = in.dataView();
    for (int i = 0; i < in.count(); i++) {
      v.set(i, r.nextGaussian());
    }
    Blob t1 = new Blob(DataType.FLOAT, 1);
    Blob t2 = new Blob(DataType.FLOAT, 1);
    fast.setUp(List.of(in), List.of(t1));
    BaseConvolutionLayer.allowFastPath = false;
    try {
      slow.setUp(List.of(in), List.of(t2));
      assertTrue(fast.fastPath());
      assertTrue(!slow.fastPath());
      for (int b = 0; b < fast.blobs().size(); b++) {
        slow.blobs().get(b).data().assign(fast.blobs().get(b).data());
      }
      fast.forward(List.of(in), List.of(t1));
      slow.forward(List.of(in), List.of(t2));
      near(t2.data().dup().data().asDouble(), t1.data().dup().data().asDouble(), "top");
      DataView g1 = t1.diffView();
      DataView g2 = t2.diffView();
      for (int i = 0; i < t1.count(); i++) {
        double g = r.nextGaussian();
        g1.set(i, g);
        g2.set(i, g);
      }
      in.diff().assign(7);
      fast.backward(List.of(t1), new boolean[] {propagate}, List.of(in));
      double[] inGradFast = in.diff().dup().data().asDouble();
      slow.backward(List.of(t2), new boolean[] {propagate}, List.of(in));
      near(in.diff().dup().data().asDouble(), inGradFast, "bottom diff");
      for (int b = 0; b < fast.blobs().size(); b++) {
        near(slow.blobs().get(b).diff().dup().data().asDouble(),
            fast.blobs().get(b).diff().dup().data().asDouble(), "param " + b + " diff");
      }
    } finally {
      BaseConvolutionLayer.allowFastPath = true;
    }
  }

  private static void near(double[] expected, double[] actual, String what) {
    assertEquals(expected.length, actual.length, what);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], 1e-4 * Math.max(1, Math.abs(expected[i])), what + " element " + i);
    }
  }
}
