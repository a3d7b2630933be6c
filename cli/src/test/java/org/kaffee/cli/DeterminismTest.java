package org.kaffee.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kaffee.io.WorkDir;
import org.kaffee.log.Glog;

/**
 * The short version of bench/determinism.sh: a net whose data, fillers and dropout all draw from
 * the seeded generator, trained through the command line. The same random_seed gives
 * byte-identical caffemodels, with or without intermediate snapshots; another seed differs.
 */
class DeterminismTest {
  private static final String NET = "name: \"seeded\"\n"
      + "layer { name: \"data\" type: \"DummyData\" top: \"x\" top: \"y\"\n"
      + "  dummy_data_param { shape { dim: 4 dim: 1 dim: 8 dim: 8 } shape { dim: 4 }\n"
      + "    data_filler { type: \"gaussian\" std: 1 } data_filler { type: \"constant\" value: 1 } } }\n"
      + "layer { name: \"conv\" type: \"Convolution\" bottom: \"x\" top: \"conv\"\n"
      + "  convolution_param { num_output: 3 kernel_size: 3 weight_filler { type: \"xavier\" } } }\n"
      + "layer { name: \"pool\" type: \"Pooling\" bottom: \"conv\" top: \"pool\"\n"
      + "  pooling_param { pool: MAX kernel_size: 2 stride: 2 } }\n"
      + "layer { name: \"drop\" type: \"Dropout\" bottom: \"pool\" top: \"pool\" }\n"
      + "layer { name: \"ip\" type: \"InnerProduct\" bottom: \"pool\" top: \"ip\"\n"
      + "  inner_product_param { num_output: 3 weight_filler { type: \"gaussian\" std: 0.1 } } }\n"
      + "layer { name: \"loss\" type: \"SoftmaxWithLoss\" bottom: \"ip\" bottom: \"y\" top: \"loss\" }\n";

  @TempDir
  Path dir;
  private Path savedWorkDir;
  private PrintStream savedLog;
  private PrintStream savedErr;
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void capture() {
    savedWorkDir = WorkDir.get();
    WorkDir.set(dir);
    savedLog = Glog.output();
    Glog.setOutput(new PrintStream(OutputStream.nullOutputStream()));
    savedErr = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    WorkDir.set(savedWorkDir);
    Glog.setOutput(savedLog);
    System.setErr(savedErr);
  }

  /** Trains 6 iterations into dir/NAME and returns the final caffemodel's bytes. */
  private byte[] train(String name, int seed, int snapshotEvery) throws Exception {
    Files.writeString(dir.resolve(name + ".prototxt"), "net_param { " + NET + " }\n"
        + "base_lr: 0.1 momentum: 0.9 lr_policy: \"fixed\" max_iter: 6\n"
        + "snapshot: " + snapshotEvery + " snapshot_prefix: \"" + name + "\" random_seed: " + seed + "\n");
    assertEquals(0, Main.run("train", "--solver=" + name + ".prototxt"), err.toString(StandardCharsets.UTF_8));
    return Files.readAllBytes(dir.resolve(name + "_iter_6.caffemodel"));
  }

  @Test
  void sameSeedSameBytesOtherSeedDiffers() throws Exception {
    byte[] first = train("a", 7, 0);
    byte[] again = train("b", 7, 2);
    byte[] other = train("c", 8, 0);
    assertArrayEquals(first, again, "the same seed gave different weights");
    assertFalse(Arrays.equals(first, other), "seeds 7 and 8 gave the same weights");
  }
}
