package org.kaffee.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kaffee.io.ProtoFiles;
import org.kaffee.proto.Caffe.SolverParameter;
import org.kaffee.testing.LmdbDamage;
import org.kaffee.testing.TinyTraining;

/**
 * Every command that reads a database, given a damaged LMDB, prints one error line naming
 * data.mdb and exits 1. Each runs as its own JVM: before the checked reader, the data.mdb cut to
 * 5,116 bytes (the reported case) and the DUPSORT ones went to native LMDB and the JVM died of
 * SIGBUS (exit 134, an hs_err file in the working directory).
 */
class DamagedDatabaseCommandsTest {
  @TempDir
  Path dir;

  private static final String DEPLOY = "layer { name: \"data\" type: \"Input\" top: \"data\"\n"
      + "  input_param { shape { dim: 1 dim: 1 dim: 4 dim: 4 } } }\n"
      + "layer { name: \"ip\" type: \"InnerProduct\" bottom: \"data\" top: \"ip\"\n"
      + "  inner_product_param { num_output: 4 } }\n"
      + "layer { name: \"prob\" type: \"Softmax\" bottom: \"ip\" top: \"prob\" }\n";

  /** train_lmdb: 300 small Datums, enough for a branch page above several leaves. */
  private Path database(Consumer<LmdbDamage> damage) throws Exception {
    Path db = dir.resolve("train_lmdb");
    if (Files.exists(db)) {
      try (Stream<Path> old = Files.list(db)) {
        for (Path f : old.toList()) {
          Files.delete(f);
        }
      }
      Files.delete(db);
    }
    TinyTraining.writeLmdb(db, 300, 7);
    LmdbDamage d = LmdbDamage.of(db);
    damage.accept(d);
    d.write();
    return db;
  }

  /** Runs the command; asserts exit 1, one error line holding {@code reason}, no stack trace, no crash file. */
  private void failsWithOneLine(String reason, String... args) throws Exception {
    KaffeeProcess p = KaffeeProcess.start(dir, "run.log", args);
    int code = p.waitFor(300);
    String output = p.output();
    assertEquals(1, code, output);
    List<String> errors = output.lines().filter(l -> l.contains(": error: ")).toList();
    assertEquals(1, errors.size(), output);
    String line = errors.get(0);
    assertTrue(line.startsWith("kaffee " + args[0] + ": error: "), line);
    assertTrue(line.contains("train_lmdb/data.mdb: "), line);
    assertTrue(line.contains(reason), line);
    assertFalse(output.contains("\tat ") || output.contains("Exception"), output);
    try (Stream<Path> files = Files.list(dir)) {
      assertTrue(files.noneMatch(f -> f.getFileName().toString().startsWith("hs_err")), "a JVM crash file was left");
    }
  }

  @Test
  void computeImageMeanRefusesTruncatedAndDamagedFiles() throws Exception {
    String[] mean = {"compute_image_mean", "train_lmdb", "mean.binaryproto"};
    database(d -> d.truncate(5116));
    failsWithOneLine("not a valid LMDB file (5116 bytes, shorter than its two meta pages", mean);
    database(d -> d.mainFlags(0x04).mainRoot(500).lastPage(600));
    failsWithOneLine("main database flags 0x4", mean);
    database(d -> d.mainRoot(500).lastPage(600));
    failsWithOneLine("last page 600, but the file's", mean);
    database(d -> d.branchChild(d.mainRoot(), 1, 500));
    failsWithOneLine("corrupt LMDB file (page 500 out of range)", mean);
  }

  @Test
  void trainAndTestRefuseATruncatedFile() throws Exception {
    SolverParameter solver = TinyTraining.solver("SGD", 8, "max_iter: 2");
    ProtoFiles.writeText(dir.resolve("solver.prototxt"), solver);
    ProtoFiles.writeText(dir.resolve("net.prototxt"), solver.getNetParam());
    database(d -> d.truncate(5116));
    failsWithOneLine("shorter than its two meta pages", "train", "--solver=solver.prototxt");
    failsWithOneLine("shorter than its two meta pages", "test", "--model=net.prototxt", "--iterations=1");
  }

  @Test
  void classifyAndEvaluateRefuseATruncatedFile() throws Exception {
    Files.writeString(dir.resolve("deploy.prototxt"), DEPLOY);
    database(d -> d.truncate(5116));
    failsWithOneLine("shorter than its two meta pages", "classify", "--model=deploy.prototxt", "train_lmdb");
    failsWithOneLine("shorter than its two meta pages", "evaluate", "--model=deploy.prototxt", "train_lmdb");
  }
}
