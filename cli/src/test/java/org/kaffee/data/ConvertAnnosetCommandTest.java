package org.kaffee.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kaffee.cli.Main;
import org.kaffee.core.Blob;
import org.kaffee.core.Net;
import org.kaffee.io.NetFiles;
import org.kaffee.proto.Caffe.AnnotatedDatum;
import org.kaffee.proto.Caffe.Phase;
import org.kaffee.tools.ShapesDataset;

/** kaffee convert_annoset's flags, and its database read by an AnnotatedData layer. */
class ConvertAnnosetCommandTest {
  @TempDir
  Path tmp;

  @Test
  void resizedDetectionSetFeedsAnAnnotatedDataLayer() throws Exception {
    List<List<ShapesDataset.Shape>> drawn = ShapesDataset.write(tmp.resolve("set"), 3, 40, 5);
    Path db = tmp.resolve("db");
    assertEquals(0, Main.run("convert_annoset", "--anno_type=detection", "--label_type=xml",
        "--label_map_file=" + tmp.resolve("set/labelmap.prototxt"), "--resize_width=16", "--resize_height=16",
        tmp + "/set/", tmp.resolve("set/list.txt").toString(), db.toString()));
    List<String> keys = new ArrayList<>();
    try (Database d = Database.openForReading("lmdb", db); Database.Cursor c = d.cursor()) {
      for (; c.valid(); c.next()) {
        keys.add(new String(c.key(), StandardCharsets.UTF_8));
        AnnotatedDatum a = AnnotatedDatum.parseFrom(c.value());
        assertArrayEquals(new int[] {3, 16, 16, 768}, new int[] {a.getDatum().getChannels(),
            a.getDatum().getHeight(), a.getDatum().getWidth(), a.getDatum().getData().size()});
      }
    }
    assertEquals(List.of("00000000_images/000000.png", "00000001_images/000001.png", "00000002_images/000002.png"),
        keys);

    Path net = tmp.resolve("net.prototxt");
    Files.writeString(net, "layer { name: \"data\" type: \"AnnotatedData\" top: \"data\" top: \"label\"\n"
        + "  data_param { source: \"" + db + "\" batch_size: 3 backend: LMDB }\n"
        + "  annotated_data_param { label_map_file: \"" + tmp.resolve("set/labelmap.prototxt") + "\" } }\n");
    Net n = Net.forPhase(NetFiles.readNetText(net), Phase.TRAIN, 0, List.of());
    try {
      n.forward();
      Blob label = n.blobByName("label");
      int boxes = drawn.stream().mapToInt(List::size).sum();
      assertArrayEquals(new int[] {1, 1, boxes, 8}, label.shape());
      assertArrayEquals(new int[] {3, 3, 16, 16}, n.blobByName("data").shape());
      // the first row: item 0, the first drawn object's label and its corners
      ShapesDataset.Shape s = drawn.get(0).get(0);
      float[] row = new float[8];
      for (int i = 0; i < 8; i++) {
        row[i] = (float) label.dataView().get(i);
      }
      assertArrayEquals(new float[] {0, s.label(), 0, s.xmin() / 40f, s.ymin() / 40f, s.xmax() / 40f,
          s.ymax() / 40f, 0}, row, 1e-6f);
    } finally {
      n.close();
    }
  }

  @Test
  void anUnknownLabelTypeIsRefused() {
    ShapesDataset.write(tmp.resolve("set"), 1, 20, 5);
    assertNotEquals(0, Main.run("convert_annoset", "--anno_type=detection", "--label_type=json",
        tmp + "/set/", tmp.resolve("set/list.txt").toString(), tmp.resolve("db").toString()));
  }
}
