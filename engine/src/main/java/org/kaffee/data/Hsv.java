package org.kaffee.data;

/**
 * OpenCV's 8-bit BGR to HSV and back (cv::cvtColor with COLOR_BGR2HSV / COLOR_HSV2BGR), which
 * SSD's saturation and hue distortions round-trip through: H in [0, 180), S and V in [0, 255].
 * The forward conversion uses OpenCV's 12-bit fixed-point division tables, the inverse its float
 * sector formula, rounded to the nearest byte.
 */
final class Hsv {
  private static final int SHIFT = 12;
  private static final int[] SDIV = new int[256];
  private static final int[] HDIV = new int[256];

  static {
    for (int i = 1; i < 256; i++) {
      SDIV[i] = (int) Math.rint((255 << SHIFT) / (1.0 * i));
      HDIV[i] = (int) Math.rint((180 << SHIFT) / (6.0 * i));
    }
  }

  /** Which of v, v(1-s), v(1-sh), v(1-s(1-h)) each of b, g, r takes in each sixth of the hue circle. */
  private static final int[][] SECTORS = {{1, 3, 0}, {1, 0, 2}, {3, 0, 1}, {0, 2, 1}, {0, 1, 3}, {2, 1, 0}};

  private Hsv() {
  }

  /** Planar B, G, R bytes to planar H, S, V bytes (n pixels per plane), in place. */
  static void fromBgr(byte[] p, int n) {
    for (int i = 0; i < n; i++) {
      int b = p[i] & 0xff;
      int g = p[n + i] & 0xff;
      int r = p[2 * n + i] & 0xff;
      int v = Math.max(b, Math.max(g, r));
      int diff = v - Math.min(b, Math.min(g, r));
      int s = (diff * SDIV[v] + (1 << (SHIFT - 1))) >> SHIFT;
      int h = v == r ? g - b : v == g ? b - r + 2 * diff : r - g + 4 * diff;
      h = (h * HDIV[diff] + (1 << (SHIFT - 1))) >> SHIFT;
      h += h < 0 ? 180 : 0;
      p[i] = (byte) h;
      p[n + i] = (byte) s;
      p[2 * n + i] = (byte) v;
    }
  }

  /** Planar H, S, V bytes back to planar B, G, R bytes, in place. */
  static void toBgr(byte[] p, int n) {
    float[] tab = new float[4];
    for (int i = 0; i < n; i++) {
      float h = p[i] & 0xff;
      float s = (p[n + i] & 0xff) * (1f / 255f);
      float v = (p[2 * n + i] & 0xff) * (1f / 255f);
      float b;
      float g;
      float r;
      if (s == 0) {
        b = g = r = v;
      } else {
        h *= 6f / 180f;
        h %= 6f;
        h += h < 0 ? 6f : 0f;
        int sector = (int) Math.floor(h);
        h -= sector;
        if (sector < 0 || sector >= 6) {
          sector = 0;
          h = 0;
        }
        tab[0] = v;
        tab[1] = v * (1f - s);
        tab[2] = v * (1f - s * h);
        tab[3] = v * (1f - s * (1f - h));
        b = tab[SECTORS[sector][0]];
        g = tab[SECTORS[sector][1]];
        r = tab[SECTORS[sector][2]];
      }
      p[i] = Pixels.saturate(b * 255f);
      p[n + i] = Pixels.saturate(g * 255f);
      p[2 * n + i] = Pixels.saturate(r * 255f);
    }
  }
}
