package org.kaffee.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kaffee.proto.Caffe.ResizeParameter;

/**
 * The pixel operations of SSD's augmentation against OpenCV 4.6, byte for byte
 * ({@code engine/src/test/resources/ssd/make_fixtures.py} recorded them).
 */
class SsdPixelOpsTest {
  private static final Map<String, Image> CASES = new HashMap<>();

  @BeforeAll
  static void read() throws IOException {
    for (String line : Files.readAllLines(Path.of("engine/src/test/resources/ssd/opencv_ops.txt"))) {
      String[] f = line.split(" ");
      int h = Integer.parseInt(f[1]);
      int w = Integer.parseInt(f[2]);
      int c = Integer.parseInt(f[3]);
      byte[] planar = new byte[c * h * w];
      for (int i = 0; i < h * w; i++) {
        for (int ch = 0; ch < c; ch++) {
          planar[ch * h * w + i] = (byte) Integer.parseInt(f[4 + i * c + ch]);
        }
      }
      CASES.put(f[0], new Image(c, h, w, planar));
    }
  }

  private static Image input() {
    Image in = CASES.get("input");
    return new Image(in.channels, in.height, in.width, in.pixels.clone());
  }

  private static void assertImage(String name, Image got) {
    Image want = CASES.get(name);
    assertArrayEquals(new int[] {want.channels, want.height, want.width}, new int[] {got.channels, got.height,
        got.width}, name);
    assertArrayEquals(want.pixels, got.pixels, name);
  }

  @Test
  void hsvBothWays() {
    Image img = input();
    int n = img.height * img.width;
    Hsv.fromBgr(img.pixels, n);
    assertImage("hsv", img);
    Hsv.toBgr(img.pixels, n);
    assertImage("hsv_to_bgr", img);
  }

  private static Image throughHsv(int plane, float alpha, float beta) {
    Image img = input();
    int n = img.height * img.width;
    Hsv.fromBgr(img.pixels, n);
    Pixels.scale(img.pixels, plane * n, (plane + 1) * n, alpha, beta);
    Hsv.toBgr(img.pixels, n);
    return img;
  }

  @Test
  void saturationAndHueShifts() {
    assertImage("saturation_1.3", throughHsv(1, 1.3f, 0));
    assertImage("hue_plus_12.4", throughHsv(0, 1, 12.4f));
    assertImage("hue_minus_17.6", throughHsv(0, 1, -17.6f));
  }

  @Test
  void brightnessAndContrastRoundHalfToEven() {
    Image img = input();
    Pixels.scale(img.pixels, 0, img.pixels.length, 1, -20.5f);
    assertImage("brightness_minus_20.5", img);
    img = input();
    Pixels.scale(img.pixels, 0, img.pixels.length, 0.7f, 0);
    assertImage("contrast_0.7", img);
  }

  @Test
  void nearestResize() {
    assertImage("nearest_7x9", ImageResizing.nearest(input(), 7, 9));
    assertImage("nearest_20x30", ImageResizing.nearest(input(), 20, 30));
  }

  @Test
  void borders() {
    assertImage("reflect101_rows_3_4", Padding.pad(input(), ResizeParameter.newBuilder()
        .setPadMode(ResizeParameter.Pad_mode.MIRRORED).build(), 3, 7, true));
    assertImage("replicate_cols_2_5", Padding.pad(input(), ResizeParameter.newBuilder()
        .setPadMode(ResizeParameter.Pad_mode.REPEAT_NEAREST).build(), 2, 7, false));
    assertImage("constant_cols_1_2", Padding.pad(input(), ResizeParameter.newBuilder().addPadValue(7)
        .addPadValue(300).addPadValue(20.5f).build(), 1, 3, false));
  }
}
