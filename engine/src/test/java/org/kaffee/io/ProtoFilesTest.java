package org.kaffee.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kaffee.io.IoTestFiles.net;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kaffee.core.KaffeeException;
import org.kaffee.proto.Caffe.BlobProto;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.proto.Caffe.NetParameter;
import org.kaffee.proto.Caffe.SolverParameter;

class ProtoFilesTest {
  @TempDir
  Path dir;

  private Path write(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text, StandardCharsets.UTF_8);
    return p;
  }

  private static NetParameter weights() {
    Random r = new Random(42);
    NetParameter.Builder net = NetParameter.newBuilder().setName("w");
    LayerParameter.Builder ip = net.addLayerBuilder().setName("ip").setType("InnerProduct");
    BlobProto.Builder w = ip.addBlobsBuilder();
    w.getShapeBuilder().addDim(3).addDim(4);
    for (int i = 0; i < 12; i++) {
      w.addData((float) r.nextGaussian());
    }
    ip.addBlobsBuilder().setNum(1).setChannels(1).setHeight(1).setWidth(3)
        .addData(0.5f).addData(-0.25f).addData(Float.MIN_VALUE);
    net.addLayerBuilder().setName("relu").setType("ReLU");
    return net.build();
  }

  @Test
  void prototxtRoundTripsThroughTheMessage() throws IOException {
    NetParameter original = net("lenet_v1_upgraded.prototxt");
    Path out = dir.resolve("out.prototxt");
    ProtoFiles.writeText(out, original);
    NetParameter again = ProtoFiles.readText(out, NetParameter.newBuilder()).build();
    assertEquals(original, again);
    // Printing is stable: printing the re-read message gives the same text.
    Path out2 = dir.resolve("out2.prototxt");
    ProtoFiles.writeText(out2, again);
    assertEquals(Files.readString(out), Files.readString(out2));
    assertTrue(Files.readString(out).startsWith("name: \"LeNet\"\nlayer {\n  name: \"mnist\"\n"));
  }

  @Test
  void solverPrototxtRoundTrips() {
    SolverParameter s = ProtoFiles.readText(IoTestFiles.resource("solver_type_upgraded.prototxt"),
        SolverParameter.newBuilder()).build();
    Path out = dir.resolve("solver.prototxt");
    ProtoFiles.writeText(out, s);
    assertEquals(s, ProtoFiles.readText(out, SolverParameter.newBuilder()).build());
  }

  @Test
  void caffemodelWriteThenReadIsEqual() throws IOException {
    NetParameter w = weights();
    Path model = dir.resolve("w.caffemodel");
    ProtoFiles.writeBinary(model, w);
    assertEquals(w, NetFiles.readNetBinary(model));
    assertTrue(Files.notExists(dir.resolve("w.caffemodel.tmp")));
    assertEquals(w.toByteArray().length, Files.size(model));
  }

  @Test
  void truncatedCaffemodelIsNotAValidCaffemodel() throws IOException {
    byte[] bytes = weights().toByteArray();
    Path model = dir.resolve("cut.caffemodel");
    Files.write(model, Arrays.copyOf(bytes, bytes.length - 7));
    KaffeeException e = assertThrows(KaffeeException.class, () -> NetFiles.readNetBinary(model));
    assertTrue(e.getMessage().startsWith(model + ": not a valid caffemodel"), e.getMessage());
  }

  @Test
  void aLengthNearTwoGigabytesIsNotAValidFileRatherThanAnIndexError() throws IOException {
    // BlobProto.double_data (field 8, packed) declaring 2^31 - 1 bytes, then 8 bytes and a channels field
    byte[] bytes = {0x42, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07, 0, 0, 0, 0, 0, 0, 0, 0,
        0x10, 0x01};
    Path mean = dir.resolve("mean.binaryproto");
    Files.write(mean, bytes);
    KaffeeException e = assertThrows(KaffeeException.class,
        () -> ProtoFiles.readBinary(mean, BlobProto.newBuilder(), "binaryproto"));
    assertTrue(e.getMessage().startsWith(mean + ": not a valid binaryproto"), e.getMessage());
  }

  @Test
  void randomBytesAreNotAValidCaffemodel() throws IOException {
    Random r = new Random(7);
    for (int trial = 0; trial < 20; trial++) {
      byte[] bytes = new byte[1000];
      r.nextBytes(bytes);
      Path model = dir.resolve("random" + trial + ".caffemodel");
      Files.write(model, bytes);
      KaffeeException e = assertThrows(KaffeeException.class, () -> NetFiles.readNetBinary(model));
      assertTrue(e.getMessage().startsWith(model + ": not a valid caffemodel"), e.getMessage());
    }
  }

  @Test
  void zeroByteFileIsNoWeightsButAPrototxtIsNotACaffemodel() throws IOException {
    // Caffe's own tests pass a zero-byte caffemodel to mean "no weights".
    Path empty = write("empty.caffemodel", "");
    assertEquals(0, NetFiles.readNetBinary(empty).getLayerCount());
    Path text = write("net.caffemodel", "name: \"x\"\nlayer { name: \"a\" type: \"ReLU\" }\n");
    KaffeeException e = assertThrows(KaffeeException.class, () -> NetFiles.readNetBinary(text));
    assertTrue(e.getMessage().startsWith(text + ": not a valid caffemodel"), e.getMessage());
  }

  @Test
  void missingFileNamesThePath() {
    Path missing = dir.resolve("nope/lenet.prototxt");
    KaffeeException e = assertThrows(KaffeeException.class, () -> NetFiles.readNetText(missing));
    assertEquals(missing + ": no such file", e.getMessage());
    e = assertThrows(KaffeeException.class, () -> NetFiles.readNetBinary(missing));
    assertEquals(missing + ": no such file", e.getMessage());
    e = assertThrows(KaffeeException.class, () -> NetFiles.readSolver(missing));
    assertEquals(missing + ": no such file", e.getMessage());
  }

  private String textError(String text) throws IOException {
    Path p = write("bad.prototxt", text);
    KaffeeException e = assertThrows(KaffeeException.class, () -> NetFiles.readNetText(p));
    String prefix = p + ":";
    assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
    return e.getMessage().substring(prefix.length());
  }

  @Test
  void unknownFieldGivesLineAndColumn() throws IOException {
    assertEquals("2:3: Message type \"caffe.LayerParameter\" has no field named \"nmae\".",
        textError("layer {\n  nmae: \"conv1\"\n}\n"));
  }

  @Test
  void badEnumValueGivesLineAndColumn() throws IOException {
    assertEquals("3:25: Enum type \"caffe.PoolingParameter.PoolMethod\" has no value named "
        + "\"MAXX\".",
        textError("layer {\n  name: \"p\"\n  pooling_param { pool: MAXX }\n}\n"));
  }

  @Test
  void missingBraceGivesLineAndColumn() throws IOException {
    assertEquals("3:1: Expected \"}\".",
        textError("layer {\n  name: \"a\"\n"));
  }

  @Test
  void wrongValueTypeGivesLineAndColumn() throws IOException {
    assertEquals("2:35: Expected integer, got \"twenty\".",
        textError("layer {\n  convolution_param { num_output: \"twenty\" }\n}\n"));
  }

  @Test
  void unterminatedStringGivesLineAndColumn() throws IOException {
    assertEquals("1:15: String missing ending quote.",
        textError("layer { name: \"conv1\n}\n"));
  }

  @Test
  void negativeValueForUnsignedFieldGivesLineAndColumn() throws IOException {
    assertEquals("1:41: Couldn't parse integer: Number must be positive: -3",
        textError("layer { convolution_param { num_output: -3 } }\n"));
  }

  @Test
  void severalUnknownFieldsStayOnOneLine() throws IOException {
    assertEquals("1:9: Message type \"caffe.LayerParameter\" has no field named \"nmae\" "
        + "(1 more unknown fields: 2:9: caffe.LayerParameter.tpye)",
        textError("layer { nmae: \"a\" }\nlayer { tpye: \"b\" }\n"));
  }
}
