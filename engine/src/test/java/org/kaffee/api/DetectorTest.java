package org.kaffee.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kaffee.core.KaffeeException;
import org.kaffee.data.Image;
import org.kaffee.log.Glog;
import org.kaffee.testing.TinyDetectionNet;
import org.kaffee.testing.TrainedLeNet;

/** Detector on {@link TinyDetectionNet}: its boxes are the image's quarters, its scores constants. */
class DetectorTest {
  @TempDir
  Path dir;

  @BeforeAll
  static void quiet() {
    Glog.setQuiet(true);
  }

  @AfterAll
  static void loud() {
    Glog.setQuiet(false);
  }

  @BeforeEach
  void writeNet() throws Exception {
    TinyDetectionNet.write(dir);
  }

  private Detector detector(float confidence) {
    Network net = Kaffee.load(dir.resolve("tiny_ssd.prototxt"), dir.resolve("tiny_ssd.caffemodel"));
    return new Detector(net, new Preprocessing().meanValues(104, 117, 123),
        Labels.read(dir.resolve("labels.txt")), confidence);
  }

  private static Image image(int height, int width) {
    return new Image(3, height, width, new byte[3 * height * width]);
  }

  private static void assertDetection(Detection d, int label, String name, float score, float... box) {
    assertEquals(label, d.label());
    assertEquals(name, d.labelName());
    assertEquals(score, d.score(), 1e-6f);
    float[] got = {d.xmin(), d.ymin(), d.xmax(), d.ymax()};
    for (int i = 0; i < 4; i++) {
      assertEquals(box[i], got[i], 1e-4f, "coordinate " + i + " of " + d);
    }
  }

  @Test
  void boxesAboveTheThresholdScaledToEachImageBestFirst() {
    List<List<Detection>> found = detector(0.5f).detect(List.of(image(40, 80), image(20, 20)), List.of("a", "b"));
    assertEquals(2, found.size());
    List<Detection> wide = found.get(0);
    assertEquals(3, wide.size(), wide.toString());
    assertDetection(wide.get(0), 1, "cat", 0.9f, 0, 0, 40, 20);
    assertDetection(wide.get(1), 2, "dog", 0.7f, 40, 0, 80, 20);
    assertDetection(wide.get(2), 2, "dog", 0.55f, 40, 20, 80, 40);
    List<Detection> square = found.get(1);
    assertEquals(3, square.size(), square.toString());
    assertDetection(square.get(0), 1, "cat", 0.9f, 0, 0, 10, 10);
    assertDetection(square.get(2), 2, "dog", 0.55f, 10, 10, 20, 20);
  }

  @Test
  void aLowerThresholdLetsWeakerBoxesIn() {
    List<Detection> found = detector(0.25f).detect(image(30, 30));
    assertEquals(4, found.size(), found.toString());
    assertDetection(found.get(3), 1, "cat", 0.3f, 0, 15, 15, 30);
    assertEquals(7, detector(0.04f).detect(image(30, 30)).size(), "every score but the 0.0");
  }

  @Test
  void aCopyDetectsTheSame() {
    Detector detector = detector(0.5f);
    assertEquals(detector.detect(image(40, 80)), detector.copy().detect(image(40, 80)));
  }

  @Test
  void withoutLabelsTheClassIndexNamesTheBox() {
    Network net = Kaffee.load(dir.resolve("tiny_ssd.prototxt"), dir.resolve("tiny_ssd.caffemodel"));
    Detection best = new Detector(net, new Preprocessing(), null, 0.5f).detect(image(20, 20)).get(0);
    assertEquals("1", best.labelName());
  }

  @Test
  void refusesWhatIsNotADetectionNet() {
    Network lenet = Kaffee.load(TrainedLeNet.DEPLOY);
    KaffeeException e = assertThrows(KaffeeException.class, () -> new Detector(lenet, new Preprocessing(), null, 0.5f));
    assertTrue(e.getMessage().contains("1 x 1 x N x 7"), e.getMessage());
    KaffeeException crop = assertThrows(KaffeeException.class,
        () -> new Detector(Kaffee.load(dir.resolve("tiny_ssd.prototxt")), new Preprocessing().oversample(true), null,
            0.5f));
    assertTrue(crop.getMessage().contains("no crops"), crop.getMessage());
    assertThrows(KaffeeException.class, () -> detector(1.5f));
  }
}
