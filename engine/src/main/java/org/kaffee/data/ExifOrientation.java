package org.kaffee.data;

/**
 * The EXIF orientation of a JPEG, applied as OpenCV's imread/imdecode apply it (Caffe reads
 * images without IMREAD_IGNORE_ORIENTATION): 2 flips left-right, 3 turns half round, 4 flips
 * top-bottom, 5 transposes, 6 transposes and flips left-right, 7 transposes and flips both
 * ways, 8 transposes and flips top-bottom.
 */
final class ExifOrientation {
  private static final int TAG = 0x0112;

  private ExifOrientation() {
  }

  /** The orientation tag of the JPEG's EXIF block, 1 (as stored) when there is none. */
  static int of(byte[] jpeg) {
    int pos = 2;
    while (pos + 4 <= jpeg.length && (jpeg[pos] & 0xff) == 0xff) {
      int marker = jpeg[pos + 1] & 0xff;
      int length = u16(jpeg, pos + 2, false);
      if (marker == 0xda || marker == 0xd9) {  // start of scan: no more headers
        break;
      }
      if (marker == 0xe1 && length >= 8 && pos + 2 + length <= jpeg.length
          && new String(jpeg, pos + 4, 6, java.nio.charset.StandardCharsets.ISO_8859_1).equals("Exif\0\0")) {
        return fromTiff(jpeg, pos + 10, pos + 2 + length);
      }
      pos += 2 + length;
    }
    return 1;
  }

  private static int fromTiff(byte[] b, int tiff, int end) {
    if (tiff + 8 > end) {
      return 1;
    }
    boolean little = b[tiff] == 'I';
    long offset = u32(b, tiff + 4, little);
    if (offset + 2 > end - tiff) {
      return 1;
    }
    int ifd = tiff + (int) offset;
    int entries = u16(b, ifd, little);
    for (int i = 0; i < entries && ifd + 2 + 12 * (i + 1) <= end; i++) {
      int entry = ifd + 2 + 12 * i;
      if (u16(b, entry, little) == TAG) {
        int value = u16(b, entry + 8, little);
        return value >= 1 && value <= 8 ? value : 1;
      }
    }
    return 1;
  }

  static Image apply(Image img, int orientation) {
    if (orientation == 1) {
      return img;
    }
    boolean transpose = orientation >= 5;
    boolean flipX = orientation == 2 || orientation == 3 || orientation == 6 || orientation == 7;
    boolean flipY = orientation == 3 || orientation == 4 || orientation == 7 || orientation == 8;
    int h = transpose ? img.width : img.height;
    int w = transpose ? img.height : img.width;
    byte[] out = new byte[img.pixels.length];
    for (int c = 0; c < img.channels; c++) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int ty = flipY ? h - 1 - y : y;  // the pixel of the transposed image that lands at (y, x)
          int tx = flipX ? w - 1 - x : x;
          int sy = transpose ? tx : ty;
          int sx = transpose ? ty : tx;
          out[(c * h + y) * w + x] = img.pixels[(c * img.height + sy) * img.width + sx];
        }
      }
    }
    return new Image(img.channels, h, w, out);
  }

  private static int u16(byte[] b, int at, boolean little) {
    int a = b[at] & 0xff;
    int c = b[at + 1] & 0xff;
    return little ? a | c << 8 : a << 8 | c;
  }

  private static long u32(byte[] b, int at, boolean little) {
    long hi = u16(b, at, little);
    long lo = u16(b, at + 2, little);
    return little ? lo << 16 | hi : hi << 16 | lo;
  }
}
