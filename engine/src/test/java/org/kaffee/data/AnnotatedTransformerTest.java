package org.kaffee.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.kaffee.proto.Caffe.ExpansionParameter;
import org.kaffee.proto.Caffe.Phase;
import org.kaffee.proto.Caffe.ResizeParameter;
import org.kaffee.proto.Caffe.TransformationParameter;

/** The expansion canvas and FIT_SMALL_SIZE, one image at a time. */
class AnnotatedTransformerTest {
  private static final NormBox BOX = new NormBox(0.1f, 0.1f, 0.3f, 0.4f, true);

  /** Blue = x + 10, green = y + 10, red = 50. */
  private static Image coordinates(int h, int w) {
    byte[] px = new byte[3 * h * w];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        px[y * w + x] = (byte) (x + 10);
        px[h * w + y * w + x] = (byte) (y + 10);
        px[2 * h * w + y * w + x] = 50;
      }
    }
    return new Image(3, h, w, px);
  }

  @Test
  void expansionPutsTheImageOnAMeanFilledCanvasAndMovesItsBoxes() {
    TransformationParameter t = TransformationParameter.newBuilder().addMeanValue(7)
        .setExpandParam(ExpansionParameter.newBuilder().setProb(1).setMaxExpandRatio(3)).build();
    AnnotatedTransformer tr = new AnnotatedTransformer(t, List.of(), Phase.TRAIN, new Random(4), "test");
    for (int round = 0; round < 5; round++) {
      AnnotatedTransformer.Output out = tr.transform(coordinates(20, 30),
          List.of(new GroundTruth(3, 2, BOX)), "test");
      int h = out.shape()[2];
      int w = out.shape()[3];
      assertTrue(h >= 20 && h <= 60 && w >= 30 && w <= 90, h + "x" + w);
      // the image's top-left pixel (10, 10) less the mean; every other canvas pixel is the mean, 0 after it
      int top = -1;
      int left = -1;
      int filled = 0;
      for (int i = 0; i < h * w; i++) {
        if (out.data()[i] == 10 - 7 && out.data()[h * w + i] == 10 - 7 && top < 0) {
          top = i / w;
          left = i % w;
        }
        filled += out.data()[i] == 0 && out.data()[2 * h * w + i] == 0 ? 1 : 0;
      }
      assertEquals(h * w - 20 * 30, filled);
      float[] expected = {(left + 3f) / w, (top + 2f) / h, (left + 9f) / w, (top + 8f) / h};
      GroundTruth moved = out.boxes().get(0);
      assertEquals(3, moved.label());
      assertEquals(2, moved.instance());
      assertTrue(moved.box().difficult());
      assertArrayEquals(expected, new float[] {moved.box().xmin(), moved.box().ymin(), moved.box().xmax(),
          moved.box().ymax()}, 1e-5f);
    }
  }

  @Test
  void fitSmallSizeKeepsTheAspectRatio() {
    TransformationParameter t = TransformationParameter.newBuilder().setResizeParam(ResizeParameter.newBuilder()
        .setHeight(10).setWidth(10).setResizeMode(ResizeParameter.Resize_mode.FIT_SMALL_SIZE)).build();
    AnnotatedTransformer tr = new AnnotatedTransformer(t, List.of(), Phase.TRAIN, new Random(4), "test");
    assertArrayEquals(new int[] {1, 3, 10, 15}, tr.shape(3, 20, 30, "test"));
    AnnotatedTransformer.Output out = tr.transform(coordinates(20, 30), List.of(new GroundTruth(1, 0, BOX)), "test");
    assertArrayEquals(new int[] {1, 3, 10, 15}, out.shape());
    NormBox b = out.boxes().get(0).box();
    assertArrayEquals(new float[] {0.1f, 0.1f, 0.3f, 0.4f}, new float[] {b.xmin(), b.ymin(), b.xmax(), b.ymax()},
        1e-6f);
  }
}
