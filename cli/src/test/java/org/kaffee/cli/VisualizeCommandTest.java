package org.kaffee.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kaffee.api.Kaffee;
import org.kaffee.data.Image;
import org.kaffee.io.ProtoFiles;
import org.kaffee.io.WorkDir;
import org.kaffee.log.Glog;
import org.kaffee.proto.Caffe.NetParameter;

/** {@code kaffee visualize} end to end: the files it prints, and one line for a bad request. */
class VisualizeCommandTest {
  static final String NET = """
      name: "small"
      layer { name: "data" type: "Input" top: "data"
              input_param { shape { dim: 2 dim: 1 dim: 6 dim: 6 } } }
      layer { name: "conv1" type: "Convolution" bottom: "data" top: "conv1"
              convolution_param { num_output: 3 kernel_size: 3 weight_filler { type: "gaussian" std: 1 } } }
      layer { name: "ip" type: "InnerProduct" bottom: "conv1" top: "ip"
              inner_product_param { num_output: 2 weight_filler { type: "gaussian" std: 1 } } }
      """;

  @TempDir
  Path dir;
  private Path savedWorkDir;
  private PrintStream savedOut;
  private PrintStream savedErr;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void capture() {
    savedWorkDir = WorkDir.get();
    WorkDir.set(dir);
    savedOut = System.out;
    savedErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    Glog.setOutput(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    WorkDir.set(savedWorkDir);
    System.setOut(savedOut);
    System.setErr(savedErr);
    Glog.setOutput(System.err);
  }

  @Test
  void writesEveryPictureAskedForAndPrintsItsPath() throws Exception {
    Files.writeString(dir.resolve("deploy.prototxt"), NET);
    NetParameter weights = Kaffee.open(dir.resolve("deploy.prototxt")).load().core()
        .toProto(NetParameter.getDefaultInstance(), false);
    ProtoFiles.writeBinary(dir.resolve("w.caffemodel"), weights);
    byte[] pixels = new byte[36];
    for (int i = 0; i < 36; i++) {
      pixels[i] = (byte) (i * 7);
    }
    Files.write(dir.resolve("x.png"), new Image(1, 6, 6, pixels).encode("png"));
    int code = Main.run("visualize", "--model=deploy.prototxt", "--weights=w.caffemodel", "--output=pics",
        "--filters=conv1", "--image=x.png", "--blobs=conv1,ip", "--mean_value=128", "--scale=0.01",
        "--maximize=ip:1", "--iterations=5");
    assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
    String printed = out.toString(StandardCharsets.UTF_8);
    for (String file : new String[] {"filters_conv1.png", "maps_conv1.png", "maps_ip.png", "activations.txt",
        "maximize_ip_1.png"}) {
      assertTrue(printed.contains(file), printed);
      assertTrue(Files.size(dir.resolve("pics").resolve(file)) > 0, file);
    }
    assertTrue(printed.contains("ip:1: activation"), printed);
    assertTrue(Files.readString(dir.resolve("pics/activations.txt")).contains("conv1"));
  }

  @Test
  void aBadRequestIsOneLineAndExitOne() throws Exception {
    Files.writeString(dir.resolve("deploy.prototxt"), NET);
    assertEquals(1, Main.run("visualize", "--model=deploy.prototxt", "--output=pics", "--blobs=conv1"));
    assertEquals("kaffee visualize: error: --blobs needs --image",
        err.toString(StandardCharsets.UTF_8).strip());
    err.reset();
    assertEquals(1, Main.run("visualize", "--model=deploy.prototxt", "--output=pics", "--filters=ip"));
    String message = err.toString(StandardCharsets.UTF_8).strip();
    assertTrue(message.startsWith("kaffee visualize: error: layer ip (InnerProduct) has no 4-axis weights"), message);
    assertEquals(1, message.lines().count());
  }
}
