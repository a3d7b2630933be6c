package org.kaffee.layers.detection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kaffee.core.KaffeeException;
import org.kaffee.layers.detection.AveragePrecision.Hit;
import org.kaffee.layers.detection.AveragePrecision.Version;

/** The fork's three AP integrals on precision/recall curves worked out by hand. */
class AveragePrecisionTest {
  /** Hits in score order 0.9, 0.8, ... with the given true/false. */
  private static List<Hit> ranked(boolean... truePositive) {
    List<Hit> hits = new ArrayList<>();
    for (int i = 0; i < truePositive.length; i++) {
      hits.add(new Hit(0.9f - 0.1f * i, truePositive[i]));
    }
    return hits;
  }

  @Test
  void aMissBeforeTwoHitsSeparatesTheIntegrals() {
    // precision 0, 1/2, 2/3 at recall 0, 1/2, 1 (2 ground-truth boxes)
    List<Hit> hits = ranked(false, true, true);
    assertEquals(0.5 * 0.5 + 2.0 / 3 * 0.5, AveragePrecision.of(hits, 2, Version.INTEGRAL), 1e-6);
    // made monotone from the right: 2/3 over the whole recall range
    assertEquals(2.0 / 3, AveragePrecision.of(hits, 2, Version.MAX_INTEGRAL), 1e-6);
    // the best precision at recall >= t is 2/3 for every t in 0, 0.1, ..., 1
    assertEquals(2.0 / 3, AveragePrecision.of(hits, 2, Version.ELEVEN_POINT), 1e-6);
  }

  @Test
  void elevenPointTakesTheBestPrecisionAtEachRecallThreshold() {
    // 3 boxes; hits T F T: precision 1, 1/2, 2/3 at recall 1/3, 1/3, 2/3
    List<Hit> hits = ranked(true, false, true);
    // t = 0 .. 0.3: 1; t = 0.4 .. 0.6: 2/3; t = 0.7 .. 1: never reached, 0
    assertEquals((4 * 1.0 + 3 * 2.0 / 3) / 11, AveragePrecision.of(hits, 3, Version.ELEVEN_POINT), 1e-6);
    assertEquals(1.0 / 3 + 2.0 / 3 / 3, AveragePrecision.of(hits, 3, Version.INTEGRAL), 1e-6);
    assertEquals(1.0 / 3 + 2.0 / 3 / 3, AveragePrecision.of(hits, 3, Version.MAX_INTEGRAL), 1e-6);
  }

  @Test
  void aLongerCurveThatReachesFullRecall() {
    // 3 boxes; T F T F T: precision 1, 1/2, 2/3, 1/2, 3/5 at recall 1/3, 1/3, 2/3, 2/3, 1
    List<Hit> hits = ranked(true, false, true, false, true);
    // recall 0..0.3 -> 1 (4 points), 0.4..0.6 -> 2/3 (3 points), 0.7..1 -> 3/5 (4 points)
    assertEquals((4 + 3 * 2.0 / 3 + 4 * 0.6) / 11, AveragePrecision.of(hits, 3, Version.ELEVEN_POINT), 1e-6);
    // 1/3 at precision 1, then 1/3 at max(2/3, 1/2, 3/5), then 1/3 at 3/5
    assertEquals(1.0 / 3 + 2.0 / 9 + 1.0 / 5, AveragePrecision.of(hits, 3, Version.MAX_INTEGRAL), 1e-6);
    // each recall step at the precision where it is reached: 1, 2/3, 3/5
    assertEquals((1 + 2.0 / 3 + 0.6) / 3, AveragePrecision.of(hits, 3, Version.INTEGRAL), 1e-6);
  }

  @Test
  void aCurveThatStopsShortOfFullRecall() {
    // 4 boxes; F T T: precision 0, 1/2, 2/3 at recall 0, 1/4, 1/2
    List<Hit> hits = ranked(false, true, true);
    // recall 0..0.5 -> 2/3 (6 points), 0.6..1 never reached -> 0
    assertEquals(6 * (2.0 / 3) / 11, AveragePrecision.of(hits, 4, Version.ELEVEN_POINT), 1e-6);
    // 0 to 1/2 at the best later precision, 2/3
    assertEquals(0.5 * 2.0 / 3, AveragePrecision.of(hits, 4, Version.MAX_INTEGRAL), 1e-6);
  }

  @Test
  void hitsAreRankedByScoreWhateverTheirOrder() {
    List<Hit> shuffled = List.of(new Hit(0.7f, true), new Hit(0.9f, false), new Hit(0.8f, true));
    assertEquals(AveragePrecision.of(ranked(false, true, true), 2, Version.INTEGRAL),
        AveragePrecision.of(shuffled, 2, Version.INTEGRAL));
  }

  @Test
  void perfectDetectionsScoreOneAndNoneScoreZero() {
    for (Version v : Version.values()) {
      assertEquals(1f, AveragePrecision.of(ranked(true, true), 2, v), 1e-6, v.toString());
      assertEquals(0f, AveragePrecision.of(List.of(), 2, v), v.toString());
      assertEquals(0f, AveragePrecision.of(ranked(false, false), 2, v), v.toString());
    }
  }

  @Test
  void versionsGoByTheSolverNames() {
    assertEquals(Version.ELEVEN_POINT, Version.named("11point"));
    assertEquals(Version.MAX_INTEGRAL, Version.named("MaxIntegral"));
    assertEquals(Version.INTEGRAL, Version.named("Integral"));
    KaffeeException e = assertThrows(KaffeeException.class, () -> Version.named("VOC2007"));
    assertEquals("unknown ap_version \"VOC2007\": expected 11point, MaxIntegral or Integral", e.getMessage());
  }

  @Test
  void moreHitsThanBoxesIsAnError() {
    assertThrows(KaffeeException.class, () -> AveragePrecision.of(ranked(true, true), 1, Version.INTEGRAL));
  }
}
