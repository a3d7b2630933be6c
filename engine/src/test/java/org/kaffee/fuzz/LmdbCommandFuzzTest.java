package org.kaffee.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.kaffee.data.ImageMean;

/**
 * The damaged data.mdb files of {@link LmdbNativeFuzzTest} given to compute_image_mean's code
 * (ImageMean over the reader every command opens databases with, Datum decoding and the sums).
 */
class LmdbCommandFuzzTest {
  private static final java.nio.file.Path DIR = FuzzRule.scratch("lmdb-command");

  @FuzzTest(maxDuration = FuzzRule.BUDGET)
  void computeImageMean(byte[] input) throws Exception {
    LmdbNativeFuzzTest.damagedDatabase(DIR, input);
    FuzzRule.check(() -> ImageMean.compute(DIR, "lmdb"));
  }
}
