package org.kaffee.layers.recurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.Function;
import org.kaffee.core.Blob;
import org.kaffee.core.Layer;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.testing.DoubleLayers;
import org.kaffee.testing.TestBlobs;

/**
 * Helpers for the recurrent-layer tests: double-precision layers from prototxt text, named "rec";
 * tops, lists and value checks come from {@link DoubleLayers}.
 */
final class RecurrentFixture {
  private RecurrentFixture() {
  }

  static <T extends Layer> T layer(Function<LayerParameter, T> ctor, String text) {
    return DoubleLayers.fromText(ctor, "rec", text);
  }

  static void set(Blob blob, double... values) {
    assertEquals(blob.count(), values.length, "values for " + blob);
    for (int i = 0; i < values.length; i++) {
      blob.dataView().set(i, values[i]);
    }
  }

  static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  /** cont [T, N]: 0 at t = 0 (every stream starts a sequence), else as given per (t, n). */
  static Blob cont(int steps, int streams, double... values) {
    double[] v = new double[steps * streams];
    for (int i = 0; i < v.length; i++) {
      v[i] = values.length > 0 ? values[i] : (i < streams ? 0 : 1);
    }
    return TestBlobs.of(v, steps, streams);
  }

  /** Output values of one stream at one step of a [T, N, H] top. */
  static double[] at(Blob top, int t, int n) {
    int h = top.shape(2);
    double[] all = TestBlobs.data(top);
    double[] out = new double[h];
    System.arraycopy(all, (t * top.shape(1) + n) * h, out, 0, h);
    return out;
  }

  static double maxAbsDiff(double[] a, double[] b) {
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }
}
