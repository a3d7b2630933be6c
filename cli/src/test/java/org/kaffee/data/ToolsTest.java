package org.kaffee.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.io.DataOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kaffee.cli.Main;
import org.kaffee.core.KaffeeException;
import org.kaffee.io.ProtoFiles;
import org.kaffee.proto.Caffe.BlobProto;
import org.kaffee.proto.Caffe.Datum;

class ToolsTest {
  @TempDir
  Path tmp;

  static void writeIdx(Path images, Path labels, int n, int rows, int cols, boolean gzip) throws Exception {
    try (OutputStream raw = Files.newOutputStream(images);
         DataOutputStream out = new DataOutputStream(gzip ? new GZIPOutputStream(raw) : raw)) {
      out.writeInt(2051);
      out.writeInt(n);
      out.writeInt(rows);
      out.writeInt(cols);
      for (int i = 0; i < n * rows * cols; i++) {
        out.write((i * 31 + 7) & 0xff);
      }
    }
    try (OutputStream raw = Files.newOutputStream(labels);
         DataOutputStream out = new DataOutputStream(gzip ? new GZIPOutputStream(raw) : raw)) {
      out.writeInt(2049);
      out.writeInt(n);
      for (int i = 0; i < n; i++) {
        out.write(i % 10);
      }
    }
  }

  @Test
  void convertMnistDataWritesCaffeKeysAndDatums() throws Exception {
    int n = 1003;
    writeIdx(tmp.resolve("img.gz"), tmp.resolve("lab.gz"), n, 3, 2, true);
    for (String backend : new String[] {"lmdb", "leveldb"}) {
      Path db = tmp.resolve("mnist_" + backend);
      assertEquals(0, Main.run("convert_mnist_data", tmp.resolve("img.gz").toString(),
          tmp.resolve("lab.gz").toString(), db.toString(), "--backend=" + backend));
      try (Database d = Database.open(backend, db, Database.Mode.READ); Database.Cursor c = d.cursor()) {
        int i = 0;
        for (; c.valid(); c.next(), i++) {
          assertEquals(String.format("%08d", i), new String(c.key(), StandardCharsets.US_ASCII));
          byte[] px = new byte[6];
          for (int k = 0; k < 6; k++) {
            px[k] = (byte) (((i * 6 + k) * 31 + 7) & 0xff);
          }
          // Caffe sets channels, height, width, data, label: serialized in field order.
          Datum expected = Datum.newBuilder().setChannels(1).setHeight(3).setWidth(2)
              .setData(ByteString.copyFrom(px)).setLabel(i % 10).build();
          assertArrayEquals(expected.toByteArray(), c.value());
        }
        assertEquals(n, i);
      }
    }
    // the tools' default backend is lmdb; plain idx files work too
    writeIdx(tmp.resolve("img"), tmp.resolve("lab"), 5, 2, 2, false);
    assertEquals(0, Main.run("convert_mnist_data", tmp.resolve("img").toString(), tmp.resolve("lab").toString(),
        tmp.resolve("plain").toString()));
    assertTrue(Files.exists(tmp.resolve("plain/data.mdb")));
  }

  @Test
  void convertMnistDataRejectsBadInput() throws Exception {
    writeIdx(tmp.resolve("img"), tmp.resolve("lab"), 5, 2, 2, false);
    assertThrows(KaffeeException.class, () -> MnistConverter.convert(tmp.resolve("lab"), tmp.resolve("img"),
        tmp.resolve("x"), "lmdb"));
    assertThrows(KaffeeException.class, () -> MnistConverter.convert(tmp.resolve("missing"), tmp.resolve("lab"),
        tmp.resolve("y"), "lmdb"));
    assertNotEquals(0, Main.run("convert_mnist_data", tmp.resolve("img").toString(), "nothing",
        tmp.resolve("z").toString()));
  }

  private static float[] caffeMeans(String log) throws Exception {
    List<String> lines = Files.readAllLines(Conformance.IMAGES_DB.resolve("means.txt"));
    List<Float> values = new ArrayList<>();
    boolean in = false;
    for (String l : lines) {
      if (l.startsWith("== ")) {
        in = l.equals("== " + log);
      } else if (in && l.startsWith("mean_value channel")) {
        values.add(Float.parseFloat(l.substring(l.indexOf(':') + 1).trim()));
      }
    }
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }

