package org.kaffee.layers.loss;

import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.Layer;
import org.kaffee.io.ProtoFiles;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.testing.DoubleLayers;
import org.kaffee.testing.GradientChecker;
import org.nd4j.linalg.api.buffer.DataType;

/** Helpers shared by the loss layer tests. */
final class LossTests {
  private LossTests() {
  }

  static LayerParameter param(String text) {
    return ProtoFiles.parseText(text, "test", LayerParameter.newBuilder()).build();
  }

  static <L extends Layer> L dbl(L layer) {
    layer.setDataType(DataType.DOUBLE);
    return layer;
  }

  /** Labels {@code (i * 7 + 3) % classes}, a fixed spread over the classes. */
  static Blob labels(int count, int classes, int... shape) {
    double[] v = new double[count];
    for (int i = 0; i < count; i++) {
      v[i] = (i * 7 + 3) % classes;
    }
    return org.kaffee.testing.TestBlobs.of(v, shape);
  }

  /**
   * Caffe's CheckGradientExhaustive, running the forward pass before each analytic
   * gradient as Caffe's checker does (so backward sees the current forward state).
   */
  static void checkExhaustive(GradientChecker checker, Layer layer, List<Blob> bottom,
      List<Blob> top, int checkBottom) {
    layer.setUp(bottom, top);
    for (int i = 0; i < top.size(); i++) {
      for (int j = 0; j < top.get(i).count(); j++) {
        layer.forwardWithLoss(bottom, top);
        checker.checkSingle(layer, bottom, top, checkBottom, i, j, false);
      }
    }
  }

  /** The loss, the first top's single value, after one forward pass of a fresh layer. */
  static double loss(Layer layer, Blob... bottom) {
    return scalar(DoubleLayers.forward(layer, 1, bottom).get(0));
  }

  /** The first top's single value. */
  static double scalar(Blob blob) {
    return blob.dataView().get(0);
  }
}
