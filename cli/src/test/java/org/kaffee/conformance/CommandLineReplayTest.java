package org.kaffee.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The recorded cases through the {@code tools/kaffee} command line ({@link CommandLineReplay}):
 * a sample that covers {@code test --weights}, {@code train --weights} (with the gradient of its
 * step), HDF5 snapshots and HDF5Output's file; {@code -Dkaffee.replay=all} replays every case.
 */
class CommandLineReplayTest {
  /** Each process starts a JVM and ND4J (seconds apiece on a busy machine): a few cases only. */
  private static final List<String> SAMPLE = List.of("layers/conv_pad_stride", "layers/hdf5_output",
      "solvers/snapshot_hdf5");

  @TestFactory
  Stream<DynamicTest> replaysThroughTheCommandLine() throws Exception {
    Stream<Path> cases;
    if ("all".equals(System.getProperty("kaffee.replay"))) {
      cases = Stream.concat(list("layers"), list("solvers"));
    } else {
      cases = SAMPLE.stream().map(name -> LayerConformanceTest.root(name.split("/")[0]).resolve(name.split("/")[1]));
    }
    Path launcher = Path.of("tools", "kaffee").toAbsolutePath();
    return cases.map(dir -> DynamicTest.dynamicTest(dir.getParent().getFileName() + "/" + dir.getFileName(), () -> {
      assertTrue(Files.isDirectory(dir), dir + " is no recorded case");
      LayerConformanceTest.assertRegistered(dir);
      List<String> failures = CommandLineReplay.replay(dir, launcher);
      assertTrue(failures.isEmpty(), () -> dir.getFileName() + ":\n  " + String.join("\n  ", failures));
    }));
  }

  private static Stream<Path> list(String kind) throws java.io.IOException {
    try (Stream<Path> dirs = Files.list(LayerConformanceTest.root(kind))) {
      return dirs.filter(Files::isDirectory).sorted().toList().stream();
    }
  }
}
