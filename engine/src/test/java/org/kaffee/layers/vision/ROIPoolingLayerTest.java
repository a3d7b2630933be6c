package org.kaffee.layers.vision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.kaffee.testing.DoubleLayers.assertValues;
import static org.kaffee.testing.DoubleLayers.forward;
import static org.kaffee.testing.DoubleLayers.list;
import static org.kaffee.testing.DoubleLayers.tops;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.kaffee.core.Blob;
import org.kaffee.core.KaffeeException;
import org.kaffee.testing.DoubleLayers;
import org.kaffee.testing.GradientChecker;
import org.kaffee.testing.TestBlobs;

class ROIPoolingLayerTest {
  private static ROIPoolingLayer roiPooling(String p) {
    return DoubleLayers.fromText(ROIPoolingLayer::new, "roi", "type: 'ROIPooling' roi_pooling_param { " + p + " }");
  }

  private static Blob ramp() {
    double[] v = new double[16];
    for (int i = 0; i < 16; i++) {
      v[i] = i;
    }
    return TestBlobs.of(v, 1, 1, 4, 4);
  }

  @Test
  void eachBinKeepsItsMaximum() {
    Blob rois = TestBlobs.of(new double[] {0, 0, 0, 3, 3}, 1, 5);
    Blob top = forward(roiPooling("pooled_h: 2 pooled_w: 2"), 1, ramp(), rois).get(0);
    assertValues(new double[] {5, 7, 13, 15}, top, 0);
  }

  @Test
  void spatialScaleMapsImagePixelsToTheFeatureMapWithOverlappingBins() {
    // (2..6) * 0.5 = 1..3: three rows and columns in bins of 1.5, [1, 3) and [2, 4)
    Blob rois = TestBlobs.of(new double[] {0, 2, 2, 6, 6}, 1, 5);
    Blob top = forward(roiPooling("pooled_h: 2 pooled_w: 2 spatial_scale: 0.5"), 1, ramp(), rois).get(0);
    assertValues(new double[] {10, 11, 14, 15}, top, 0);
  }

  @Test
  void gradientsGoToTheMaximaAndAddUp() {
    Blob data = ramp();
    Blob rois = TestBlobs.of(new double[] {0, 0, 0, 3, 3, 0, 2, 2, 3, 3}, 2, 5);
    ROIPoolingLayer layer = roiPooling("pooled_h: 1 pooled_w: 1");
    List<Blob> top = forward(layer, 1, data, rois);
    top.get(0).diff().assign(TestBlobs.of(new double[] {1, 2}, 2, 1, 1, 1).data());
    layer.backward(top, new boolean[] {true, false}, list(data, rois));
    double[] expected = new double[16];
    expected[15] = 3;
    assertArrayEquals(expected, TestBlobs.diff(data), 0);
  }

  @Test
  void gradient() {
    // distinct values 0.1 apart, so no step of the checker changes which one is the maximum
    List<Double> values = new ArrayList<>();
    for (int i = 0; i < 2 * 2 * 6 * 5; i++) {
      values.add(i * 0.1);
    }
    Collections.shuffle(values, new Random(1701));
    Blob data = TestBlobs.of(values.stream().mapToDouble(Double::doubleValue).toArray(), 2, 2, 6, 5);
    Blob rois = TestBlobs.of(new double[] {0, 0, 0, 4, 5, 1, 2, 1, 4, 5, 1, 1, 3, 2, 4}, 3, 5);
    new GradientChecker(1e-2, 1e-3).checkGradientExhaustive(roiPooling("pooled_h: 3 pooled_w: 2"),
        list(data, rois), tops(1), 0);
  }

  @Test
  void aRegionOfAnotherImageIsRejected() {
    Blob rois = TestBlobs.of(new double[] {1, 0, 0, 3, 3}, 1, 5);
    assertThrows(KaffeeException.class, () -> forward(roiPooling("pooled_h: 2 pooled_w: 2"), 1, ramp(), rois));
  }
}
