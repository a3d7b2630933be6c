package org.kaffee.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kaffee.cli.Main;
import org.kaffee.io.ProtoFiles;
import org.kaffee.proto.Caffe.BlobProto;
import org.kaffee.proto.Caffe.BlobShape;
import org.kaffee.proto.Caffe.Datum;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.proto.Caffe.NetParameter;

/** convert_imageset --shuffle, and extract_features with trained weights. */
class ImageToolFlagsTest {
  @TempDir
  Path tmp;

  /** Key -> Datum bytes of a whole database, in key order. */
  private static Map<String, byte[]> readAll(Path db) throws Exception {
    Map<String, byte[]> out = new LinkedHashMap<>();
    try (Database d = Database.open("lmdb", db, Database.Mode.READ); Database.Cursor c = d.cursor()) {
      for (; c.valid(); c.next()) {
        out.put(new String(c.key(), StandardCharsets.UTF_8), c.value());
      }
    }
    return out;
  }

  @Test
  void shuffleWritesTheSameImagesInAnotherOrder() throws Exception {
    Path list = Conformance.IMAGES_DB.resolve("list.txt");
    String root = Conformance.IMAGES_DB.resolve("images") + "/";
    Path plain = tmp.resolve("plain");
    Path shuffled = tmp.resolve("shuffled");
    assertEquals(0, Main.run("convert_imageset", "--resize_height=8", "--resize_width=8",
        root, list.toString(), plain.toString()));
    assertEquals(0, Main.run("convert_imageset", "--shuffle", "--resize_height=8", "--resize_width=8",
        root, list.toString(), shuffled.toString()));
    Map<String, byte[]> a = readAll(plain);
    Map<String, byte[]> b = readAll(shuffled);
    assertEquals(20, a.size());
    assertEquals(20, b.size());
    // keys are "%08d_<path>": the running number stays in order, the paths move
    List<String> plainPaths = new ArrayList<>();
    Map<String, byte[]> byPath = new LinkedHashMap<>();
    int i = 0;
    for (Map.Entry<String, byte[]> e : a.entrySet()) {
      assertTrue(e.getKey().startsWith(String.format("%08d_", i++)), e.getKey());
      plainPaths.add(e.getKey().substring(9));
      byPath.put(e.getKey().substring(9), e.getValue());
    }
    List<String> shuffledPaths = new ArrayList<>();
    i = 0;
    for (Map.Entry<String, byte[]> e : b.entrySet()) {
      assertTrue(e.getKey().startsWith(String.format("%08d_", i++)), e.getKey());
      String path = e.getKey().substring(9);
      shuffledPaths.add(path);
      assertTrue(byPath.containsKey(path), path + " is not in the list");
      // the same image and label under its new position
      assertArrayEquals(byPath.get(path), e.getValue(), path);
    }
    assertEquals(Files.readAllLines(list).stream().map(l -> l.split(" ")[0]).toList(), plainPaths);
    assertEquals(plainPaths.stream().sorted().toList(), shuffledPaths.stream().sorted().toList());
    assertNotEquals(plainPaths, shuffledPaths, "--shuffle kept the list order");
  }

  private static BlobProto blob(float[] values, int... dims) {
    BlobShape.Builder shape = BlobShape.newBuilder();
    for (int d : dims) {
      shape.addDim(d);
    }
    BlobProto.Builder b = BlobProto.newBuilder().setShape(shape);
    for (float v : values) {
      b.addData(v);
    }
    return b.build();
  }

  @Test
  void extractFeaturesRunsTheNetWithTheGivenWeights() throws Exception {
    // gray 16x16 images scaled to [0, 1), an InnerProduct with 3 outputs, 2 batches of 4
    Path db = Conformance.copy("lmdb_gray", tmp);
    Path net = Files.writeString(tmp.resolve("net.prototxt"), "name: 'f'\n"
        + "layer { name: 'data' type: 'Data' top: 'data' top: 'label'\n"
        + "  transform_param { scale: 0.00390625 }\n"
        + "  data_param { source: '" + db + "' batch_size: 4 backend: LMDB } }\n"
        + "layer { name: 'ip' type: 'InnerProduct' bottom: 'data' top: 'ip'\n"
        + "  inner_product_param { num_output: 3 } }\n");
    int k = 256;
    Random rng = new Random(5);
    float[] w = new float[3 * k];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) rng.nextGaussian() * 0.1f;
    }
    float[] bias = {0.5f, -1f, 2f};
    Path weights = tmp.resolve("ip.caffemodel");
    ProtoFiles.writeBinary(weights, NetParameter.newBuilder().setName("f").addLayer(
        LayerParameter.newBuilder().setName("ip").setType("InnerProduct")
            .addBlobs(blob(w, 3, k)).addBlobs(blob(bias, 3))).build());
    Path out = tmp.resolve("ip_features");
    assertEquals(0, Main.run("extract_features", weights.toString(), net.toString(), "ip",
        out.toString(), "2", "lmdb", "CPU"));

    Map<String, byte[]> images = readAll(db);
    Map<String, byte[]> features = readAll(out);
    assertEquals(8, features.size());
    List<byte[]> imageValues = new ArrayList<>(images.values());
    int n = 0;
    for (Map.Entry<String, byte[]> e : features.entrySet()) {
      assertEquals(String.format("%010d", n), e.getKey());
      Datum f = Datum.parseFrom(e.getValue());
      assertEquals(3, f.getChannels());
      assertEquals(1, f.getHeight());
      assertEquals(1, f.getWidth());
      byte[] pixels = Datum.parseFrom(imageValues.get(n)).getData().toByteArray();
      for (int o = 0; o < 3; o++) {
        double expected = bias[o];
        for (int j = 0; j < k; j++) {
          expected += w[o * k + j] * ((pixels[j] & 0xff) * 0.00390625);
        }
        assertEquals(expected, f.getFloatData(o), 1e-5 * Math.max(1, Math.abs(expected)),
            "image " + n + ", output " + o);
      }
      n++;
    }
  }
}
