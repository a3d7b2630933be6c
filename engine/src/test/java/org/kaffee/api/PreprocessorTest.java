package org.kaffee.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kaffee.core.KaffeeException;
import org.kaffee.data.Image;
import org.kaffee.io.ProtoFiles;
import org.kaffee.proto.Caffe.BlobProto;

/** Preprocessing against values computed by hand: resize, mean, scale, raw scale, crop, oversample. */
class PreprocessorTest {
  @TempDir
  Path dir;

  private static Image gray(int height, int width, int... pixels) {
    byte[] bytes = new byte[pixels.length];
    for (int i = 0; i < pixels.length; i++) {
      bytes[i] = (byte) pixels[i];
    }
    return new Image(1, height, width, bytes);
  }

  /** A gray image whose pixel (y, x) is 10 y + x. */
  private static Image ramp(int height, int width) {
    int[] p = new int[height * width];
    for (int i = 0; i < p.length; i++) {
      p[i] = 10 * (i / width) + i % width;
    }
    return gray(height, width, p);
  }

  private static float[] run(Preprocessor pre, Image image) {
    float[] out = new float[pre.crops() * pre.cropSize()];
    pre.apply(image, out, 0, "test image");
    return out;
  }

  @Test
  void resizesBilinearlyThenSubtractsTheMeanValueAndScales() {
    // 2x2 -> 4x4: OpenCV's source positions are 0, 0.25, 0.75 and 1 (clamped) on each axis.
    Preprocessor pre = new Preprocessing().meanValues(16).scale(0.5f).forInput(new int[] {1, 1, 4, 4});
    float[] out = run(pre, gray(2, 2, 0, 64, 128, 192));
    float[] resized = {0, 16, 48, 64, 32, 48, 80, 96, 96, 112, 144, 160, 128, 144, 176, 192};
    float[] expected = new float[16];
    for (int i = 0; i < 16; i++) {
      expected[i] = (resized[i] - 16) * 0.5f;
    }
    assertArrayEquals(expected, out);
  }

  @Test
  void subtractsTheMeanImageAtTheUncroppedPositionThenCropsTheCentre() {
    // mean (y, x) = y, so a pixel becomes 9 y + x; the 2x2 centre of 4x4 starts at (1, 1).
    BlobProto.Builder mean = BlobProto.newBuilder().setNum(1).setChannels(1).setHeight(4).setWidth(4);
    for (int i = 0; i < 16; i++) {
      mean.addData(i / 4);
    }
    Path meanFile = dir.resolve("mean.binaryproto");
    ProtoFiles.writeBinary(meanFile, mean.build());
    Preprocessor pre = new Preprocessing().meanFile(meanFile).scale(2).forInput(new int[] {1, 1, 2, 2});
    assertArrayEquals(new float[] {20, 22, 38, 40}, run(pre, ramp(4, 4)));
  }

  @Test
  void oversamplesFourCornersAndTheCentreThenTheirMirrors() {
    Preprocessor pre = new Preprocessing().imageSize(3, 4).oversample(true).forInput(new int[] {1, 1, 2, 2});
    assertEquals(10, pre.crops());
    float[] expected = {
        0, 1, 10, 11, 2, 3, 12, 13, 10, 11, 20, 21, 12, 13, 22, 23, 1, 2, 11, 12,
        1, 0, 11, 10, 3, 2, 13, 12, 11, 10, 21, 20, 13, 12, 23, 22, 2, 1, 12, 11};
    assertArrayEquals(expected, run(pre, ramp(3, 4)));
  }

  @Test
  void colourFilesComeInBgrOrderAndRawScaleActsBeforeTheMean() throws Exception {
    BufferedImage rgb = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
    rgb.setRGB(0, 0, (30 << 16) | (20 << 8) | 10);
    Path png = dir.resolve("pixel.png");
    ImageIO.write(rgb, "png", png.toFile());
    Preprocessor pre = new Preprocessing().rawScale(1).meanValues(0.5f, 0.25f, 0.125f).scale(4)
        .forInput(new int[] {1, 3, 1, 1});
    float[] out = run(pre, Image.read(png, true, "test"));
    assertArrayEquals(new float[] {(10 / 255f - 0.5f) * 4, (20 / 255f - 0.25f) * 4, (30 / 255f - 0.125f) * 4},
        out, 1e-6f);
  }

  @Test
  void badMeansAndGeometriesGiveOneClearLine() {
    BlobProto mean = BlobProto.newBuilder().setNum(1).setChannels(3).setHeight(4).setWidth(4)
        .addAllData(java.util.Collections.nCopies(48, 1f)).build();
    Path meanFile = dir.resolve("rgb_mean.binaryproto");
    ProtoFiles.writeBinary(meanFile, mean);
    KaffeeException channels = assertThrows(KaffeeException.class,
        () -> new Preprocessing().meanFile(meanFile).forInput(new int[] {1, 1, 2, 2}));
    assertTrue(channels.getMessage().contains("rgb_mean.binaryproto has 3 channels"), channels.getMessage());
    KaffeeException size = assertThrows(KaffeeException.class,
        () -> new Preprocessing().meanFile(meanFile).imageSize(8, 8).forInput(new int[] {1, 3, 2, 2}));
    assertTrue(size.getMessage().contains("mean file is 4x4 but images are resized to 8x8"), size.getMessage());
    KaffeeException values = assertThrows(KaffeeException.class,
        () -> new Preprocessing().meanValues(1, 2).forInput(new int[] {1, 3, 2, 2}));
    assertTrue(values.getMessage().contains("one per channel (3), got 2"), values.getMessage());
    KaffeeException image = assertThrows(KaffeeException.class,
        () -> run(new Preprocessing().forInput(new int[] {1, 3, 2, 2}), ramp(2, 2)));
    assertTrue(image.getMessage().contains("test image: the image has 1 channel but the net takes 3"),
        image.getMessage());
  }
}
