package org.kaffee.layers.detection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.kaffee.testing.DoubleLayers.forward;
import static org.kaffee.testing.DoubleLayers.list;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kaffee.core.Blob;
import org.kaffee.core.KaffeeException;
import org.kaffee.testing.DoubleLayers;
import org.kaffee.testing.TestBlobs;

class DetectionOutputLayerTest {
  /** Priors A, B (overlapping A by IoU 0.68) and C apart, with variances 0.1 0.1 0.2 0.2. */
  private static final double[] PRIORS = {
      0, 0, 0.5, 0.5, 0.05, 0.05, 0.55, 0.55, 0.6, 0.6, 0.9, 0.9,
      0.1, 0.1, 0.2, 0.2, 0.1, 0.1, 0.2, 0.2, 0.1, 0.1, 0.2, 0.2};
  private static final double[] A = {0, 0, 0.5, 0.5};
  private static final double[] B = {0.05, 0.05, 0.55, 0.55};
  private static final double[] C = {0.6, 0.6, 0.9, 0.9};

  private static DetectionOutputLayer output(String p) {
    return DoubleLayers.fromText(DetectionOutputLayer::new, "det", "type: 'DetectionOutput' detection_output_param { "
        + p + " }");
  }

  /** Background and one class; class 1 scores 0.9, 0.8, 0.3 at A, B, C. */
  private static double[] detect(String p, double[] loc) {
    Blob conf = TestBlobs.of(new double[] {0.1, 0.9, 0.2, 0.8, 0.7, 0.3}, 1, 6);
    Blob top = forward(output("num_classes: 2 " + p), 1, TestBlobs.of(loc, 1, 12), conf,
        TestBlobs.of(PRIORS, 1, 2, 12)).get(0);
    return TestBlobs.data(top);
  }

  private static double[] rows(double[]... rows) {
    return java.util.Arrays.stream(rows).flatMapToDouble(java.util.Arrays::stream).toArray();
  }

  private static double[] row(int image, int label, double score, double[] box) {
    return new double[] {image, label, score, box[0], box[1], box[2], box[3]};
  }

  @Test
  void nmsDropsTheBoxOverlappingABetterOne() {
    double[] out = detect("code_type: CENTER_SIZE nms_param { nms_threshold: 0.45 }", new double[12]);
    assertArrayEquals(rows(row(0, 1, 0.9, A), row(0, 1, 0.3, C)), out, 1e-12);
  }

  @Test
  void aLooseThresholdKeepsBoth() {
    double[] out = detect("code_type: CENTER_SIZE nms_param { nms_threshold: 0.9 }", new double[12]);
    assertArrayEquals(rows(row(0, 1, 0.9, A), row(0, 1, 0.8, B), row(0, 1, 0.3, C)), out, 1e-12);
  }

  @Test
  void etaTightensTheThresholdAfterEachKeptBox() {
    // 0.9 becomes 0.45 after A is kept, so B (IoU 0.68) goes
    double[] out = detect("code_type: CENTER_SIZE nms_param { nms_threshold: 0.9 eta: 0.5 }", new double[12]);
    assertArrayEquals(rows(row(0, 1, 0.9, A), row(0, 1, 0.3, C)), out, 1e-12);
  }

  @Test
  void confidenceThresholdTopKAndKeepTopK() {
    String loose = "code_type: CENTER_SIZE nms_param { nms_threshold: 0.9";
    assertArrayEquals(rows(row(0, 1, 0.9, A), row(0, 1, 0.8, B)),
        detect(loose + " } confidence_threshold: 0.5", new double[12]), 1e-12);
    assertArrayEquals(rows(row(0, 1, 0.9, A)), detect(loose + " top_k: 1 }", new double[12]), 1e-12);
    assertArrayEquals(rows(row(0, 1, 0.9, A), row(0, 1, 0.8, B)), detect(loose + " } keep_top_k: 2",
        new double[12]), 1e-12);
  }

  @Test
  void codeTypesDecodeTheOffsets() {
    double[] loc = new double[12];
    loc[8] = 1;   // C's first offset
    loc[11] = -2; // C's last offset
    String nms = " nms_param { nms_threshold: 0.45 }";
    // CORNER: corner + variance * offset
    assertArrayEquals(new double[] {0.7, 0.6, 0.9, 0.5}, tail(detect("code_type: CORNER" + nms, loc)), 1e-9);
    // CORNER_SIZE: corner + variance * offset * prior size (0.3)
    assertArrayEquals(new double[] {0.63, 0.6, 0.9, 0.78}, tail(detect("code_type: CORNER_SIZE" + nms, loc)), 1e-9);
    // CENTER_SIZE: centre x + 0.1 * 0.3, height * exp(0.2 * -2)
    double h = 0.3 * Math.exp(-0.4);
    assertArrayEquals(new double[] {0.63, 0.75 - h / 2, 0.93, 0.75 + h / 2},
        tail(detect("code_type: CENTER_SIZE" + nms, loc)), 1e-9);
    // variance encoded in the target: the offsets are used as they are
    assertArrayEquals(new double[] {1.6, 0.6, 0.9, -1.1},
        tail(detect("code_type: CORNER variance_encoded_in_target: true" + nms, loc)), 1e-9);
  }

  /** The box of the last row. */
  private static double[] tail(double[] out) {
    return java.util.Arrays.copyOfRange(out, out.length - 4, out.length);
  }

  @Test
  void boxesPerClassAndTwoImages() {
    // three classes, no background, a box per class: class c's box at prior c is C moved by c/10
    double[] loc = new double[2 * 3 * 3 * 4];
    double[] conf = new double[2 * 3 * 3];
    for (int n = 0; n < 2; n++) {
      for (int p = 0; p < 3; p++) {
        for (int c = 0; c < 3; c++) {
          loc[((n * 3 + p) * 3 + c) * 4] = c;
          conf[(n * 3 + p) * 3 + c] = p == c ? 0.5 + 0.1 * n : 0.01;
        }
      }
    }
    Blob top = forward(output("num_classes: 3 share_location: false background_label_id: -1"
        + " confidence_threshold: 0.1 nms_param { nms_threshold: 0.45 }"), 1, TestBlobs.of(loc, 2, 36),
        TestBlobs.of(conf, 2, 9), TestBlobs.of(PRIORS, 1, 2, 12)).get(0);
    double[] out = TestBlobs.data(top);
    org.junit.jupiter.api.Assertions.assertEquals(6 * 7, out.length);
    // image 1, class 2 at prior C: xmin 0.6 + 0.1 * 2
    assertArrayEquals(new double[] {1, 2, 0.6, 0.8, 0.6, 0.9, 0.9}, java.util.Arrays.copyOfRange(out, 35, 42), 1e-9);
  }

  @Test
  void noDetectionGivesARowOfMinusOnesPerImage() {
    double[] out = detect("code_type: CENTER_SIZE confidence_threshold: 0.95", new double[12]);
    assertArrayEquals(new double[] {0, -1, -1, -1, -1, -1, -1}, out, 0);
  }

  @Test
  void mismatchedBottomsAreRejected() {
    DetectionOutputLayer layer = output("num_classes: 3");
    assertThrows(KaffeeException.class, () -> layer.setUp(list(TestBlobs.of(new double[12], 1, 12),
        TestBlobs.of(new double[6], 1, 6), TestBlobs.of(PRIORS, 1, 2, 12)), DoubleLayers.tops(1)));
    assertThrows(KaffeeException.class, () -> output("share_location: true"));
  }
}
