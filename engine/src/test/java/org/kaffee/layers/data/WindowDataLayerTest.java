package org.kaffee.layers.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kaffee.core.KaffeeException;
import org.kaffee.core.Net;
import org.kaffee.core.Rng;
import org.kaffee.data.Image;
import org.kaffee.io.ProtoFiles;
import org.kaffee.proto.Caffe.BlobProto;
import org.kaffee.proto.Caffe.NetParameter;
import org.kaffee.proto.Caffe.Phase;
import org.kaffee.testing.TestBlobs;

class WindowDataLayerTest {
  @TempDir
  Path dir;
  private Net net;

  @AfterEach
  void close() {
    if (net != null) {
      net.layers().stream().filter(l -> l instanceof AutoCloseable).forEach(l -> {
        try {
          ((AutoCloseable) l).close();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
    }
  }

  @Test
  void eachBatchIsBackgroundFirstThenItsForegroundFraction() {
    net = build("transform_param { crop_size: 16 mirror: true }", "source: 'models/windowdata/windows.txt'"
        + " root_folder: 'models/windowdata/' batch_size: 8 fg_threshold: 0.5 bg_threshold: 0.3 fg_fraction: 0.25"
        + " context_pad: 2");
    Set<Float> foregroundLabels = new HashSet<>();
    for (int b = 0; b < 10; b++) {
      net.forward();
      double[] labels = TestBlobs.data(net.blobByName("label"));
      for (int i = 0; i < 6; i++) {
        assertEquals(0, labels[i], "item " + i + " of a batch is background");
      }
      for (int i = 6; i < 8; i++) {
        assertTrue(labels[i] == 1 || labels[i] == 2, "item " + i + " is foreground: " + labels[i]);
        foregroundLabels.add((float) labels[i]);
      }
    }
    assertEquals(Set.of(1f, 2f), foregroundLabels);
  }

  /** A window as big as the crop is copied unwarped: the data are its pixels, mirrored or not. */
  @Test
  void aWindowLandsPixelForPixelAndMirrorsAtRandom() throws Exception {
    byte[] pixels = new byte[3 * 10 * 12];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) (i * 7 % 251);
    }
    Image image = new Image(3, 10, 12, pixels);
    Files.write(dir.resolve("im.png"), image.encode("png"));
    Files.writeString(dir.resolve("w.txt"), "# 0\nim.png\n3\n10\n12\n2\n1 1.0 3 2 8 7\n0 0.0 3 2 8 7\n");
    net = build("transform_param { crop_size: 6 mirror: true mean_value: 10 mean_value: 20 mean_value: 30 }",
        "source: '" + dir.resolve("w.txt") + "' root_folder: '" + dir + "/' batch_size: 4 fg_fraction: 0.5 scale: 0.5");
    Set<Boolean> mirrored = new HashSet<>();
    for (int b = 0; b < 6; b++) {
      net.forward();
      double[] data = TestBlobs.data(net.blobByName("data"));
      for (int item = 0; item < 4; item++) {
        boolean plain = matches(data, item, pixels, false);
        boolean flipped = matches(data, item, pixels, true);
        assertTrue(plain || flipped, "item " + item + " is the window, mirrored or not");
        mirrored.add(flipped);
      }
    }
    assertEquals(Set.of(true, false), mirrored);
  }

  private static boolean matches(double[] data, int item, byte[] pixels, boolean mirror) {
    float[] mean = {10, 20, 30};
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < 6; y++) {
        for (int x = 0; x < 6; x++) {
          int sx = mirror ? 5 - x : x;
          float pixel = pixels[(c * 10 + 2 + y) * 12 + 3 + sx] & 0xff;
          if (data[((item * 3 + c) * 6 + y) * 6 + x] != (pixel - mean[c]) * 0.5f) {
            return false;
          }
        }
      }
    }
    return true;
  }

  /** Context beyond the image edge stays 0 (the mean); the mean file is read centred. */
  @Test
  void paddingOutsideTheImageIsTheMeanAndTheMeanFileIsCentred() throws Exception {
    byte[] pixels = new byte[3 * 30 * 30];
    java.util.Arrays.fill(pixels, (byte) 100);
    Files.write(dir.resolve("flat.png"), new Image(3, 30, 30, pixels).encode("png"));
    Files.writeString(dir.resolve("w.txt"), "# 0\nflat.png\n3\n30\n30\n1\n1 1.0 0 0 19 19\n");
    BlobProto.Builder mean = BlobProto.newBuilder().setNum(1).setChannels(3).setHeight(34).setWidth(34);
    for (int i = 0; i < 3 * 34 * 34; i++) {
      // centred, the 32x32 window starts at column 1 of the mean: its column 4 meets the padding
      // (window column 3), never the image; read uncentred it would meet the first image column
      mean.addData(i % 34 == 4 ? 1000 : 40);
    }
    ProtoFiles.writeBinary(dir.resolve("mean.binaryproto"), mean.build());
    net = build("transform_param { crop_size: 32 mean_file: '" + dir.resolve("mean.binaryproto") + "' }",
        "source: '" + dir.resolve("w.txt") + "' root_folder: '" + dir + "/' batch_size: 1 fg_fraction: 1"
        + " context_pad: 4");
    net.forward();
    double[] data = TestBlobs.data(net.blobByName("data"));
    // WindowWarpTest: this window warps to 28x28 at (4, 4); the 4 rows and columns before it are padding
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < 32; y++) {
        for (int x = 0; x < 32; x++) {
          double expected = y < 4 || x < 4 ? 0 : 100 - 40;
          assertEquals(expected, data[(c * 32 + y) * 32 + x], "c" + c + " y" + y + " x" + x);
        }
      }
    }
  }

  @Test
  void missingImagesAndEmptySetsAreNamed() throws Exception {
    Files.writeString(dir.resolve("w.txt"), "# 0\nnope.png\n3\n30\n30\n1\n1 1.0 0 0 19 19\n");
    String source = "source: '" + dir.resolve("w.txt") + "' root_folder: '" + dir + "/' batch_size: 4";
    KaffeeException e = assertThrows(KaffeeException.class,
        () -> build("transform_param { crop_size: 8 }", source + " fg_fraction: 0.25"));
    assertTrue(e.getMessage().contains("no background window (overlap < 0.5) but 3 per batch"), e.getMessage());
    e = assertThrows(KaffeeException.class, () -> build("transform_param { crop_size: 8 }", source + " fg_fraction: 1"));
    assertTrue(e.getMessage().contains(dir.resolve("nope.png") + ", which cannot be read"), e.getMessage());
    e = assertThrows(KaffeeException.class, () -> build("", source + " fg_fraction: 1"));
    assertTrue(e.getMessage().contains("crop_size must be positive"), e.getMessage());
  }

  @Test
  void theSameSeedDrawsTheSameBatches() {
    String window = "source: 'models/windowdata/windows.txt' root_folder: 'models/windowdata/' batch_size: 4"
        + " fg_fraction: 0.5 context_pad: 2";
    double[][] runs = new double[2][];
    for (int run = 0; run < 2; run++) {
      Rng.seed(17);
      net = build("transform_param { crop_size: 12 mirror: true }", window);
      net.forward();
      net.forward();
      runs[run] = TestBlobs.data(net.blobByName("data"));
      close();
    }
    net = null;
    org.junit.jupiter.api.Assertions.assertArrayEquals(runs[0], runs[1]);
  }

  private static Net build(String transform, String window) {
    String text = "name: 'w' layer { name: 'data' type: 'WindowData' top: 'data' top: 'label' " + transform
        + " window_data_param { " + window + " } }";
    NetParameter param = ProtoFiles.parseText(text, "w.prototxt", NetParameter.newBuilder()).build();
    return Net.forPhase(param, Phase.TRAIN, 0, List.of());
  }

}
