package org.kaffee.layers.detection;

import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.testing.DoubleLayers;
import org.kaffee.testing.TestBlobs;

/** Two images over six priors and three classes, for MultiBoxLoss's gradient checks. */
final class SixPriors {
  private SixPriors() {
  }

  static final double[] PRIORS = {
      0, 0, 0.4, 0.4, 0.1, 0.1, 0.5, 0.5, 0.5, 0.5, 0.9, 0.9,
      0.55, 0.45, 0.95, 0.85, 0.05, 0.6, 0.3, 1, 0.3, 0, 0.7, 0.3,
      0.1, 0.1, 0.2, 0.2, 0.1, 0.1, 0.2, 0.2, 0.1, 0.1, 0.2, 0.2,
      0.1, 0.1, 0.2, 0.2, 0.1, 0.1, 0.2, 0.2, 0.1, 0.1, 0.2, 0.2};
  /** Image 0: a class-1 box on priors 0 and 1, a class-2 box on priors 2 and 3; image 1: one class-2 box. */
  static final double[] BOXES = {
      0, 1, 0, 0.05, 0.05, 0.45, 0.42, 0,
      0, 2, 1, 0.52, 0.5, 0.92, 0.88, 0,
      1, 2, 0, 0.02, 0.62, 0.28, 0.95, 0};

  /** Seeded offsets (small: away from smooth L1's kinks at +-1 in the coded targets) and scores. */
  static List<Blob> bottoms(boolean perClassLocations) {
    int locClasses = perClassLocations ? 3 : 1;
    return DoubleLayers.list(TestBlobs.gaussian(1701, 0.3, 2, 6 * locClasses * 4), TestBlobs.gaussian(1702, 1, 2, 18),
        TestBlobs.of(PRIORS, 1, 2, 24), TestBlobs.of(BOXES, 1, 1, 3, 8));
  }
}
