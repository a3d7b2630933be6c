package org.kaffee.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kaffee.io.IoTestFiles.net;
import static org.kaffee.io.IoTestFiles.resource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kaffee.cli.Main;
import org.kaffee.log.Glog;
import org.kaffee.proto.Caffe.BlobProto;
import org.kaffee.proto.Caffe.NetParameter;
import org.kaffee.proto.Caffe.SolverParameter;
import org.kaffee.proto.Caffe.V1LayerParameter;

/** The three upgrade commands, run through {@code Main.run} as the kaffee launcher does. */
class UpgradeCommandsTest {
  @TempDir
  Path dir;

  /** Exit code and everything written to stderr (log and error lines). */
  private record Run(int exit, String err) {
  }

  private static Run run(String... args) {
    PrintStream oldErr = System.err;
    PrintStream oldLog = Glog.output();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream capture = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    System.setErr(capture);
    Glog.setOutput(capture);
    try {
      int exit = Main.run(args);
      return new Run(exit, bytes.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(oldErr);
      Glog.setOutput(oldLog);
    }
  }

  private static String lastLine(String text) {
    String[] lines = text.strip().split("\n");
    return lines[lines.length - 1];
  }

  @Test
  void upgradeNetTextWritesTheCurrentNet() {
    Path in = resource("lenet_v1.prototxt");
    Path out = dir.resolve("lenet.prototxt");
    Run r = run("upgrade_net_proto_text", in.toString(), out.toString());
    assertEquals(0, r.exit(), r.err());
    assertEquals(net("lenet_v1_upgraded.prototxt"),
        ProtoFiles.readText(out, NetParameter.newBuilder()).build());
    assertTrue(r.err().contains("deprecated V1LayerParameter: " + in), r.err());
    assertTrue(lastLine(r.err()).endsWith("] Wrote upgraded NetParameter text proto to " + out),
        r.err());
  }

  @Test
  void upgradeNetTextOfACurrentNetStillWritesItAndExitsZero() throws IOException {
    Path in = resource("lenet_v1_upgraded.prototxt");
    Path out = dir.resolve("same.prototxt");
    Run r = run("upgrade_net_proto_text", in.toString(), out.toString());
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.err().contains("] File already in latest proto format: " + in), r.err());
    NetParameter written = ProtoFiles.readText(out, NetParameter.newBuilder()).build();
    assertEquals(net("lenet_v1_upgraded.prototxt"), written);
    // No defaults are filled in: the data layer's backend stays as written, nothing is added.
    assertFalse(Files.readString(out).contains("phase: TRAIN\n    level"));
    assertFalse(written.getLayer(2).getConvolutionParam().hasBiasTerm());
  }

  @Test
  void upgradeNetTextWithDroppedFieldsWritesAndExitsOne() {
    Path in = dir.resolve("v0.prototxt");
    Path out = dir.resolve("v0_up.prototxt");
    ProtoFiles.writeText(in, NetParameter.newBuilder().addLayers(V1LayerParameter.newBuilder()
        .addTop("x").setLayer(org.kaffee.proto.Caffe.V0LayerParameter.newBuilder()
            .setName("r").setType("relu").setGroup(2))).build());
    Run r = run("upgrade_net_proto_text", in.toString(), out.toString());
    assertEquals(1, r.exit(), r.err());
    assertTrue(Files.exists(out));
    assertTrue(r.err().contains("] Unknown parameter group for layer type relu"), r.err());
    assertTrue(lastLine(r.err()).contains("] Encountered error(s) while upgrading " + in),
        r.err());
  }

  @Test
  void upgradeNetBinaryUpgradesAV1CaffemodelKeepingBlobs() {
    BlobProto w = BlobProto.newBuilder().setNum(1).setChannels(1).setHeight(2).setWidth(2)
        .addData(1).addData(2).addData(3).addData(4).build();
    NetParameter v1 = NetParameter.newBuilder().setName("old").addInput("data")
        .addLayers(V1LayerParameter.newBuilder().setName("ip").setType(V1LayerParameter.LayerType.INNER_PRODUCT)
            .addBottom("data").addTop("ip").addBlobs(w))
        .build();
    Path in = dir.resolve("old.caffemodel");
    Path out = dir.resolve("new.caffemodel");
    ProtoFiles.writeBinary(in, v1);
    Run r = run("upgrade_net_proto_binary", in.toString(), out.toString());
    assertEquals(0, r.exit(), r.err());
    NetParameter up = ProtoFiles.readBinary(out, NetParameter.newBuilder(), "caffemodel").build();
    NetParameter expected = NetParameter.newBuilder().setName("old")
        .addLayer(org.kaffee.proto.Caffe.LayerParameter.newBuilder().setName("ip")
            .setType("InnerProduct").addBottom("data").addTop("ip").addBlobs(w))
        .build();
    assertEquals(expected, up);
    assertTrue(lastLine(r.err()).endsWith("] Wrote upgraded NetParameter binary proto to " + out),
        r.err());
  }

