package org.kaffee.layers.detection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.kaffee.testing.DoubleLayers.forward;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kaffee.core.Blob;
import org.kaffee.core.KaffeeException;
import org.kaffee.testing.DoubleLayers;
import org.kaffee.testing.TestBlobs;

class DetectionEvaluateLayerTest {
  private static DetectionEvaluateLayer evaluate(String p) {
    return DoubleLayers.fromText(DetectionEvaluateLayer::new, "eval",
        "type: 'DetectionEvaluate' detection_evaluate_param { " + p + " }");
  }

  private static double[] rows(double[]... rows) {
    return Arrays.stream(rows).flatMapToDouble(Arrays::stream).toArray();
  }

  private static double[] run(String p, double[] det, double[] gt) {
    Blob top = forward(evaluate(p), 1, TestBlobs.of(det, 1, 1, det.length / 7, 7),
        TestBlobs.of(gt, 1, 1, gt.length / 8, 8)).get(0);
    return TestBlobs.data(top);
  }

  /** Image 0: a class-1 box, a difficult class-1 box and a class-2 box; image 1: one class-1 box. */
  private static final double[] GT = rows(
      new double[] {0, 1, 0, 0.1, 0.1, 0.5, 0.5, 0},
      new double[] {0, 1, 1, 0.6, 0.6, 0.9, 0.9, 1},
      new double[] {0, 2, 0, 0.0, 0.5, 0.4, 1.0, 0},
      new double[] {1, 1, 0, 0.2, 0.2, 0.6, 0.6, 0});

  /** Image 0, class 1: two boxes on the easy truth (0.9 then 0.8), one on the difficult one,
   * one nowhere; image 1, class 2: a box with no class-2 truth there. */
  private static final double[] DET = rows(
      new double[] {0, 1, 0.8, 0.1, 0.1, 0.5, 0.52},
      new double[] {0, 1, 0.9, 0.1, 0.1, 0.5, 0.5},
      new double[] {0, 1, 0.7, 0.6, 0.6, 0.9, 0.9},
      new double[] {0, 1, 0.6, 0.0, 0.8, 0.1, 0.9},
      new double[] {1, 2, 0.5, 0.2, 0.2, 0.6, 0.6});

  @Test
  void countsPositivesThenMarksEachDetectionBestScoreFirst() {
    double[] out = run("num_classes: 3 background_label_id: 0 evaluate_difficult_gt: false", DET, GT);
    assertArrayEquals(rows(
        new double[] {-1, 1, 2, -1, -1}, // two easy class-1 boxes (image 0 and image 1)
        new double[] {-1, 2, 1, -1, -1},
        new double[] {0, 1, 0.9, 1, 0}, // takes the easy box
        new double[] {0, 1, 0.8, 0, 1}, // the same box again: a duplicate
        new double[] {0, 1, 0.7, 0, 0}, // the difficult box, not evaluated: neither
        new double[] {0, 1, 0.6, 0, 1}, // overlaps nothing
        new double[] {1, 2, 0.5, 0, 1}), out, 1e-6); // no class-2 truth in image 1
  }

  @Test
  void evaluatedDifficultBoxesCountAndMatch() {
    double[] out = run("num_classes: 3 background_label_id: 0 evaluate_difficult_gt: true", DET, GT);
    assertArrayEquals(new double[] {-1, 1, 3, -1, -1}, Arrays.copyOfRange(out, 0, 5), 1e-6);
    assertArrayEquals(new double[] {0, 1, 0.7, 1, 0}, Arrays.copyOfRange(out, 20, 25), 1e-6);
  }

  @Test
  void anOverlapBelowTheThresholdIsAFalsePositive() {
    // IoU of [0.1,0.1,0.5,0.5] and [0.3,0.1,0.7,0.5] is 0.08 / 0.24 = 1/3
    double[] det = {0, 1, 0.9, 0.3, 0.1, 0.7, 0.5};
    double[] gt = {0, 1, 0, 0.1, 0.1, 0.5, 0.5, 0};
    assertArrayEquals(new double[] {-1, 1, 1, -1, -1, 0, 1, 0.9, 0, 1},
        run("num_classes: 2 overlap_threshold: 0.34", det, gt), 1e-6);
    assertArrayEquals(new double[] {-1, 1, 1, -1, -1, 0, 1, 0.9, 1, 0},
        run("num_classes: 2 overlap_threshold: 0.33", det, gt), 1e-6);
  }

  @Test
  void inPixelsSizesGainAPixel(@TempDir Path dir) throws Exception {
    // 10 x 10 image: detection [1,1,5,5], truth [3,1,7,5]: intersection 3 x 5 = 15 of 25 + 25 - 15
    Path sizes = dir.resolve("sizes.txt");
    Files.writeString(sizes, "img0 10 10\n");
    double[] det = {0, 1, 0.9, 0.1, 0.1, 0.5, 0.5};
    double[] gt = {0, 1, 0, 0.3, 0.1, 0.7, 0.5, 0};
    String p = "num_classes: 2 name_size_file: '" + sizes + "' overlap_threshold: ";
    assertArrayEquals(new double[] {-1, 1, 1, -1, -1, 0, 1, 0.9, 1, 0}, run(p + "0.428", det, gt), 1e-6);
    assertArrayEquals(new double[] {-1, 1, 1, -1, -1, 0, 1, 0.9, 0, 1}, run(p + "0.429", det, gt), 1e-6);
  }

  @Test
  void anImageWithoutDetectionsAddsNoRow() {
    double[] none = {0, -1, -1, -1, -1, -1, -1};
    double[] gt = {0, 1, 0, 0.1, 0.1, 0.5, 0.5, 0};
    assertArrayEquals(new double[] {-1, 1, 1, -1, -1}, run("num_classes: 2", none, gt), 1e-6);
  }

  @Test
  void badInputsNameTheProblem() {
    assertThrows(KaffeeException.class, () -> evaluate("background_label_id: 0"));
    double[] gt = {0, 0, 0, 0.1, 0.1, 0.5, 0.5, 0};
    assertThrows(KaffeeException.class, () -> run("num_classes: 2", new double[] {0, 1, 0.9, 0, 0, 1, 1}, gt));
  }
}
