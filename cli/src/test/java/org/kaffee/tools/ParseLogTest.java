package org.kaffee.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kaffee.cli.Main;
import org.kaffee.core.KaffeeException;

class ParseLogTest {
  static final Path SMALL_CNN = Path.of("engine/src/test/resources/tools/caffe_small_cnn_sgd.log");
  static final Path LR_STEP = Path.of("engine/src/test/resources/tools/caffe_lr_step.log");

  /** A Kaffee-format log (classic glog stamps without the year) that crosses new year. */
  static final String KAFFEE_LOG = """
      I1231 23:59:57.900000  4242 TrainCommand.java:80] Starting Optimization
      I1231 23:59:58.000000  4242 Solver.java:100] Solving LeNet
      I1231 23:59:58.000000  4242 Solver.java:101] Learning Rate Policy: inv
      I1231 23:59:58.500000  4242 Solver.java:200] Iteration 0, Testing net (#0)
      I1231 23:59:59.000000  4242 Solver.java:210]     Test net output #0: accuracy = 0.1
      I1231 23:59:59.000001  4242 Solver.java:210]     Test net output #1: loss = 2.3 (* 1 = 2.3 loss)
      I1231 23:59:59.250000  4242 Solver.java:150] Iteration 0 (0 iter/s, 0.2s/10 iters), loss = 2.31
      I1231 23:59:59.250000  4242 Solver.java:160]     Train net output #0: loss = 2.31 (* 1 = 2.31 loss)
      I1231 23:59:59.250000  4242 SgdSolver.java:90] Iteration 0, lr = 0.01
      I0101 00:00:01.750000  4242 Solver.java:150] Iteration 10 (4 iter/s, 2.5s/10 iters), loss = 1.5
      I0101 00:00:01.750000  4242 Solver.java:160]     Train net output #0: loss = 1.4 (* 1 = 1.4 loss)
      I0101 00:00:01.750000  4242 SgdSolver.java:90] Iteration 10, lr = 0.00999
      I0101 00:00:02.000000  4242 Solver.java:200] Iteration 20, Testing net (#0)
      I0101 00:00:02.500000  4242 Solver.java:210]     Test net output #0: accuracy = 0.75
      I0101 00:00:02.500000  4242 Solver.java:210]     Test net output #1: loss = 8e-1 (* 1 = 0.8 loss)
      I0101 00:00:02.750000  4242 Solver.java:150] Iteration 20, loss = 1.1
      I0101 00:00:02.750000  4242 Solver.java:160]     Train net output #0: loss = 1.0 (* 1 = 1.0 loss)
      I0101 00:00:02.800000  4242 Solver.java:300] Optimization Done.
      """;

