package org.kaffee.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.kaffee.io.ProtoFiles;
import org.kaffee.onnx.proto.Onnx.ModelProto;

class ExportOnnxCommandTest {
  @TempDir
  Path dir;
  private PrintStream savedErr;
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void capture() {
    savedErr = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    System.setErr(savedErr);
  }

  @Test
  void writesTheDeployNetAsOnnx() {
    Path out = dir.resolve("lenet.onnx");
    int code = Main.run("export_onnx", "--model=" + Path.of("models/lenet/lenet_deploy.prototxt").toAbsolutePath(),
        out.toString());
    assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
    ModelProto model = ProtoFiles.readBinary(out, ModelProto.newBuilder(), "ONNX model").build();
    assertEquals("prob", model.getGraph().getOutput(0).getName());
    assertEquals(4, model.getGraph().getInitializerList().stream().filter(t -> t.getName().startsWith("conv")).count());
  }

  @Test
  void anUnexportableLayerIsOneLineNamingIt() throws Exception {
    Path net = dir.resolve("net.prototxt");
    Files.writeString(net, "layer { name: 'data' type: 'Input' top: 'data' input_param { shape { dim: 1 dim: 2 } } }"
        + "layer { name: 'pick' type: 'ArgMax' bottom: 'data' top: 'pick' }");
    Path out = dir.resolve("net.onnx");
    assertEquals(1, Main.run("export_onnx", "--model=" + net, out.toString()));
    // the log lines of building the net come first; the error is the last line, alone
    String[] lines = err.toString(StandardCharsets.UTF_8).strip().split("\n");
    String last = lines[lines.length - 1];
    assertTrue(last.startsWith("kaffee export_onnx: error: layer 'pick' of type ArgMax has no ONNX export"), last);
    assertFalse(err.toString(StandardCharsets.UTF_8).contains("\tat "), "no stack trace");
    assertFalse(Files.exists(out));
  }
}