  @Test
  void upgradeNetBinaryRejectsRandomBytesNamingTheFile() throws IOException {
    Path in = dir.resolve("junk.caffemodel");
    Files.write(in, new byte[] {(byte) 0xff, (byte) 0xff, 0x07, 0x13, 0x00});
    Run r = run("upgrade_net_proto_binary", in.toString(), dir.resolve("o").toString());
    assertEquals(1, r.exit());
    assertTrue(lastLine(r.err()).startsWith("kaffee upgrade_net_proto_binary: error: " + in
        + ": not a valid caffemodel"), r.err());
    assertFalse(Files.exists(dir.resolve("o")));
  }

  @Test
  void upgradeSolverText() {
    Path in = resource("solver_type.prototxt");
    Path out = dir.resolve("solver.prototxt");
    Run r = run("upgrade_solver_proto_text", in.toString(), out.toString());
    assertEquals(0, r.exit(), r.err());
    SolverParameter expected = ProtoFiles.readText(resource("solver_type_upgraded.prototxt"),
        SolverParameter.newBuilder()).build();
    assertEquals(expected, ProtoFiles.readText(out, SolverParameter.newBuilder()).build());
    assertTrue(lastLine(r.err()).endsWith("] Wrote upgraded SolverParameter text proto to " + out),
        r.err());
  }

  @Test
  void upgradeSolverTextOfACurrentSolverAddsNoDefaults() throws IOException {
    Path in = dir.resolve("current.prototxt");
    Files.writeString(in, "net: \"n.prototxt\"\nbase_lr: 0.5\ntype: \"Adam\"\n");
    Path out = dir.resolve("out.prototxt");
    Run r = run("upgrade_solver_proto_text", in.toString(), out.toString());
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.err().contains("] File already in latest proto format: " + in), r.err());
    // Printed in field-number order, as Caffe's TextFormat::Print does.
    assertEquals("base_lr: 0.5\nnet: \"n.prototxt\"\ntype: \"Adam\"\n", Files.readString(out));
  }

  @Test
  void parseErrorExitsOneWithFileLineColumn() throws IOException {
    Path in = dir.resolve("bad.prototxt");
    Files.writeString(in, "base_lr: 0.1\nsolver_type: FAST\n");
    Run r = run("upgrade_solver_proto_text", in.toString(), dir.resolve("o.prototxt").toString());
    assertEquals(1, r.exit());
    assertEquals("kaffee upgrade_solver_proto_text: error: " + in + ":2:14: Enum type "
        + "\"caffe.SolverParameter.SolverType\" has no value named \"FAST\".", lastLine(r.err()));
  }

  @Test
  void conflictingSolverTypesExitOne() throws IOException {
    Path in = dir.resolve("both.prototxt");
    Files.writeString(in, "type: \"SGD\"\nsolver_type: ADAM\n");
    Run r = run("upgrade_solver_proto_text", in.toString(), dir.resolve("o.prototxt").toString());
    assertEquals(1, r.exit());
    assertTrue(lastLine(r.err()).startsWith("kaffee upgrade_solver_proto_text: error: " + in
        + ": failed to upgrade solver"), r.err());
  }

  @Test
  void missingInputAndMissingArgumentExitOne() {
    Path missing = dir.resolve("missing.prototxt");
    Run r = run("upgrade_net_proto_text", missing.toString(), dir.resolve("o").toString());
    assertEquals(1, r.exit());
    assertEquals("kaffee upgrade_net_proto_text: error: " + missing + ": no such file",
        lastLine(r.err()));
    r = run("upgrade_net_proto_text", missing.toString());
    assertEquals(1, r.exit());
    assertTrue(lastLine(r.err()).startsWith("kaffee upgrade_net_proto_text: error: Missing "
        + "required parameter"), r.err());
  }
}
