package org.kaffee.layers.data;

/**
 * Where a window lands in a crop_size x crop_size input, as Caffe's WindowData computes it in
 * float arithmetic: the box is grown so that, once warped, {@code context_pad} pixels of
 * context surround it (and made square in "square" mode); the part of the grown box outside
 * the image is clipped off and becomes padding, scaled like the rest. The clipped region
 * {@code (x1, y1)-(x2, y2)} of the image is resized to {@code width x height} and written at
 * {@code (padTop, padLeft)} of the input (the left pad is the right one when mirrored).
 */
record WindowWarp(int x1, int y1, int x2, int y2, int width, int height, int padTop, int padLeft) {

  static WindowWarp of(int x1, int y1, int x2, int y2, int imageWidth, int imageHeight,
      int cropSize, int contextPad, boolean square, boolean mirror) {
    if (contextPad == 0 && !square) {
      return new WindowWarp(x1, y1, x2, y2, cropSize, cropSize, 0, 0);
    }
    float contextScale = (float) cropSize / (float) (cropSize - 2 * contextPad);
    float halfHeight = (float) (y2 - y1 + 1) / 2.0f;
    float halfWidth = (float) (x2 - x1 + 1) / 2.0f;
    float centerX = x1 + halfWidth;
    float centerY = y1 + halfHeight;
    if (square) {
      halfWidth = halfHeight = Math.max(halfWidth, halfHeight);
    }
    x1 = round(centerX - halfWidth * contextScale);
    x2 = round(centerX + halfWidth * contextScale);
    y1 = round(centerY - halfHeight * contextScale);
    y2 = round(centerY + halfHeight * contextScale);
    int unclippedHeight = y2 - y1 + 1;
    int unclippedWidth = x2 - x1 + 1;
    int padX1 = Math.max(0, -x1);
    int padY1 = Math.max(0, -y1);
    int padX2 = Math.max(0, x2 - imageWidth + 1);
    int padY2 = Math.max(0, y2 - imageHeight + 1);
    x1 += padX1;
    x2 -= padX2;
    y1 += padY1;
    y2 -= padY2;
    float scaleX = (float) cropSize / (float) unclippedWidth;
    float scaleY = (float) cropSize / (float) unclippedHeight;
    int width = round((float) (x2 - x1 + 1) * scaleX);
    int height = round((float) (y2 - y1 + 1) * scaleY);
    int padTop = round((float) padY1 * scaleY);
    int padLeft = round((float) (mirror ? padX2 : padX1) * scaleX);
    // rounding may push the warped region past the input's edge
    height = Math.min(height, cropSize - padTop);
    width = Math.min(width, cropSize - padLeft);
    return new WindowWarp(x1, y1, x2, y2, width, height, padTop, padLeft);
  }

  /** C's round: halves away from zero (Java's Math.round takes them up). */
  static int round(float v) {
    return (int) (v < 0 ? -Math.floor(-v + 0.5) : Math.floor(v + 0.5));
  }
}
