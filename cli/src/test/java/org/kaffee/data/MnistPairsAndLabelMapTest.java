package org.kaffee.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kaffee.cli.Main;
import org.kaffee.proto.Caffe.Datum;

/** convert_mnist_siamese_data's pairs and convert_mnist_data's --label_map. */
class MnistPairsAndLabelMapTest {
  @TempDir
  Path tmp;

  private List<Datum> read(Path db) throws Exception {
    List<Datum> out = new ArrayList<>();
    try (Database d = Database.open("lmdb", db, Database.Mode.READ); Database.Cursor c = d.cursor()) {
      for (; c.valid(); c.next()) {
        out.add(Datum.parseFrom(c.value()));
      }
    }
    return out;
  }

  @Test
  void pairsHoldTwoImagesAndASimilarityLabel() throws Exception {
    int n = 120; // below 128, where the generated test images start to repeat
    ToolsTest.writeIdx(tmp.resolve("img"), tmp.resolve("lab"), n, 3, 2, false);
    IdxFile.Images images = IdxFile.readImages(tmp.resolve("img"));
    byte[] labels = IdxFile.readLabels(tmp.resolve("lab"));
    assertEquals(0, Main.run("convert_mnist_siamese_data", tmp.resolve("img").toString(),
        tmp.resolve("lab").toString(), tmp.resolve("pairs").toString()));
    List<Datum> pairs = read(tmp.resolve("pairs"));
    assertEquals(n, pairs.size());
    int similar = 0;
    for (Datum d : pairs) {
      assertEquals(2, d.getChannels());
      byte[] px = d.getData().toByteArray();
      int i = indexOf(images, px, 0);
      int j = indexOf(images, px, 6);
      assertEquals(labels[i] == labels[j] ? 1 : 0, d.getLabel());
      similar += d.getLabel();
    }
    // Ten classes drawn at random: about one pair in ten is similar.
    assertTrue(similar > 3 && similar < 30, "similar pairs: " + similar);
    assertEquals(0, Main.run("convert_mnist_siamese_data", tmp.resolve("img").toString(),
        tmp.resolve("lab").toString(), tmp.resolve("again").toString()));
    assertEquals(pairs, read(tmp.resolve("again")), "the same seed gives the same pairs");
  }

  /** Which image (of the 6-byte test images) the 6 bytes at offset are. */
  private static int indexOf(IdxFile.Images images, byte[] px, int offset) {
    for (int k = 0; k < images.count(); k++) {
      boolean same = true;
      for (int b = 0; b < 6 && same; b++) {
        same = images.pixels()[k * 6 + b] == px[offset + b];
      }
      if (same) {
        return k;
      }
    }
    throw new AssertionError("pair image not found among the inputs");
  }

  @Test
  void labelMapFoldsClasses() throws Exception {
    ToolsTest.writeIdx(tmp.resolve("img"), tmp.resolve("lab"), 20, 2, 2, false);
    assertEquals(0, Main.run("convert_mnist_data", tmp.resolve("img").toString(), tmp.resolve("lab").toString(),
        tmp.resolve("fold").toString(), "--label_map=0,2,0,0,0,1,0,1,2,1"));
    int[] map = {0, 2, 0, 0, 0, 1, 0, 1, 2, 1};
    List<Datum> data = read(tmp.resolve("fold"));
    int[] got = data.stream().mapToInt(Datum::getLabel).toArray();
    int[] want = new int[20];
    for (int i = 0; i < 20; i++) {
      want[i] = map[i % 10];
    }
    assertArrayEquals(want, got);
    assertNotEquals(0, Main.run("convert_mnist_data", tmp.resolve("img").toString(), tmp.resolve("lab").toString(),
        tmp.resolve("short").toString(), "--label_map=0,1"));
  }
}
