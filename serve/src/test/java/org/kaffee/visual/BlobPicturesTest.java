package org.kaffee.visual;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kaffee.api.Kaffee;
import org.kaffee.api.Network;
import org.kaffee.core.Blob;
import org.kaffee.core.DataView;
import org.kaffee.core.Layer;
import org.kaffee.data.Image;

/** Filter and feature-map pictures of hand-made weights: every drawn pixel is known. */
class BlobPicturesTest {
  static final String CONV_NET = """
      name: "pictures"
      layer { name: "data" type: "Input" top: "data"
              input_param { shape { dim: 1 dim: %d dim: 3 dim: 3 } } }
      layer { name: "conv1" type: "Convolution" bottom: "data" top: "conv1"
              convolution_param { num_output: 2 kernel_size: 2 bias_term: false } }
      """;

  @TempDir
  Path dir;

  static Network net(String text) {
    try {
      Path file = Files.createTempFile("net", ".prototxt");
      Files.writeString(file, text);
      return Kaffee.open(file).forceBackward(true).batchSize(1).load();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static void set(Blob blob, float... values) {
    DataView view = blob.dataView();
    for (int i = 0; i < values.length; i++) {
      view.set(i, values[i]);
    }
  }

  private BufferedImage png(Image image) throws IOException {
    Path file = new PictureFiles(dir).write("picture", image);
    return ImageIO.read(new ByteArrayInputStream(Files.readAllBytes(file)));
  }

  /** The gray level of filter pixel (y, x) of tile t, read from the top-left and bottom-right of its zoomed square. */
  private static int gray(BufferedImage png, TileGrid grid, int t, int y, int x) {
    int top = grid.originY(t) + y * grid.zoom;
    int left = grid.originX(t) + x * grid.zoom;
    int a = png.getRaster().getSample(left, top, 0);
    int b = png.getRaster().getSample(left + grid.zoom - 1, top + grid.zoom - 1, 0);
    assertEquals(a, b, "one value per zoomed square");
    return a;
  }

  @Test
  void grayFiltersAreNormalisedEachToTheFullRange() throws IOException {
    Layer conv = net(CONV_NET.formatted(1)).core().layerByName("conv1");
    set(conv.blobs().get(0), 0, 1, 2, 3, /* filter 2 */ -1, -1, -1, 1);
    BufferedImage png = png(BlobPictures.filters(conv));
    TileGrid grid = new TileGrid(2, 0, 1, 2, 2);
    assertEquals(16, grid.zoom);
    assertEquals(grid.width(), png.getWidth());
    assertEquals(grid.height(), png.getHeight());
    assertEquals(1, png.getRaster().getNumBands());
    int[][] expected = {{0, 85, 170, 255}, {0, 0, 0, 255}};
    for (int t = 0; t < 2; t++) {
      for (int i = 0; i < 4; i++) {
        assertEquals(expected[t][i], gray(png, grid, t, i / 2, i % 2), "filter " + t + " pixel " + i);
      }
    }
    assertEquals(255, png.getRaster().getSample(0, 0, 0), "the gap is white");
  }

  @Test
  void threeChannelFiltersAreDrawnInColourFromBgrPlanes() throws IOException {
    Layer conv = net(CONV_NET.formatted(3)).core().layerByName("conv1");
    float[] w = new float[2 * 3 * 4];
    w[0] = 4;       // filter 0, blue plane, pixel (0, 0)
    w[2 * 4 + 3] = 4;  // filter 0, red plane, pixel (1, 1)
    set(conv.blobs().get(0), w);
    BufferedImage png = png(BlobPictures.filters(conv));
    TileGrid grid = new TileGrid(2, 0, 3, 2, 2);
    int y0 = grid.originY(0);
    int x0 = grid.originX(0);
    int topLeft = png.getRGB(x0, y0);
    int bottomRight = png.getRGB(x0 + grid.zoom, y0 + grid.zoom);
    assertEquals(0x0000ff, topLeft & 0xffffff, "blue");
    assertEquals(0xff0000, bottomRight & 0xffffff, "red");
  }

  @Test
  void featureMapsShareOneRangeSoAWeakMapIsDark() throws IOException {
    Network inference = net(CONV_NET.formatted(1));
    Layer conv = inference.core().layerByName("conv1");
    set(conv.blobs().get(0), 1, 0, 0, 0, /* filter 2 */ 0.5f, 0, 0, 0);
    set(inference.core().inputBlobs().get(0), 0, 1, 2, 3, 4, 5, 6, 7, 8);
    inference.core().forward();
    Blob maps = inference.core().blobByName("conv1");
    BufferedImage png = png(BlobPictures.featureMaps(maps));
    TileGrid grid = new TileGrid(2, 0, 1, 2, 2);
    // map 0 = top-left 2x2 of the input {0,1,3,4}; map 1 = half of it {0,0.5,1.5,2}; range [0, 4]
    int[][] expected = {{0, 64, 191, 255}, {0, 32, 96, 128}};
    for (int t = 0; t < 2; t++) {
      for (int i = 0; i < 4; i++) {
        assertEquals(expected[t][i], gray(png, grid, t, i / 2, i % 2), "map " + t + " pixel " + i);
      }
    }
    ActivationStats stats = ActivationStats.of("conv1", maps);
    assertEquals(1.5, stats.mean(), 1e-6);  // (8 + 4) / 8
    assertEquals(0.25, stats.zeroFraction(), 1e-12);
    double meanSq = (0 + 1 + 9 + 16 + 0 + 0.25 + 2.25 + 4) / 8;
    assertEquals(Math.sqrt(meanSq - 1.5 * 1.5), stats.std(), 1e-6);
  }
}