  private void checkMean(String db, String backend, String expectedFile, String log) throws Exception {
    Path copy = Conformance.copy(db, tmp);
    Path out = tmp.resolve(db + ".binaryproto");
    assertEquals(0, Main.run("compute_image_mean", copy.toString(), out.toString(), "-backend=" + backend));
    BlobProto ours = ProtoFiles.readBinary(out, BlobProto.newBuilder(), "mean").build();
    BlobProto caffe = ProtoFiles.readBinary(Conformance.IMAGES_DB.resolve(expectedFile), BlobProto.newBuilder(),
        "mean").build();
    assertEquals(caffe.getChannels(), ours.getChannels());
    assertEquals(caffe.getHeight(), ours.getHeight());
    assertEquals(caffe.getWidth(), ours.getWidth());
    assertEquals(1, ours.getNum());
    for (int i = 0; i < caffe.getDataCount(); i++) {
      assertEquals(caffe.getData(i), ours.getData(i), 1e-4 * Math.abs(caffe.getData(i)), "element " + i);
    }
    float[] channelMeans = ImageMean.logChannelMeans(ours);
    float[] expected = caffeMeans(log);
    assertEquals(expected.length, channelMeans.length);
    for (int c = 0; c < expected.length; c++) {
      assertEquals(expected[c], channelMeans[c], 1e-4 * expected[c]);
    }
  }

  @Test
  void computeImageMeanEqualsCaffes() throws Exception {
    checkMean("lmdb_color", "lmdb", "mean_color.binaryproto", "mean_color.log");
    // byte for byte, as Caffe wrote it
    assertArrayEquals(Files.readAllBytes(Conformance.IMAGES_DB.resolve("mean_color.binaryproto")),
        Files.readAllBytes(tmp.resolve("lmdb_color.binaryproto")));
    checkMean("lmdb_gray", "lmdb", "mean_gray.binaryproto", "mean_gray.log");
    checkMean("leveldb_color", "leveldb", "mean_leveldb.binaryproto", "mean_leveldb.log");
    checkMean("lmdb_encoded_png", "lmdb", "mean_encoded_png.binaryproto", "mean_encoded_png.log");
  }

  @Test
  void computeImageMeanBadDatabases() throws Exception {
    Path empty = tmp.resolve("empty");
    Database.open("lmdb", empty, Database.Mode.NEW).close();
    KaffeeException e = assertThrows(KaffeeException.class, () -> ImageMean.compute(empty, "lmdb"));
    assertTrue(e.getMessage().contains("empty"), e.getMessage());
    Path mixed = tmp.resolve("mixed");
    try (Database db = Database.open("lmdb", mixed, Database.Mode.NEW)) {
      db.put("a".getBytes(), Datum.newBuilder().setChannels(1).setHeight(1).setWidth(2)
          .setData(ByteString.copyFrom(new byte[2])).build().toByteArray());
      db.put("b".getBytes(), Datum.newBuilder().setChannels(1).setHeight(1).setWidth(3)
          .setData(ByteString.copyFrom(new byte[3])).build().toByteArray());
      db.commit();
    }
    e = assertThrows(KaffeeException.class, () -> ImageMean.compute(mixed, "lmdb"));
    assertTrue(e.getMessage().contains("key 'b'"), e.getMessage());
    assertNotEquals(0, Main.run("compute_image_mean", tmp.resolve("missing").toString()));
  }

