package org.kaffee.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kaffee.core.KaffeeException;

/**
 * Both interpolations against precision/recall curves worked out by hand (the comments give
 * each detection's precision and recall).
 */
class AveragePrecisionTest {
  private static final double EPS = 1e-12;

  @Test
  void aCurveThatReachesFullRecall() {
    // 3 boxes; T F T F T: precision 1, 1/2, 2/3, 1/2, 3/5 at recall 1/3, 1/3, 2/3, 2/3, 1
    List<Boolean> ranked = List.of(true, false, true, false, true);
    // recall 0..0.3 -> 1 (4 points), 0.4..0.6 -> 2/3 (3 points), 0.7..1 -> 3/5 (4 points)
    assertEquals((4 + 3 * 2.0 / 3 + 4 * 0.6) / 11, AveragePrecision.ELEVEN_POINT.of(ranked, 3), EPS);
    // 1/3 at precision 1, then 1/3 at max(2/3, 1/2, 3/5), then 1/3 at 3/5
    assertEquals(1.0 / 3 + 2.0 / 9 + 1.0 / 5, AveragePrecision.ALL_POINTS.of(ranked, 3), EPS);
  }

  @Test
  void aCurveThatStopsShortOfFullRecall() {
    // 4 boxes; F T T: precision 0, 1/2, 2/3 at recall 0, 1/4, 1/2
    List<Boolean> ranked = List.of(false, true, true);
    // recall 0..0.5 -> 2/3 (6 points), 0.6..1 never reached -> 0
    assertEquals(6 * (2.0 / 3) / 11, AveragePrecision.ELEVEN_POINT.of(ranked, 4), EPS);
    // 0 to 1/2 at the best later precision, 2/3
    assertEquals(0.5 * 2.0 / 3, AveragePrecision.ALL_POINTS.of(ranked, 4), EPS);
  }

  @Test
  void perfectAndEmptyCases() {
    for (AveragePrecision ap : AveragePrecision.values()) {
      assertEquals(1, ap.of(List.of(true, true), 2), EPS, ap + ": every box found first");
      assertEquals(0, ap.of(List.of(), 2), EPS, ap + ": no detections");
      assertEquals(0, ap.of(List.of(false, false), 0), EPS, ap + ": no boxes");
      assertEquals(0, ap.of(List.of(false, false), 3), EPS, ap + ": only false positives");
    }
  }

  @Test
  void namedBySsdsApVersion() {
    assertEquals(AveragePrecision.ELEVEN_POINT, AveragePrecision.named("11point", "--ap_version"));
    assertEquals(AveragePrecision.ALL_POINTS, AveragePrecision.named("MaxIntegral", "--ap_version"));
    KaffeeException e = assertThrows(KaffeeException.class, () -> AveragePrecision.named("Integral", "--ap_version"));
    assertEquals("--ap_version=Integral: give 11point or MaxIntegral", e.getMessage());
  }
}
