package org.kaffee.layers.vision;

import static org.kaffee.layers.vision.VisionTestUtil.assertValues;
import static org.kaffee.layers.vision.VisionTestUtil.layer;
import static org.kaffee.layers.vision.VisionTestUtil.tops;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kaffee.core.Blob;
import org.kaffee.testing.GradientChecker;
import org.kaffee.testing.TestBlobs;
import org.nd4j.linalg.api.buffer.DataType;

class LRNLayerTest {
  private static LRNLayer lrn(String p) {
    LRNLayer l = new LRNLayer(layer("name: \"n\" type: \"LRN\" lrn_param { " + p + " }"));
    l.setDataType(DataType.DOUBLE);
    return l;
  }

  @Test
  void acrossChannelsByHand() {
    // alpha / size = 1, beta 1, k 1: scale_c = 1 + sum of squares of channels c-1..c+1.
    LRNLayer l = lrn("local_size: 3 alpha: 3 beta: 1 k: 1");
    Blob in = TestBlobs.of(new double[] {1, 2, 3}, 1, 3, 1, 1);
    List<Blob> top = tops(1);
    l.setUp(List.of(in), top);
    l.forward(List.of(in), top);
    assertValues(new double[] {1 / 6.0, 2 / 15.0, 3 / 14.0}, top.get(0), 1e-12);
  }

  @Test
  void acrossChannelsDefaultParams() {
    // local_size 5, alpha 1, beta 0.75, k 1 on 1x2 channels: scale = 1 + (1 + 4) / 5 = 2.
    LRNLayer l = lrn("");
    Blob in = TestBlobs.of(new double[] {1, 2}, 1, 2, 1, 1);
    List<Blob> top = tops(1);
    l.setUp(List.of(in), top);
    l.forward(List.of(in), top);
    assertValues(new double[] {Math.pow(2, -0.75), 2 * Math.pow(2, -0.75)}, top.get(0), 1e-12);
  }

  @Test
  void withinChannelByHand() {
    // size 3 window padded by 1 on a 1x2 image: divisor 9, sum 5, scale = 1 + 9 * 5 / 9 = 6.
    LRNLayer l = lrn("local_size: 3 alpha: 9 beta: 1 k: 7 norm_region: WITHIN_CHANNEL");
    Blob in = TestBlobs.of(new double[] {1, 2}, 1, 1, 1, 2);
    List<Blob> top = tops(1);
    l.setUp(List.of(in), top);
    l.forward(List.of(in), top);
    assertValues(new double[] {1 / 6.0, 2 / 6.0}, top.get(0), 1e-12);
  }

  @Test
  void gradientAcrossChannels() {
    new GradientChecker(1e-2, 1e-2).checkGradientExhaustive(lrn(""),
        List.of(TestBlobs.gaussian(21, 1, 2, 7, 3, 3)), tops(1), -1);
  }

  @Test
  void gradientAcrossChannelsLargeRegion() {
    new GradientChecker(1e-2, 1e-2).checkGradient(lrn("local_size: 15 alpha: 2 beta: 0.6 k: 2"),
        List.of(TestBlobs.gaussian(22, 1, 2, 7, 2, 2)), tops(1));
  }

  @Test
  void gradientWithinChannel() {
    new GradientChecker(1e-2, 1e-2).checkGradientExhaustive(
        lrn("local_size: 3 alpha: 0.9 beta: 0.75 norm_region: WITHIN_CHANNEL"),
        List.of(TestBlobs.gaussian(23, 1, 2, 2, 4, 5)), tops(1), -1);
  }
}