  @Test
  void convertImagesetMatchesCaffePixelForPixel() throws Exception {
    Path list = Conformance.IMAGES_DB.resolve("list.txt");
    String root = Conformance.IMAGES_DB.resolve("images") + "/";
    Path ours = tmp.resolve("ours");
    assertEquals(0, Main.run("convert_imageset", "--resize_height=16", "--resize_width=16", "--check_size",
        root, list.toString(), ours.toString()));
    Path gray = tmp.resolve("gray");
    assertEquals(0, Main.run("convert_imageset", "-resize_height=16", "-resize_width=16", "-gray", "-backend=leveldb",
        root, list.toString(), gray.toString()));
    Path png = tmp.resolve("png");
    assertEquals(0, Main.run("convert_imageset", "--resize_height=16", "--resize_width=16", "--encoded",
        "--encode_type=png", root, list.toString(), png.toString()));
    Path caffe = Conformance.copy("lmdb_color", tmp);
    Path caffeGray = Conformance.copy("lmdb_gray", tmp);
    compare(caffe, "lmdb", ours, "lmdb", false);
    compare(caffeGray, "lmdb", gray, "leveldb", false);
    compare(caffe, "lmdb", png, "lmdb", true);
  }

  private static void compare(Path caffe, String cb, Path ours, String ob, boolean encoded) throws Exception {
    DataTransformer t = new DataTransformer(org.kaffee.proto.Caffe.TransformationParameter.getDefaultInstance(),
        org.kaffee.proto.Caffe.Phase.TEST, new java.util.Random(0), "test");
    try (Database a = Database.open(cb, caffe, Database.Mode.READ);
         Database b = Database.open(ob, ours, Database.Mode.READ);
         Database.Cursor ca = a.cursor();
         Database.Cursor cursorB = b.cursor()) {
      int n = 0;
      for (; ca.valid(); ca.next(), cursorB.next(), n++) {
        assertArrayEquals(ca.key(), cursorB.key());
        Datum x = Datum.parseFrom(ca.value());
        Datum y = Datum.parseFrom(cursorB.value());
        assertEquals(encoded, y.getEncoded());
        assertEquals(x.getLabel(), y.getLabel());
        DataTransformer.Decoded dx = t.decode(x, "caffe");
        DataTransformer.Decoded dy = t.decode(y, "ours");
        assertEquals(dx.channels, dy.channels);
        assertEquals(dx.height, dy.height);
        assertEquals(dx.width, dy.width);
        assertArrayEquals(dx.bytes, dy.bytes, new String(ca.key(), StandardCharsets.UTF_8));
      }
      assertFalse(cursorB.valid());
      assertEquals(20, n);
    }
  }

  @Test
  void extractFeaturesStoresFloatDatums() throws Exception {
    Path db = Conformance.copy("lmdb_gray", tmp);
    Path net = tmp.resolve("net.prototxt");
    Files.writeString(net, "name: 'f'\nlayer { name: 'data' type: 'Data' top: 'data' top: 'label'\n"
        + "  transform_param { scale: 0.5 }\n"
        + "  data_param { source: '" + db + "' batch_size: 3 backend: LMDB } }\n");
    Path out = tmp.resolve("feat");
    Path labels = tmp.resolve("labels");
    assertEquals(0, Main.run("extract_features", Conformance.IMAGES_DB.resolve("empty.caffemodel").toString(),
        net.toString(), "data,label", out + "," + labels, "2", "lmdb"));
    try (Database src = Database.open("lmdb", db, Database.Mode.READ);
         Database d = Database.open("lmdb", out, Database.Mode.READ);
         Database.Cursor cs = src.cursor();
         Database.Cursor c = d.cursor()) {
      for (int i = 0; i < 6; i++, c.next(), cs.next()) {
        assertTrue(c.valid());
        assertEquals(String.format("%010d", i), new String(c.key(), StandardCharsets.US_ASCII));
        Datum f = Datum.parseFrom(c.value());
        Datum s = Datum.parseFrom(cs.value());
        assertEquals(1, f.getChannels());
        assertEquals(16, f.getHeight());
        assertEquals(256, f.getFloatDataCount());
        for (int k = 0; k < 256; k++) {
          assertEquals((s.getData().byteAt(k) & 0xff) * 0.5f, f.getFloatData(k));
        }
      }
      assertFalse(c.valid());
    }
    try (Database d = Database.open("lmdb", labels, Database.Mode.READ); Database.Cursor c = d.cursor()) {
      Datum f = Datum.parseFrom(c.value());
      assertEquals(1, f.getFloatDataCount());
      assertEquals(1, f.getChannels());
    }
  }
}
