package org.kaffee.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kaffee.core.KaffeeException;
import org.kaffee.io.ProtoFiles;
import org.kaffee.log.Glog;
import org.kaffee.proto.Caffe.SolverParameter;
import org.kaffee.solver.Solver;
import org.kaffee.solver.Solvers;
import org.kaffee.testing.Requirements;

/**
 * Snapshots onto a full file system and into a read-only one (a small tmpfs this test mounts,
 * so it needs root: requirement {@code tmpfs} of {@link Requirements}): one clear line, the previous snapshot
 * intact, no partial file, and through the command line a non-zero exit.
 */
class SnapshotFaultsTest {
  /** About 1.6 MB of weights and as much momentum: a snapshot pair takes 3.2 MB of the 8 MB tmpfs. */
  private static final String NET = "name: 'faults' layer { name: 'data' type: 'DummyData' top: 'data'"
      + " top: 'label' dummy_data_param { shape { dim: 2 dim: 400 } shape { dim: 2 }"
      + " data_filler { type: 'constant' value: 1 } data_filler { type: 'constant' value: 0 } } }"
      + " layer { name: 'ip' type: 'InnerProduct' bottom: 'data' top: 'ip'"
      + " inner_product_param { num_output: 1000 weight_filler { type: 'gaussian' std: 0.01 } } }"
      + " layer { name: 'loss' type: 'SoftmaxWithLoss' bottom: 'ip' bottom: 'label' top: 'loss' }";

  @TempDir
  Path tmp;
  private Path mount;
  private PrintStream log;

  @BeforeEach
  void mountTmpfs() throws Exception {
    mount = Files.createDirectories(tmp.resolve("fs"));
    Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", mount.toString())
        .redirectErrorStream(true).start();
    String said = new String(p.getInputStream().readAllBytes()).strip();
    boolean mounted = p.waitFor() == 0;
    if (!mounted) {
      mount = null;  // nothing to unmount
    }
    Requirements.require(Requirements.TMPFS, mounted, "cannot mount a small tmpfs (it needs root, or"
        + " CAP_SYS_ADMIN in a container), so disk-full and read-only snapshots are not tested: mount said '"
        + said + "'");
    log = Glog.output();
    Glog.setOutput(new PrintStream(OutputStream.nullOutputStream()));
  }

  @AfterEach
  void unmount() throws Exception {
    if (log != null) {
      Glog.setOutput(log);
    }
    if (mount != null) {
      sh("umount", mount.toString());
    }
  }

  private static int sh(String... command) throws IOException, InterruptedException {
    return new ProcessBuilder(command).inheritIO().start().waitFor();
  }

  private void fillLeaving(long bytes) throws IOException {
    Files.write(mount.resolve("filler"), new byte[(int) (Files.getFileStore(mount).getUsableSpace() - bytes)]);
  }

  private Solver solver() {
    SolverParameter param = ProtoFiles.parseText("net_param { " + NET + " } base_lr: 0.01"
        + " momentum: 0.9 lr_policy: 'fixed' max_iter: 100 snapshot_prefix: '" + mount
        + "/snap/net' random_seed: 1", "faults_solver", SolverParameter.newBuilder()).build();
    return Solvers.create(param);
  }

  private List<String> files() throws IOException {
    try (Stream<Path> s = Files.list(mount.resolve("snap"))) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private void assertFailsCleanly(Solver solver, String reason) throws IOException {
    Path model = mount.resolve("snap/net_iter_1.caffemodel");
    Path state = mount.resolve("snap/net_iter_1.solverstate");
    byte[] goodModel = Files.readAllBytes(model);
    byte[] goodState = Files.readAllBytes(state);
    solver.step(1);
    KaffeeException e = assertThrows(KaffeeException.class, solver::snapshot);
    assertFalse(e.getMessage().contains("\n"), "not one line: " + e.getMessage());
    assertTrue(e.getMessage().contains("net_iter_2") && e.getMessage().contains(reason), e.getMessage());
    assertArrayEquals(goodModel, Files.readAllBytes(model), "the previous caffemodel changed");
    assertArrayEquals(goodState, Files.readAllBytes(state), "the previous solverstate changed");
    for (String f : files()) {
      assertFalse(f.endsWith(".tmp"), "a partial file was left behind: " + f);
    }
    assertFalse(files().contains("net_iter_2.solverstate"), "a state for the failed snapshot exists");
    assertFalse(files().contains("net_iter_2.caffemodel"), "a model for the failed snapshot exists");
  }

  @Test
  void aFullDiskFailsWithOneLineAndKeepsThePreviousSnapshot() throws Exception {
    Solver solver = solver();
    solver.step(1);
    solver.snapshot();
    fillLeaving(200 << 10);  // the next snapshot runs out of space halfway
    assertFailsCleanly(solver, "No space left on device");
    solver.close();
  }

  @Test
  void aDiskThatFillsDuringTheSolverstateLeavesNoCaffemodelOfThatIteration() throws Exception {
    Solver solver = solver();
    solver.step(1);
    solver.snapshot();
    // room for the next caffemodel but not for its solverstate
    fillLeaving(Files.size(mount.resolve("snap/net_iter_1.caffemodel")) + (200 << 10));
    assertFailsCleanly(solver, "No space left on device");
    solver.close();
  }

  @Test
  void aReadOnlyDirectoryFailsWithOneLineAndKeepsThePreviousSnapshot() throws Exception {
    Solver solver = solver();
    solver.step(1);
    solver.snapshot();
    assertEquals(0, sh("mount", "-o", "remount,ro", mount.toString()));
    assertFailsCleanly(solver, "Read-only file system");
    solver.close();
  }

  @Test
  void theCommandLineExitsNonZeroWithOneLine() throws Exception {
    Files.writeString(tmp.resolve("net.prototxt"), NET);
    Files.writeString(tmp.resolve("solver.prototxt"), "net: 'net.prototxt' base_lr: 0.01 lr_policy: 'fixed'"
        + " max_iter: 4 snapshot: 2 snapshot_prefix: '" + mount + "/snap/net' random_seed: 1\n");
    fillLeaving(200 << 10);
    KaffeeProcess p = KaffeeProcess.start(tmp, "train.log", "train", "--solver=solver.prototxt");
    assertEquals(1, p.waitFor(300), p.output());
    String[] lines = p.output().strip().split("\n");
    String last = lines[lines.length - 1];
    assertTrue(last.contains("net_iter_2.caffemodel") && last.contains("No space left on device"), last);
    assertFalse(p.output().contains("\tat org.kaffee"), "a stack trace without --verbose");
  }
}
