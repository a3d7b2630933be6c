package org.kaffee.layers.detection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.kaffee.testing.DoubleLayers.forward;

import org.junit.jupiter.api.Test;
import org.kaffee.core.Blob;
import org.kaffee.core.KaffeeException;
import org.kaffee.testing.DoubleLayers;
import org.kaffee.testing.TestBlobs;

class PriorBoxLayerTest {
  private static PriorBoxLayer priorBox(String p) {
    return DoubleLayers.fromText(PriorBoxLayer::new, "prior", "type: 'PriorBox' prior_box_param { " + p + " }");
  }

  private static double[] priors(String p, int featureSize, int imageSize) {
    Blob top = forward(priorBox(p), 1, new Blob(org.nd4j.linalg.api.buffer.DataType.DOUBLE, 1, 3, featureSize,
        featureSize), new Blob(org.nd4j.linalg.api.buffer.DataType.DOUBLE, 1, 3, imageSize, imageSize)).get(0);
    return TestBlobs.data(top);
  }

  @Test
  void minThenMaxThenEachAspectRatioAtEveryCell() {
    double[] out = priors("min_size: 4 max_size: 9 aspect_ratio: 2 flip: true variance: 0.1 variance: 0.1"
        + " variance: 0.2 variance: 0.2", 2, 10);
    // 4 cells x 4 boxes x 4 corners, then as many variances
    org.junit.jupiter.api.Assertions.assertEquals(2 * 64, out.length);
    double r = Math.sqrt(2);
    // cell (0, 0), centre (2.5, 2.5) with the default step 10 / 2
    double[] firstCell = {
        0.05, 0.05, 0.45, 0.45,
        -0.05, -0.05, 0.55, 0.55,
        (2.5 - 2 * r) / 10, (2.5 - 2 / r) / 10, (2.5 + 2 * r) / 10, (2.5 + 2 / r) / 10,
        (2.5 - 2 / r) / 10, (2.5 - 2 * r) / 10, (2.5 + 2 / r) / 10, (2.5 + 2 * r) / 10};
    assertArrayEquals(firstCell, java.util.Arrays.copyOfRange(out, 0, 16), 1e-6);
    // cell (row 1, column 0), centre (2.5, 7.5): the first box
    assertArrayEquals(new double[] {0.05, 0.55, 0.45, 0.95}, java.util.Arrays.copyOfRange(out, 32, 36), 1e-6);
    assertArrayEquals(new double[] {0.1, 0.1, 0.2, 0.2, 0.1, 0.1, 0.2, 0.2},
        java.util.Arrays.copyOfRange(out, 64, 72), 1e-7);
  }

  @Test
  void clipKeepsCornersInsideTheImage() {
    double[] out = priors("min_size: 4 max_size: 9 clip: true", 2, 10);
    assertArrayEquals(new double[] {0, 0, 0.55, 0.55}, java.util.Arrays.copyOfRange(out, 4, 8), 1e-6);
  }

  @Test
  void explicitImageSizeStepAndOffset() {
    // image 100 and step 30 instead of the bottoms' 10 and 5; offset 0: the first centre is (0, 0)
    double[] out = priors("min_size: 20 img_size: 100 step: 30 offset: 0", 2, 10);
    assertArrayEquals(new double[] {-0.1, -0.1, 0.1, 0.1, 0.2, -0.1, 0.4, 0.1},
        java.util.Arrays.copyOfRange(out, 0, 8), 1e-6);
    // one variance given: every variance is it
    double[] one = priors("min_size: 20 variance: 0.3", 1, 10);
    assertArrayEquals(new double[] {0.3, 0.3, 0.3, 0.3}, java.util.Arrays.copyOfRange(one, 4, 8), 1e-7);
  }

  @Test
  void duplicateRatiosCountOnce() {
    // ratios 1 (implicit), 2, 1/2: 3 boxes per cell
    org.junit.jupiter.api.Assertions.assertEquals(2 * 3 * 4,
        priors("min_size: 4 aspect_ratio: 2 aspect_ratio: 2 aspect_ratio: 1", 1, 10).length);
  }

  @Test
  void badSizesAreRejected() {
    assertThrows(KaffeeException.class, () -> priorBox("max_size: 4"));
    assertThrows(KaffeeException.class, () -> priorBox("min_size: 9 max_size: 4"));
    assertThrows(KaffeeException.class, () -> priorBox("min_size: 9 variance: 0.1 variance: 0.2"));
  }
}
