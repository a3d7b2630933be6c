package org.kaffee.data;

/** OpenCV's saturate_cast&lt;uchar&gt; of a float: rounded half to even, then clamped to [0, 255]. */
final class Pixels {
  private Pixels() {
  }

  static byte saturate(float v) {
    return (byte) Math.max(0, Math.min(255, (int) Math.rint(v)));
  }

  /** Every byte of {@code p[from, to)} as {@code saturate(x * alpha + beta)} (Mat::convertTo). */
  static void scale(byte[] p, int from, int to, float alpha, float beta) {
    for (int i = from; i < to; i++) {
      p[i] = saturate((p[i] & 0xff) * alpha + beta);
    }
  }
}
