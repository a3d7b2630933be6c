package org.kaffee.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.kaffee.cli.Main;
import org.kaffee.io.WorkDir;
import org.kaffee.testing.LogCapture;
import org.kaffee.testing.LogCapture.Logged;

/**
 * Replays the solver cases recorded with real Caffe: each {@code caffe train} line of cmd.txt
 * runs through {@code kaffee train} in a scratch copy; the displayed losses and learning
 * rates must match Caffe's per iteration, and every snapshot Caffe wrote (binary or HDF5)
 * must match the one Kaffee writes.
 */
class SolverConformanceTest {
  @TestFactory
  Stream<DynamicTest> solverCases() throws Exception {
    List<Path> cases;
    try (Stream<Path> dirs = Files.list(LayerConformanceTest.root("solvers"))) {
      cases = dirs.filter(Files::isDirectory).sorted().toList();
    }
    return cases.stream().map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(),
        () -> runCase(dir)));
  }

  private static void runCase(Path dir) throws Exception {
    List<String> failures = new ArrayList<>();
    Path scratch = Scratch.copy(dir);
    List<String> recorded = CaffeSnapshots.recorded(dir);
    for (String name : recorded) {
      Files.delete(scratch.resolve(name));
    }
    try (Expected expected = new Expected(dir.resolve("expected.h5"))) {
      WorkDir.set(scratch);
      for (CaffeCommand cmd : CaffeCommand.readAll(dir.resolve("cmd.txt"))) {
        List<String> args = new ArrayList<>(List.of("train", "--solver=" + cmd.flag("solver")));
        for (String flag : List.of("weights", "snapshot")) {
          if (cmd.has(flag)) {
            args.add("--" + flag + "=" + cmd.flag(flag));
          }
        }
        Logged<Integer> run = LogCapture.logged(() -> Main.run(args.toArray(String[]::new)));
        assertEquals(0, run.value(), () -> cmd.logName() + " failed:\n" + tail(run.log()));
        TrainLogs.compare(cmd.logName(), run.log(), expected, failures);
      }
      for (String name : recorded) {
        CaffeSnapshots.compare(name, dir.resolve(name), scratch.resolve(name), failures);
      }
    } finally {
      WorkDir.set(Path.of(""));
      Scratch.delete(scratch);
    }
    if (!failures.isEmpty()) {
      fail(dir.getFileName() + ":\n  " + String.join("\n  ", failures));
    }
  }

  private static String tail(String log) {
    String[] lines = log.split("\n");
    return String.join("\n", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - 15), lines.length));
  }
}
