package org.kaffee.layers.common;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.kaffee.layers.common.LayerFixture.layer;
import static org.kaffee.testing.DoubleLayers.assertValues;
import static org.kaffee.testing.DoubleLayers.forward;
import static org.kaffee.testing.DoubleLayers.list;
import static org.kaffee.testing.DoubleLayers.tops;

import org.junit.jupiter.api.Test;
import org.kaffee.core.Blob;
import org.kaffee.core.KaffeeException;
import org.kaffee.testing.GradientChecker;
import org.kaffee.testing.TestBlobs;

class NormalizeLayerTest {
  private static NormalizeLayer normalize(boolean acrossSpatial, boolean channelShared, String filler) {
    return layer(NormalizeLayer::new, "type: 'Normalize' norm_param { across_spatial: " + acrossSpatial
        + " channel_shared: " + channelShared + " scale_filler { " + filler + " } }");
  }

  /** One image, two channels of two pixels: (3, 0) and (4, 2). */
  private static Blob image() {
    return TestBlobs.of(new double[] {3, 0, 4, 2}, 1, 2, 1, 2);
  }

  @Test
  void eachPixelsChannelVectorHasTheScaleAsNorm() {
    // pixel 0: (3, 4) / 5; pixel 1: (0, 2) / 2; times the shared scale 2
    Blob top = forward(normalize(false, true, "type: 'constant' value: 2"), 1, image()).get(0);
    assertValues(new double[] {1.2, 0, 1.6, 2}, top, 1e-9);
  }

  @Test
  void acrossSpatialTheWholeImageHasNormOne() {
    double norm = Math.sqrt(9 + 16 + 4);
    Blob top = forward(normalize(true, true, "type: 'constant' value: 1"), 1, image()).get(0);
    assertValues(new double[] {3 / norm, 0, 4 / norm, 2 / norm}, top, 1e-9);
  }

  @Test
  void aScalePerChannel() {
    NormalizeLayer layer = normalize(false, false, "type: 'constant' value: 1");
    Blob x = image();
    layer.setUp(list(x), tops(1));
    layer.blobs().get(0).data().assign(TestBlobs.of(new double[] {10, -1}, 2).data());
    Blob top = forward(layer, 1, x).get(0);
    assertValues(new double[] {6, 0, -0.8, -1}, top, 1e-9);
  }

  @Test
  void sharedScaleIsOneValueAndPerChannelScaleIsOneValuePerChannel() {
    NormalizeLayer shared = normalize(true, true, "type: 'constant' value: 1");
    forward(shared, 1, TestBlobs.gaussian(1, 1, 2, 3, 2, 2));
    org.junit.jupiter.api.Assertions.assertArrayEquals(new int[0], shared.blobs().get(0).shape());
    NormalizeLayer perChannel = normalize(true, false, "type: 'constant' value: 1");
    forward(perChannel, 1, TestBlobs.gaussian(1, 1, 2, 3, 2, 2));
    org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {3}, perChannel.blobs().get(0).shape());
  }

  @Test
  void gradientPerPixelWithAScalePerChannel() {
    new GradientChecker(1e-2, 1e-3).checkGradientExhaustive(
        normalize(false, false, "type: 'gaussian' std: 1"),
        list(TestBlobs.gaussian(1701, 1, 2, 3, 2, 2)), tops(1), -1);
  }

  @Test
  void gradientAcrossSpatialWithASharedScale() {
    new GradientChecker(1e-2, 1e-3).checkGradientExhaustive(
        normalize(true, true, "type: 'gaussian' std: 1"),
        list(TestBlobs.gaussian(1701, 1, 2, 3, 2, 2)), tops(1), -1);
  }

  @Test
  void gradientAcrossSpatialWithAScalePerChannel() {
    new GradientChecker(1e-2, 1e-3).checkGradient(normalize(true, false, "type: 'gaussian' std: 1"),
        list(TestBlobs.gaussian(1701, 1, 2, 3, 2, 2)), tops(1));
  }

  @Test
  void inPlaceIsRejected() {
    NormalizeLayer layer = normalize(true, true, "type: 'constant' value: 1");
    Blob x = image();
    assertThrows(KaffeeException.class, () -> layer.setUp(list(x), list(x)));
  }
}
