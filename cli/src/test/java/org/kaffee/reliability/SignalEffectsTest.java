package org.kaffee.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kaffee.io.ProtoFiles;
import org.kaffee.proto.Caffe.SolverState;

/** --sigint_effect / --sighup_effect on a real `kaffee train` process, as Caffe's tools promise. */
class SignalEffectsTest {
  static final String NET = """
      name: "signals"
      layer { name: "data" type: "DummyData" top: "data" top: "label"
        dummy_data_param { shape { dim: 4 dim: 8 } shape { dim: 4 }
          data_filler { type: "constant" value: 0.5 } data_filler { type: "constant" value: 1 } } }
      layer { name: "ip" type: "InnerProduct" bottom: "data" top: "ip"
        inner_product_param { num_output: 3 weight_filler { type: "gaussian" std: 0.1 } } }
      layer { name: "loss" type: "SoftmaxWithLoss" bottom: "ip" bottom: "label" top: "loss" }
      """;
  /** Far more iterations than the test waits for: only a signal ends the run early. */
  private static final String SOLVER = """
      net: "net.prototxt" base_lr: 0.01 lr_policy: "fixed" max_iter: 100000000 display: 1
      snapshot_prefix: "snap/sig" random_seed: 1
      """;
  static final Pattern SNAPSHOT = Pattern.compile("Snapshotting solver state to binary proto file (\\S+)");

  @TempDir
  Path dir;

  private KaffeeProcess train(String... flags) throws Exception {
    Files.writeString(dir.resolve("net.prototxt"), NET);
    Files.writeString(dir.resolve("solver.prototxt"), SOLVER);
    String[] args = new String[flags.length + 2];
    args[0] = "train";
    args[1] = "--solver=solver.prototxt";
    System.arraycopy(flags, 0, args, 2, flags.length);
    KaffeeProcess p = KaffeeProcess.start(dir, "train-" + flags.length + System.nanoTime() + ".log", args);
    assertTrue(p.awaitLog("Iteration 3,", 300), "training did not start: " + p.output());
    return p;
  }

  /** The iteration a solverstate holds, once written (the log line comes just before the file). */
  static int iterationOf(String stateFile, Path dir) throws InterruptedException {
    Path file = dir.resolve(stateFile);
    for (int i = 0; i < 1200 && !Files.exists(file); i++) {
      Thread.sleep(50);
    }
    return ProtoFiles.readBinary(file, SolverState.newBuilder(), "solverstate").getIter();
  }

  static int countSnapshots(String log) {
    Matcher m = SNAPSHOT.matcher(log);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  @Test
  void sighupSnapshotsAndContinuesThenSigintStopsWithAFinalSnapshot() throws Exception {
    KaffeeProcess p = train();  // Caffe's defaults: SIGHUP snapshot, SIGINT stop
    p.signal("HUP");
    assertTrue(p.awaitLog("Snapshotting solver state", 120), p.output());
    Matcher first = SNAPSHOT.matcher(p.output());
    assertTrue(first.find());
    int hupIter = iterationOf(first.group(1), dir);
    assertTrue(p.awaitLog("Iteration " + (hupIter + 3) + ",", 120), "no iterations after SIGHUP");
    assertTrue(p.alive(), "SIGHUP stopped the run");

    p.signal("INT");
    assertEquals(0, p.waitFor(120), "SIGINT: " + p.output());
    String log = p.output();
    assertTrue(log.contains("Optimization stopped early."), log);
    assertEquals(2, countSnapshots(log), "one snapshot for SIGHUP, the final one for SIGINT");
    Matcher last = SNAPSHOT.matcher(log);
    last.find();
    last.find();
    int stopIter = iterationOf(last.group(1), dir);
    assertTrue(stopIter > hupIter + 3, "the final snapshot is not the stopping iteration's");
    assertTrue(Files.exists(dir.resolve("snap/sig_iter_" + stopIter + ".caffemodel")));
  }

  @Test
  void effectsCanBeSwappedOrSwitchedOff() throws Exception {
    KaffeeProcess p = train("--sigint_effect=none", "--sighup_effect=stop");
    p.signal("INT");
    int at = lastIteration(p.output());
    assertTrue(p.awaitLog("Iteration " + (at + 5) + ",", 120), "SIGINT with effect none stopped it");
    assertTrue(p.alive());
    assertFalse(p.output().contains("Snapshotting"), "SIGINT with effect none snapshotted");

    p.signal("HUP");
    assertEquals(0, p.waitFor(120), p.output());
    assertTrue(p.output().contains("Optimization stopped early."), p.output());
    assertEquals(1, countSnapshots(p.output()), "stop writes the final snapshot");
  }

  static int lastIteration(String log) {
    Matcher m = Pattern.compile("Iteration (\\d+),").matcher(log);
    int last = 0;
    while (m.find()) {
      last = Integer.parseInt(m.group(1));
    }
    return last;
  }
}
