package org.kaffee.layers.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Caffe's window geometry, worked by hand in float arithmetic. */
class WindowWarpTest {
  @Test
  void withoutContextTheBoxIsWarpedToTheWholeCrop() {
    assertEquals(new WindowWarp(3, 4, 20, 9, 32, 32, 0, 0), WindowWarp.of(3, 4, 20, 9, 50, 50, 32, 0, false, true));
  }

  @Test
  void contextPadGrowsTheBoxSoThePadIsContextAfterWarping() {
    // 20x20 box centred at 20; scale 32/24: half width 10 -> 13.333334; x1 = round(6.666666) = 7,
    // x2 = round(33.333334) = 33: 27 pixels, warped by 32/27 to exactly 32.
    assertEquals(new WindowWarp(7, 7, 33, 33, 32, 32, 0, 0), WindowWarp.of(10, 10, 29, 29, 100, 100, 32, 4, false, false));
  }

  @Test
  void theGrownBoxIsClippedAtTheImageAndItsOutsideBecomesPadding() {
    // centre 10: x1 = round(-3.333334) = -3 -> 3 pixels outside on the left and top; x2 = 23.
    // Unclipped 27 wide; the 24 clipped pixels warp to round(24 * 32/27 = 28.44) = 28 and the
    // 3 outside to round(3.56) = 4 pixels of padding.
    assertEquals(new WindowWarp(0, 0, 23, 23, 28, 28, 4, 4), WindowWarp.of(0, 0, 19, 19, 30, 30, 32, 4, false, false));
    // mirrored, the left padding is what was outside on the right: nothing
    assertEquals(new WindowWarp(0, 0, 23, 23, 28, 28, 4, 0), WindowWarp.of(0, 0, 19, 19, 30, 30, 32, 4, false, true));
  }

  @Test
  void theRightAndBottomEdgesClipToo() {
    // 15-pixel box 10..24 in a 25x25 image: centre 17.5, half 7.5 * 4/3 = 10: x 8..28, 21 wide;
    // 4 pixels outside on the right and bottom; the 17 clipped warp by 32/21 to round(25.9) = 26.
    assertEquals(new WindowWarp(8, 8, 24, 24, 26, 26, 0, 0), WindowWarp.of(10, 10, 24, 24, 25, 25, 32, 4, false, false));
    // mirrored: the 4 outside on the right become round(6.1) = 6 pixels on the left
    assertEquals(new WindowWarp(8, 8, 24, 24, 26, 26, 0, 6), WindowWarp.of(10, 10, 24, 24, 25, 25, 32, 4, false, true));
  }

  @Test
  void squareModeUsesTheLongerSideForBoth() {
    // 20 wide, 10 high: both halves become 10; centre (20, 45): x 10..30, y 35..55, 21 each.
    assertEquals(new WindowWarp(10, 35, 30, 55, 32, 32, 0, 0), WindowWarp.of(10, 40, 29, 49, 100, 100, 32, 0, true, false));
  }

  @Test
  void roundingTakesHalvesAwayFromZeroAsC() {
    assertEquals(-3, WindowWarp.round(-2.5f));
    assertEquals(3, WindowWarp.round(2.5f));
    assertEquals(-2, WindowWarp.round(-2.4999998f));
  }
}
