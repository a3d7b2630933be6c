package org.kaffee.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The blob-count checks every layer runs at set-up, and their one-line messages. */
class BlobCountsTest {
  private static String error(BlobCounts counts, int bottoms, int tops) {
    return assertThrows(KaffeeException.class, () -> counts.check("ip1 (InnerProduct)", bottoms, tops))
        .getMessage();
  }

  @Test
  void exactCounts() {
    BlobCounts.of(1, 1).check("x", 1, 1);
    assertEquals("layer ip1 (InnerProduct) takes 1 bottom blob(s), got 2", error(BlobCounts.of(1, 1), 2, 1));
    assertEquals("layer ip1 (InnerProduct) takes 1 top blob(s), got 0", error(BlobCounts.of(1, 1), 1, 0));
  }

  @Test
  void ranges() {
    BlobCounts counts = BlobCounts.ranges(2, 3, 1, BlobCounts.MANY);
    counts.check("x", 2, 1);
    counts.check("x", 3, 40);
    assertEquals("layer ip1 (InnerProduct) takes at least 2 bottom blob(s), got 1", error(counts, 1, 1));
    assertEquals("layer ip1 (InnerProduct) takes at most 3 bottom blob(s), got 4", error(counts, 4, 1));
    assertEquals("layer ip1 (InnerProduct) takes at least 1 top blob(s), got 0", error(counts, 2, 0));
  }

  @Test
  void topPerBottom() {
    BlobCounts counts = BlobCounts.ranges(1, BlobCounts.MANY, 1, BlobCounts.MANY).withTopPerBottom();
    counts.check("x", 3, 3);
    assertEquals("layer ip1 (InnerProduct) needs as many tops as bottoms, got 2 bottoms and 1 tops",
        error(counts, 2, 1));
  }

  @Test
  void anyAcceptsEverything() {
    BlobCounts.ANY.check("x", 0, 0);
    BlobCounts.ANY.check("x", 9, 9);
    assertEquals(false, BlobCounts.ANY.autoTops());
    assertEquals(true, BlobCounts.of(2, 1).withAutoTops().autoTops());
  }
}