  private static void assertRow(Map<String, Double> row, double... expected) {
    List<Double> values = List.copyOf(row.values());
    assertEquals(expected.length, values.size(), "columns of " + row);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], values.get(i), 1e-12, "column " + i + " of " + row);
    }
  }

  @Test
  void kaffeeLogGivesTheExpectedRowsAcrossNewYear() {
    ParseLog.Result r = ParseLog.parse(KAFFEE_LOG.lines().toList(), 2025);
    assertEquals(List.of("NumIters", "Seconds", "LearningRate", "loss"), r.train().columns());
    assertEquals(3, r.train().size());
    // the first row's learning rate is logged after it: copied from the second row
    assertRow(r.train().rows().get(0), 0, 1.25, 0.01, 2.31);
    assertRow(r.train().rows().get(1), 10, 3.75, 0.01, 1.4);
    assertRow(r.train().rows().get(2), 20, 4.75, 0.00999, 1.0);
    assertEquals(List.of("NumIters", "Seconds", "LearningRate", "accuracy", "loss"),
        r.test().columns());
    assertEquals(2, r.test().size());
    assertRow(r.test().rows().get(0), 0, 1.0, 0.00999, 0.1, 2.3);
    assertRow(r.test().rows().get(1), 20, 4.5, 0.00999, 0.75, 0.8);
  }

  @Test
  void recordedCaffeLogWithTestNet() {
    ParseLog.Result r = ParseLog.parse(SMALL_CNN);
    assertEquals(30, r.train().size());
    assertRow(r.train().rows().get(0), 0, 0.000399, 0.02, 1.37569);
    assertRow(r.train().rows().get(29), 29, 0.002248, 0.0199581, 0.423362);
    // byte for byte what BVLC parse_log.py writes (checked against the script)
    assertEquals("NumIters,Seconds,LearningRate,accuracy,loss\r\n"
        + "0.0,0.000328,0.019979,0.203125,1.64761\r\n"
        + "15.0,0.001498,0.019979,0.609375,0.910157\r\n"
        + "30.0,0.002792,0.0199566,0.75,0.612063\r\n", ParseLog.toCsv(r.test(), ','));
  }

  @Test
  void recordedCaffeLogWithStepLearningRate() {
    ParseLog.Result r = ParseLog.parse(LR_STEP);
    assertTrue(r.test().isEmpty());
    assertEquals(25, r.train().size());
    assertRow(r.train().rows().get(7), 7, 0.000381, 0.1, 0.632996);
    assertRow(r.train().rows().get(8), 8, 0.000425, 0.05, 0.720681);
    assertRow(r.train().rows().get(24), 24, 0.000749, 0.0125, 0.272355);
  }

  @Test
  void commandWritesTheTrainAndTestFiles(@TempDir Path dir) throws IOException {
    assertEquals(0, Main.run("parse_log", SMALL_CNN.toString(), dir.toString()));
    List<String> train = Files.readAllLines(dir.resolve("caffe_small_cnn_sgd.log.train"));
    assertEquals(31, train.size());
    assertEquals("NumIters,Seconds,LearningRate,loss", train.get(0));
    assertEquals("2.0,0.000515,0.0199985,1.47099", train.get(3));
    assertEquals(4, Files.readAllLines(dir.resolve("caffe_small_cnn_sgd.log.test")).size());

    assertEquals(0, Main.run("parse_log", LR_STEP.toString(), dir.toString(), "--delimiter", ";"));
    assertEquals("8.0;0.000425;0.05;0.720681",
        Files.readAllLines(dir.resolve("caffe_lr_step.log.train")).get(9));
    assertFalse(Files.exists(dir.resolve("caffe_lr_step.log.test")), "no test rows, no file");
  }

  @Test
  void errorsNameTheFile(@TempDir Path dir) throws IOException {
    Path missing = dir.resolve("nope.log");
    KaffeeException e = assertThrows(KaffeeException.class, () -> ParseLog.parse(missing));
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    String err = DrawNetTest.stderrOf(1, "parse_log", missing.toString(), dir.toString());
    assertTrue(err.contains("kaffee parse_log: error: log file not found: " + missing), err);
    Path notALog = Files.writeString(dir.resolve("notes.txt"), "hello\nworld\n");
    assertEquals(1, Main.run("parse_log", notALog.toString(), dir.toString()));
    // a file where the output directory should be
    String blocked = DrawNetTest.stderrOf(1, "parse_log", SMALL_CNN.toString(), notALog.toString());
    assertTrue(blocked.contains("cannot create the output directory " + notALog
        + ": a file of that name is in the way"), blocked);
  }

  @Test
  void commandCreatesAMissingOutputDirectory(@TempDir Path dir) throws IOException {
    Path out = dir.resolve("runs").resolve("tables");
    assertEquals(0, Main.run("parse_log", SMALL_CNN.toString(), out.toString()));
    assertEquals(31, Files.readAllLines(out.resolve("caffe_small_cnn_sgd.log.train")).size());
    assertEquals(4, Files.readAllLines(out.resolve("caffe_small_cnn_sgd.log.test")).size());
  }

  @Test
  void floatsPrintAsPythonReprDoes() {
    assertEquals("0.0", ParseLog.pythonRepr(0));
    assertEquals("15.0", ParseLog.pythonRepr(15));
    assertEquals("1.2e-05", ParseLog.pythonRepr(1.2e-5));
    assertEquals("0.0001", ParseLog.pythonRepr(1e-4));
    assertEquals("0.0199985", ParseLog.pythonRepr(0.0199985));
    assertEquals("-2.5", ParseLog.pythonRepr(-2.5));
    assertEquals("1e+16", ParseLog.pythonRepr(1e16));
    assertEquals("1234567890123456.0", ParseLog.pythonRepr(1234567890123456.0));
    assertEquals("nan", ParseLog.pythonRepr(Double.NaN));
  }

  @Test
  void readsGlogStampsWithAndWithoutTheYear() {
    assertEquals(2026, ParseLog.timeOf("I20261122 23:27:30.195268 14397 x.cpp:1] a", 1999).getYear());
    assertEquals(1999, ParseLog.timeOf("I1122 23:27:30.195268 14397 x.cpp:1] a", 1999).getYear());
    assertEquals(195268000, ParseLog.timeOf("I1122 23:27:30.195268 1 x.cpp:1] a", 1999).getNano());
    assertEquals(null, ParseLog.timeOf("  base_lr: 0.01", 1999));
  }
}
