package org.kaffee.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kaffee.layers.detection.AveragePrecision.Version;
import org.kaffee.core.KaffeeException;
import org.kaffee.inference.DetectionEvaluation.Scored;
import org.kaffee.layers.detection.Box;

/** SSD's DetectionEvaluate rules on two images worked out by hand (classes 1-3, background 0). */
class DetectionEvaluationTest {
  private static final double EPS = 1e-6; // SSD computes AP in float
  private static final Box TOP_LEFT = new Box(0, 0, 0.5, 0.5);
  private static final Box TOP_RIGHT = new Box(0.5, 0, 1, 0.5);
  private static final Box BOTTOM_RIGHT = new Box(0.5, 0.5, 1, 1);
  private static final Box MIDDLE = new Box(0.2, 0.2, 0.6, 0.6);

  private static DetectionEvaluation twoImages() {
    DetectionEvaluation e = new DetectionEvaluation(4, 0, 0.5);
    e.add("one", List.of(new GroundTruth(1, TOP_LEFT, false), new GroundTruth(1, BOTTOM_RIGHT, true),
        new GroundTruth(2, TOP_RIGHT, false)), List.of(
            new Scored(1, 0.9, TOP_LEFT),                          // true positive
            new Scored(1, 0.8, new Box(0.05, 0, 0.55, 0.5)),       // IoU 0.82 with the matched box: duplicate
            new Scored(1, 0.7, BOTTOM_RIGHT),                      // on a difficult box: not scored
            new Scored(1, 0.6, new Box(0, 0.6, 0.3, 0.9)),         // overlaps nothing
            new Scored(3, 0.5, TOP_LEFT)));                        // a class without boxes
    e.add("two", List.of(new GroundTruth(1, MIDDLE, false)), List.of(
        new Scored(1, 0.3, MIDDLE),                                // true positive, added before the better miss
        new Scored(1, 0.85, new Box(0.4, 0.4, 0.8, 0.8))));        // IoU 0.04 / 0.28 = 0.14
    return e;
  }

  @Test
  void difficultBoxesDuplicatesAndMisses() {
    DetectionEvaluation e = twoImages();
    assertEquals(2, e.images());
    assertEquals(2, e.positives(1), "the difficult box is not a positive");
    assertEquals(5, e.detections(1), "the detection on the difficult box is left out");
    // class 1 ranked: 0.9 T, 0.85 F, 0.8 F, 0.6 F, 0.3 T; precision 1, 1/2, 1/3, 1/4, 2/5; recall 1/2 ... 1
    assertEquals((6 + 5 * 0.4) / 11, e.averagePrecision(1, Version.ELEVEN_POINT), EPS);
    assertEquals(0.5 * 1 + 0.5 * 0.4, e.averagePrecision(1, Version.MAX_INTEGRAL), EPS);
    assertEquals(0, e.averagePrecision(2, Version.MAX_INTEGRAL), EPS, "a class never detected");
    assertEquals(0, e.averagePrecision(3, Version.MAX_INTEGRAL), EPS, "a class without boxes");
    // SSD's mean: every class but the background, 0 for classes 2 and 3
    assertEquals((6 + 5 * 0.4) / 11 / 3, e.meanAveragePrecision(Version.ELEVEN_POINT), EPS);
    assertEquals(0.7 / 3, e.meanAveragePrecision(Version.MAX_INTEGRAL), EPS);
  }

  @Test
  void anOverlapOfExactlyTheThresholdMatches() {
    DetectionEvaluation e = new DetectionEvaluation(2, 0, 0.5);
    e.add("half", List.of(new GroundTruth(1, new Box(0, 0, 1, 1), false)), List.of(
        new Scored(1, 0.9, new Box(0, 0, 0.5, 1))));
    assertEquals(1, e.averagePrecision(1, Version.MAX_INTEGRAL), EPS);
    DetectionEvaluation strict = new DetectionEvaluation(2, 0, 0.6);
    strict.add("half", List.of(new GroundTruth(1, new Box(0, 0, 1, 1), false)), List.of(
        new Scored(1, 0.9, new Box(0, 0, 0.5, 1))));
    assertEquals(0, strict.averagePrecision(1, Version.MAX_INTEGRAL), EPS);
  }

  @Test
  void aBoxOfAnUnknownClassIsNamed() {
    DetectionEvaluation e = new DetectionEvaluation(3, 0, 0.5);
    KaffeeException bad = assertThrows(KaffeeException.class,
        () -> e.add("img7", List.of(new GroundTruth(5, TOP_LEFT, false)), List.of()));
    assertTrue(bad.getMessage().startsWith("img7: a ground-truth box has label 5"), bad.getMessage());
    assertThrows(KaffeeException.class, () -> new DetectionEvaluation(3, 0, 0));
  }
}
