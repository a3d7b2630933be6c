package org.kaffee.data;

import org.kaffee.core.KaffeeException;
import org.kaffee.proto.Caffe.ResizeParameter;
import org.kaffee.proto.Caffe.ResizeParameter.Pad_mode;

/**
 * cv::copyMakeBorder as FIT_LARGE_SIZE_AND_PAD uses it: rows above and below (or columns left
 * and right) filled with {@code pad_value} (CONSTANT, one value or one per channel, default 0),
 * reflected without repeating the edge (MIRRORED, BORDER_REFLECT_101) or repeating the edge
 * (REPEAT_NEAREST).
 */
final class Padding {
  private Padding() {
  }

  /** {@code img} with {@code total} rows ({@code vertical}) or columns added, {@code before} of them first. */
  static Image pad(Image img, ResizeParameter p, int before, int total, boolean vertical) {
    int c = img.channels;
    KaffeeException.check(p.getPadValueCount() <= 1 || p.getPadValueCount() == c,
        "resize_param: give either 1 pad_value or as many as channels (%d), got %d", c, p.getPadValueCount());
    int h = vertical ? img.height + total : img.height;
    int w = vertical ? img.width : img.width + total;
    int top = vertical ? before : 0;
    int left = vertical ? 0 : before;
    byte[] out = new byte[c * h * w];
    for (int ch = 0; ch < c; ch++) {
      byte fill = p.getPadValueCount() == 0 ? 0 : Pixels.saturate(p.getPadValue(p.getPadValueCount() == 1 ? 0 : ch));
      for (int y = 0; y < h; y++) {
        int sy = source(y - top, img.height, p.getPadMode());
        for (int x = 0; x < w; x++) {
          int sx = source(x - left, img.width, p.getPadMode());
          out[(ch * h + y) * w + x] = sy < 0 || sx < 0 ? fill : img.pixels[(ch * img.height + sy) * img.width + sx];
        }
      }
    }
    return new Image(c, h, w, out);
  }

  /** The source index a border position copies (cv::borderInterpolate), -1 for the constant. */
  private static int source(int i, int len, Pad_mode mode) {
    if (i >= 0 && i < len) {
      return i;
    }
    if (mode == Pad_mode.REPEAT_NEAREST) {
      return i < 0 ? 0 : len - 1;
    }
    if (mode != Pad_mode.MIRRORED) {
      return -1;
    }
    if (len == 1) {
      return 0;
    }
    while (i < 0 || i >= len) {
      i = i < 0 ? -i : 2 * len - 2 - i;
    }
    return i;
  }
}
