package org.kaffee.layers.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.io.ProtoFiles;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.testing.TestBlobs;
import org.nd4j.linalg.api.buffer.DataType;

/** Helpers shared by the vision layer tests. */
final class VisionTestUtil {
  private VisionTestUtil() {
  }

  static LayerParameter layer(String text) {
    return ProtoFiles.parseText(text, "test.prototxt", LayerParameter.newBuilder()).build();
  }

  static List<Blob> tops(int n) {
    List<Blob> tops = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      tops.add(new Blob(DataType.DOUBLE, 1));
    }
    return tops;
  }

  static void assertValues(double[] expected, Blob blob, double tol) {
    double[] actual = TestBlobs.data(blob);
    assertEquals(expected.length, blob.count(), "count of " + blob);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], tol, "element " + i);
    }
  }
}
