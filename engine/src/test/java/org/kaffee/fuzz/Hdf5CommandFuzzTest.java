package org.kaffee.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A valid HDF5 data file (data and label datasets) damaged by an edit script ({@link FileEdits}:
 * truncation, bytes, 16-bit fields and 64-bit addresses and sizes), read by the HDF5Data layer
 * as train and test read it: set up, then two batches.
 */
class Hdf5CommandFuzzTest {
  private static final Path TEMPLATE = Path.of("engine/src/test/resources/org/kaffee/fuzz/Hdf5ListFuzzTestInputs/hdf5/data.h5");
  private static final Path DIR = FuzzRule.scratch("hdf5-command");

  @FuzzTest(maxDuration = FuzzRule.BUDGET)
  void hdf5Data(byte[] input) throws Exception {
    Path h5 = FuzzRule.write(DIR.resolve("input.h5"), FileEdits.apply(Files.readAllBytes(TEMPLATE), input, 0));
    Hdf5ListFuzzTest.readThroughLayer(h5, DIR, 2);
  }
}
