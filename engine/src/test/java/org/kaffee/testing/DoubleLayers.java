package org.kaffee.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.kaffee.core.Blob;
import org.kaffee.core.Layer;
import org.kaffee.io.ProtoFiles;
import org.kaffee.proto.Caffe.LayerParameter;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Double-precision layers for the layer tests (Caffe checks gradients in double): made from
 * prototxt text, with their tops and value checks.
 */
public final class DoubleLayers {
  private DoubleLayers() {
  }

  /** A double-precision layer named {@code name} from the rest of its prototxt text. */
  public static <T extends Layer> T fromText(Function<LayerParameter, T> ctor, String name, String text) {
    LayerParameter p = ProtoFiles.parseText("name: \"" + name + "\" " + text, "test.prototxt",
        LayerParameter.newBuilder()).build();
    T layer = ctor.apply(p);
    layer.setDataType(DataType.DOUBLE);
    return layer;
  }

  /** {@code n} empty double-precision tops, shaped by the layer's set-up. */
  public static List<Blob> tops(int n) {
    List<Blob> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      list.add(new Blob(DataType.DOUBLE));
    }
    return list;
  }

  /** A mutable list of bottoms or tops. */
  public static List<Blob> list(Blob... blobs) {
    return new ArrayList<>(List.of(blobs));
  }

  /** Sets the layer up on {@code bottom} and runs one forward pass; returns its {@code nTops} tops. */
  public static List<Blob> forward(Layer layer, int nTops, Blob... bottom) {
    List<Blob> top = tops(nTops);
    layer.setUp(list(bottom), top);
    layer.forwardWithLoss(list(bottom), top);
    return top;
  }

  /** The blob holds exactly {@code expected}, element by element within {@code tol}. */
  public static void assertValues(double[] expected, Blob blob, double tol) {
    double[] actual = TestBlobs.data(blob);
    assertEquals(expected.length, blob.count(), "count of " + blob);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], tol, "element " + i);
    }
  }
}
