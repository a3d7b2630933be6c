package org.kaffee.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The train, test and time commands end to end on a parameterless DummyData net. */
class TrainTestTimeCommandTest {
  private static final String NET = "name: \"dummy\"\n"
      + "layer { name: \"data\" type: \"DummyData\" top: \"x\"\n"
      + "  dummy_data_param { shape { dim: 1 dim: 2 } data_filler { type: \"constant\" value: 0.5 } } }\n";

  @TempDir
  Path dir;
  private CommandOutput out;

  @BeforeEach
  void capture() {
    out = new CommandOutput(dir);
  }

  @AfterEach
  void restore() {
    out.close();
  }

  @Test
  void weightsWithSnapshotIsAnError() {
    int code = Main.run("train", "--solver=s.prototxt", "--weights=a.caffemodel",
        "--snapshot=b.solverstate");
    assertEquals(1, code);
    assertTrue(out.err().contains("kaffee train: error: give --snapshot to resume training or"
        + " --weights to finetune, but not both"), out.err());
  }

  @Test
  void missingSolverFileIsNamed() {
    int code = Main.run("train", "-solver", "nope.prototxt");
    assertEquals(1, code);
    assertTrue(out.err().contains("nope.prototxt: no such file"), out.err());
  }

  @Test
  void missingSolverFlag() {
    assertEquals(1, Main.run("train"));
    assertTrue(out.err().contains("need a solver definition to train"), out.err());
  }

  @Test
  void badSignalEffect() {
    assertEquals(1, Main.run("train", "--solver=s.prototxt", "--sigint_effect=explode"));
    assertTrue(out.err().contains("invalid signal effect \"explode\""), out.err());
  }

  @Test
  void badResumeDataIsNamed() {
    assertEquals(1, Main.run("train", "--solver=s.prototxt", "--resume_data=later"));
    assertTrue(out.err().contains("--resume_data: expected exact or restart, got 'later'"), out.err());
    assertEquals(1, Main.run("train", "--solver=s.prototxt", "--resume_data=restart", "--spark-master=local[2]"));
    assertTrue(out.err().contains("--resume_data=restart: Spark runs resume exactly"), out.err());
  }

  @Test
  void trainLogsInCaffesOrderAndSnapshots() throws Exception {
    Files.writeString(dir.resolve("solver.prototxt"), "net_param { " + NET + " }\n"
        + "base_lr: 0.1 lr_policy: \"fixed\" max_iter: 4 display: 2\n"
        + "test_iter: 2 test_interval: 2 snapshot: 3 random_seed: 1\n");
    int code = Main.run("train", "--solver=solver.prototxt");
    assertEquals(0, code, out.err());
    List<String> m = out.takeMessages();
    List<String> wanted = List.of(
        "Solving dummy",
        "Learning Rate Policy: fixed",
        "Iteration 0, Testing net (#0)",
        "    Test net output #0: x = 0.5",
        "    Test net output #1: x = 0.5",
        "Iteration 0, lr = 0.1",
        "Iteration 2, Testing net (#0)",
        "    Train net output #1: x = 0.5",
        "Snapshotting to binary proto file solver_iter_3.caffemodel",
        "Snapshotting solver state to binary proto file solver_iter_3.solverstate",
        "Snapshotting to binary proto file solver_iter_4.caffemodel",
        "Iteration 4, loss = 0",
        "Iteration 4, Testing net (#0)",
        "Optimization Done.");
    int at = 0;
    for (String w : wanted) {
      int found = m.subList(at, m.size()).indexOf(w);
      assertTrue(found >= 0, "missing or out of order: '" + w + "' in\n" + String.join("\n", m));
      at += found + 1;
    }
    assertTrue(m.stream().anyMatch(s -> s.matches(
        "Iteration 2 \\([0-9.e+-]+ iter/s, [0-9.e+-]+s/2 iters\\), loss = 0")), String.join("\n", m));
    assertTrue(Files.exists(dir.resolve("solver_iter_4.solverstate")));
    assertTrue(Files.exists(dir.resolve("solver_iter_3.caffemodel")));
  }

  @Test
  void snapshotDirectoryIsCreated() throws Exception {
    Files.writeString(dir.resolve("solver.prototxt"), "net_param { " + NET + " }\n"
        + "base_lr: 0.1 lr_policy: \"fixed\" max_iter: 2 snapshot: 2\n"
        + "snapshot_prefix: \"runs/new/model\"\n");
    assertEquals(0, Main.run("train", "--solver=solver.prototxt"), out.err());
    assertTrue(Files.exists(dir.resolve("runs/new/model_iter_2.caffemodel")));
  }

  @Test
  void testCommandPrintsBatchesAndMeans() throws Exception {
    Files.writeString(dir.resolve("net.prototxt"), NET);
    assertEquals(0, Main.run("test", "--model=net.prototxt", "--iterations=3"), out.err());
    List<String> m = out.takeMessages();
    assertTrue(m.contains("Running for 3 iterations."), String.join("\n", m));
    assertTrue(m.contains("Batch 2, x = 0.5"), String.join("\n", m));
    assertTrue(m.contains("Loss: 0"), String.join("\n", m));
    assertEquals(2, m.stream().filter(s -> s.equals("x = 0.5")).count(), String.join("\n", m));
  }

  @Test
  void timeCommandPrintsCaffesSummary() throws Exception {
    Files.writeString(dir.resolve("net.prototxt"), NET);
    assertEquals(0, Main.run("time", "-model", "net.prototxt", "-iterations", "2"), out.err());
    List<String> m = out.takeMessages();
    assertTrue(m.stream().anyMatch(s -> s.matches("      data\tforward: [0-9.e+-]+ ms\\.")),
        String.join("\n", m));
    assertTrue(m.stream().anyMatch(s -> s.matches("      data\tbackward: [0-9.e+-]+ ms\\.")));
    for (String prefix : List.of("Average Forward pass: ", "Average Backward pass: ",
        "Average Forward-Backward: ", "Total Time: ")) {
      assertTrue(m.stream().anyMatch(s -> s.startsWith(prefix) && s.endsWith(" ms.")), prefix);
    }
  }

  @Test
  void timeRejectsABadPhase() throws Exception {
    Files.writeString(dir.resolve("net.prototxt"), NET);
    assertEquals(1, Main.run("time", "--model=net.prototxt", "--phase=VAL"));
    assertTrue(out.err().contains("--phase must be"), out.err());
  }
}
