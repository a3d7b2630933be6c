package org.kaffee.layers.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.kaffee.core.Blob;
import org.kaffee.core.Layer;
import org.kaffee.io.ProtoFiles;
import org.kaffee.proto.Caffe.LayerParameter;
import org.nd4j.linalg.api.buffer.DataType;

/** Shared helpers for the common-layer tests: double-precision layers from prototxt text. */
final class LayerFixture {
  private LayerFixture() {
  }

  static <T extends Layer> T layer(Function<LayerParameter, T> ctor, String text) {
    LayerParameter p = ProtoFiles.parseText("name: \"l\" " + text, "test.prototxt",
        LayerParameter.newBuilder()).build();
    T layer = ctor.apply(p);
    layer.setDataType(DataType.DOUBLE);
    return layer;
  }

  static Blob top() {
    return new Blob(DataType.DOUBLE);
  }

  static List<Blob> tops(int n) {
    List<Blob> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      list.add(top());
    }
    return list;
  }

  static List<Blob> list(Blob... blobs) {
    return new ArrayList<>(List.of(blobs));
  }

  static void assertValues(double[] expected, Blob blob, double tol) {
    double[] actual = org.kaffee.testing.TestBlobs.data(blob);
    assertEquals(expected.length, blob.count(), "count of " + blob);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], tol, "element " + i);
    }
  }

  static void assertDiff(double[] expected, Blob blob, double tol) {
    double[] actual = org.kaffee.testing.TestBlobs.diff(blob);
    assertEquals(expected.length, blob.count(), "count of " + blob);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], tol, "diff element " + i);
    }
  }

  /** Runs reshape + forward. */
  static void run(Layer layer, List<Blob> bottom, List<Blob> top) {
    layer.forwardWithLoss(bottom, top);
  }
}
