package org.kaffee.visual;

/** Image operations of the input ascent on planar (CHW) floats: circular shifts and a blur. */
final class Shift {
  /** Gaussian weights (sigma 0.5) of a 3-tap kernel: the blur is mild, applied often. */
  private static final float[] TAPS = {0.1065f, 0.787f, 0.1065f};

  private Shift() {
  }

  /** Shifts every plane by (dy, dx) pixels, wrapping around the edges. */
  static float[] roll(float[] image, int c, int h, int w, int dy, int dx) {
    float[] out = new float[image.length];
    for (int ch = 0; ch < c; ch++) {
      for (int y = 0; y < h; y++) {
        int ty = Math.floorMod(y + dy, h);
        for (int x = 0; x < w; x++) {
          out[(ch * h + ty) * w + Math.floorMod(x + dx, w)] = image[(ch * h + y) * w + x];
        }
      }
    }
    return out;
  }

  /** A separable 3x3 Gaussian blur, edges clamped. */
  static float[] blur3x3(float[] image, int c, int h, int w) {
    float[] across = new float[image.length];
    float[] out = new float[image.length];
    for (int ch = 0; ch < c; ch++) {
      int p = ch * h * w;
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          float v = 0;
          for (int k = -1; k <= 1; k++) {
            v += TAPS[k + 1] * image[p + y * w + Math.max(0, Math.min(w - 1, x + k))];
          }
          across[p + y * w + x] = v;
        }
      }
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          float v = 0;
          for (int k = -1; k <= 1; k++) {
            v += TAPS[k + 1] * across[p + Math.max(0, Math.min(h - 1, y + k)) * w + x];
          }
          out[p + y * w + x] = v;
        }
      }
    }
    return out;
  }
}
