package org.kaffee.testing;

import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.kaffee.core.Rng;

/**
 * Seeds Kaffee's generator with 1701 before every test, as Caffe's test fixtures do, so fillers
 * and random inputs a test does not seed itself are the same on every run and in any test order
 * (unseeded, the generator starts from the clock and a gradient check could fail once in many
 * runs). Registered for every test class through the service file and
 * {@code junit.jupiter.extensions.autodetection.enabled}.
 */
public final class SeededRng implements BeforeEachCallback {
  /** Caffe's seed in its layer tests. */
  public static final long SEED = 1701;

  @Override
  public void beforeEach(ExtensionContext context) {
    Rng.seed(SEED);
  }
}
