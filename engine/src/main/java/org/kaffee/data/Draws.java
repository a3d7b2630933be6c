package org.kaffee.data;

import java.util.Random;

/** The random draws of SSD's data path, from the data layer's seeded generator. */
final class Draws {
  private Draws() {
  }

  /** Uniform in [a, b) (caffe_rng_uniform); a when the range is empty. */
  static float uniform(Random rng, float a, float b) {
    return a + (b - a) * rng.nextFloat();
  }
}
