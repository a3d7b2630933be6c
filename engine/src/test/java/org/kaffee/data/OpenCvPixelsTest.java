package org.kaffee.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.kaffee.testing.Requirements;

/**
 * Decoding and resizing against OpenCV's own pixels (resources/opencv, written by
 * src/test/scripts/make_opencv_fixtures.py): cv2.imread(COLOR or GRAYSCALE), then
 * cv2.resize(INTER_LINEAR), as Caffe reads images. Every byte must be equal.
 */
class OpenCvPixelsTest {
  static Path fixtures() {
    try {
      return Path.of(OpenCvPixelsTest.class.getResource("/opencv").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @TestFactory
  Stream<DynamicTest> matchesOpenCv() throws Exception {
    List<String> cases = Files.readAllLines(fixtures().resolve("cases.txt")).stream()
        .filter(line -> !line.startsWith("#") && !line.isBlank()).toList();
    assertTrue(cases.size() > 100, "cases.txt lists only " + cases.size() + " cases");
    return cases.stream().map(line -> DynamicTest.dynamicTest(line.split(" ")[4], () -> check(line)));
  }

  /**
   * True when the JDK decodes JPEGs with the system's libjpeg-turbo (Debian's OpenJDK), as
   * OpenCV does; a JDK with its own bundled libjpeg 6b (Temurin, say) upsamples 4:4:0 (1x2)
   * chroma without libjpeg-turbo's smoothing, so those fixtures only hold with the former.
   */
  private static boolean systemLibjpeg() throws Exception {
    Image.read(fixtures().resolve("baseline_1x1.jpg"), true, "fixture");
    Path maps = Path.of("/proc/self/maps");
    return Files.exists(maps) && Files.readString(maps).contains("libjpeg.so");
  }

  private static void check(String line) throws Exception {
    String[] f = line.split(" ");
    if (f[0].contains("1x2")) {
      Requirements.require(Requirements.SYSTEM_LIBJPEG, systemLibjpeg(), "this JDK bundles its own libjpeg"
          + " (4:4:0 chroma decodes as libjpeg 6b does, not as OpenCV's libjpeg-turbo)");
    }
    boolean color = f[1].equals("1");
    int newHeight = Integer.parseInt(f[2]);
    int newWidth = Integer.parseInt(f[3]);
    Image img = Image.read(fixtures().resolve(f[0]), color, "fixture");
    if (newHeight > 0) {
      img = img.resize(newHeight, newWidth);
    }
    int h = Integer.parseInt(f[5]);
    int w = Integer.parseInt(f[6]);
    int c = Integer.parseInt(f[7]);
    assertEquals(List.of(c, h, w), List.of(img.channels, img.height, img.width), "shape (C, H, W)");
    byte[] reference = Files.readAllBytes(fixtures().resolve(f[4]));
    int differ = 0;
    int maxDiff = 0;
    String first = null;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        for (int k = 0; k < c; k++) {
          int opencv = reference[(y * w + x) * c + k] & 0xff;
          int kaffee = img.pixels[(k * h + y) * w + x] & 0xff;
          if (opencv != kaffee) {
            differ++;
            maxDiff = Math.max(maxDiff, Math.abs(opencv - kaffee));
            if (first == null) {
              first = "(y " + y + ", x " + x + ", c " + k + "): OpenCV " + opencv + ", Kaffee " + kaffee;
            }
          }
        }
      }
    }
    String summary = differ + " of " + reference.length + " bytes differ, by up to " + maxDiff + "; first " + first;
    assertEquals(0, differ, summary);
  }
}
