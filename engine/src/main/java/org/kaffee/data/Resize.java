package org.kaffee.data;

/**
 * OpenCV's {@code cv::resize(src, dst, Size(w, h))} (INTER_LINEAR) on 8-bit images, the resize
 * Caffe's ImageData layer, convert_imageset and WindowData use, reproduced to the bit:
 * <ul>
 *   <li>source positions are computed in float from {@code scale = 1 / (dst / src)}, and the
 *       two weights rounded to 11-bit fixed point (INTER_RESIZE_COEF_BITS) half to even;
 *   <li>columns outside the source take the edge pixel with weight 1; rows are clamped but keep
 *       their unclamped weights;
 *   <li>the vertical pass rounds as OpenCV's 8-bit kernel does:
 *       {@code ((b0 * (r0 >> 4)) >> 16) + ((b1 * (r1 >> 4)) >> 16)}, then {@code (v + 2) >> 2};
 *   <li>an exact halving of both sides is OpenCV's 2x2 area average, {@code (a + b + c + d + 2) >> 2}.
 * </ul>
 */
public final class Resize {
  private static final int COEF_BITS = 11;
  private static final int ONE = 1 << COEF_BITS;

  private Resize() {
  }

  /** The image resized to {@code newHeight x newWidth}; the same image when the size is unchanged. */
  public static Image bilinear(Image src, int newHeight, int newWidth) {
    if (newHeight == src.height && newWidth == src.width) {
      return src;
    }
    double scaleX = 1.0 / ((double) newWidth / src.width);
    double scaleY = 1.0 / ((double) newHeight / src.height);
    if (scaleX == 2 && scaleY == 2) {
      return halve(src);
    }
    int[] xofs = new int[newWidth];
    short[] alpha = new short[2 * newWidth];
    for (int dx = 0; dx < newWidth; dx++) {
      float fx = (float) ((dx + 0.5) * scaleX - 0.5);
      int sx = (int) Math.floor(fx);
      fx -= sx;
      if (sx < 0) {
        fx = 0;
        sx = 0;
      }
      if (sx >= src.width - 1) {
        fx = 0;
        sx = src.width - 1;
      }
      xofs[dx] = sx;
      alpha[2 * dx] = fixed(1f - fx);
      alpha[2 * dx + 1] = fixed(fx);
    }
    byte[] out = new byte[src.channels * newHeight * newWidth];
    int[] row0 = new int[newWidth];
    int[] row1 = new int[newWidth];
    for (int c = 0; c < src.channels; c++) {
      int plane = c * src.height * src.width;
      for (int dy = 0; dy < newHeight; dy++) {
        float fy = (float) ((dy + 0.5) * scaleY - 0.5);
        int sy = (int) Math.floor(fy);
        fy -= sy;
        int b0 = fixed(1f - fy);
        int b1 = fixed(fy);
        horizontal(src, plane + clampRow(sy, src.height) * src.width, xofs, alpha, row0);
        horizontal(src, plane + clampRow(sy + 1, src.height) * src.width, xofs, alpha, row1);
        int o = (c * newHeight + dy) * newWidth;
        for (int dx = 0; dx < newWidth; dx++) {
          int v = ((b0 * (row0[dx] >> 4)) >> 16) + ((b1 * (row1[dx] >> 4)) >> 16);
          out[o + dx] = (byte) ((v + 2) >> 2);
        }
      }
    }
    return new Image(src.channels, newHeight, newWidth, out);
  }

  /** OpenCV's saturate_cast&lt;short&gt;(w * 2048): round half to even. */
  private static short fixed(float weight) {
    return (short) Math.rint(weight * ONE);
  }

  private static int clampRow(int y, int height) {
    return Math.max(0, Math.min(height - 1, y));
  }

  private static void horizontal(Image src, int rowStart, int[] xofs, short[] alpha, int[] dst) {
    int last = src.width - 1;
    for (int dx = 0; dx < dst.length; dx++) {
      int x0 = xofs[dx];
      int p0 = src.pixels[rowStart + x0] & 0xff;
      int p1 = src.pixels[rowStart + Math.min(x0 + 1, last)] & 0xff;
      dst[dx] = p0 * alpha[2 * dx] + p1 * alpha[2 * dx + 1];
    }
  }

  /** Exactly half the size on both sides: the mean of each 2x2 block, rounded half up. */
  private static Image halve(Image src) {
    int h = src.height / 2;
    int w = src.width / 2;
    byte[] out = new byte[src.channels * h * w];
    for (int c = 0; c < src.channels; c++) {
      int plane = c * src.height * src.width;
      for (int y = 0; y < h; y++) {
        int r0 = plane + 2 * y * src.width;
        int r1 = r0 + src.width;
        for (int x = 0; x < w; x++) {
          int sum = (src.pixels[r0 + 2 * x] & 0xff) + (src.pixels[r0 + 2 * x + 1] & 0xff)
              + (src.pixels[r1 + 2 * x] & 0xff) + (src.pixels[r1 + 2 * x + 1] & 0xff);
          out[(c * h + y) * w + x] = (byte) ((sum + 2) >> 2);
        }
      }
    }
    return new Image(src.channels, h, w, out);
  }
}
