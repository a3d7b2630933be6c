package org.kaffee.layers.vision;

import java.util.ArrayList;
import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.io.ProtoFiles;
import org.kaffee.proto.Caffe.LayerParameter;
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
}
