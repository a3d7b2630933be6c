package org.kaffee.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import org.kaffee.data.IdxFile;

/** MNIST idx image and label files, plain or gzip. */
class MnistIdxFuzzTest {
  private static final Path DIR = FuzzRule.scratch("idx");

  @FuzzTest(maxDuration = FuzzRule.BUDGET)
  void idx(byte[] input) throws Exception {
    Path file = FuzzRule.write(DIR.resolve("input-idx"), input);
    FuzzRule.check(() -> IdxFile.readImages(file));
    FuzzRule.check(() -> IdxFile.readLabels(file));
  }
}
